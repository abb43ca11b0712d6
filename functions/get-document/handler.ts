import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { getDocument } from '../shared/documents/document.js';
import { dynamoDbDocumentStore } from '../shared/documents/dynamodb-document-store.js';
import { json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('get-document');
const get = getDocument(dynamoDbDocumentStore(dynamoDocumentClient(), requiredEnv('DOCUMENTS_TABLE')));

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const documentId = event.pathParameters?.documentId;
  logger.appendKeys({ documentId });
  return json(200, await get(documentId, callerOf(event).customerId));
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
