import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { DocumentStore } from './create-document.js';
import type { DocumentReader, DocumentRow } from './document.js';
import type { DocumentResultStore } from './record-result.js';

export const dynamoDbDocumentStore = (db: DynamoDBDocumentClient, table: string): DocumentStore & DocumentReader & DocumentResultStore => ({
  create: (row) => conditionalWrite(db.send(new PutCommand({ TableName: table, Item: row, ConditionExpression: 'attribute_not_exists(documentId)' }))),
  async find(documentId) {
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: { documentId }, ConsistentRead: true }));
    return Item as DocumentRow | undefined;
  },
  recordResult: (documentId, update) => {
    const names = Object.keys(update);
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: table,
      Key: { documentId },
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      ConditionExpression: '#status IN (:processing, :awaiting)',
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(Object.entries(update).map(([name, value]) => [`:${name}`, value])),
        ':processing': 'PROCESSING',
        ':awaiting': 'AWAITING_APPROVAL',
      },
    })));
  },
});
