import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, conditionalWriteOrItem } from '../dynamodb.js';
import type { ApiKeyRow, ApiKeyStore } from './api-keys.js';

export const dynamoDbApiKeyStore = (db: DynamoDBDocumentClient, tableName: string): ApiKeyStore => ({
  async createOnce(row) {
    const refused = await conditionalWriteOrItem(db.send(new PutCommand({
      TableName: tableName,
      Item: row,
      ConditionExpression: 'attribute_not_exists(signupId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    return (refused?.item as ApiKeyRow | undefined) ?? row;
  },
  async get(signupId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { signupId }, ConsistentRead: true }));
    return Item as ApiKeyRow | undefined;
  },
  async keepOnlyHash(signupId, keyHash, deliveredAt) {
    // Not there any more (undone meanwhile) or already reduced: nothing to keep.
    await conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { signupId },
      UpdateExpression: 'SET keyHash = :hash, deliveredAt = :at REMOVE encryptedKey',
      ConditionExpression: 'attribute_exists(encryptedKey)',
      ExpressionAttributeValues: { ':hash': keyHash, ':at': deliveredAt },
    })));
  },
});
