import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWriteOrItem } from '../dynamodb.js';
import type { SignupRow } from './signup.js';
import type { SignupStore } from './start-signup.js';

export const dynamoDbSignupStore = (db: DynamoDBDocumentClient, tableName: string): SignupStore => ({
  async create(row) {
    const refused = await conditionalWriteOrItem(db.send(new PutCommand({
      TableName: tableName,
      Item: row,
      ConditionExpression: 'attribute_not_exists(signupId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    return refused && (refused.item as SignupRow | undefined ?? row);
  },
  async get(signupId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { signupId } }));
    return Item as SignupRow | undefined;
  },
});
