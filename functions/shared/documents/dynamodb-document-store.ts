import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { DocumentStore } from './create-document.js';
import type { DocumentReader, DocumentRow } from './document.js';

export const dynamoDbDocumentStore = (db: DynamoDBDocumentClient, table: string): DocumentStore & DocumentReader => ({
  create: (row) => conditionalWrite(db.send(new PutCommand({ TableName: table, Item: row, ConditionExpression: 'attribute_not_exists(documentId)' }))),
  async find(documentId) {
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: { documentId }, ConsistentRead: true }));
    return Item as DocumentRow | undefined;
  },
});
