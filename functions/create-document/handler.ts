import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createDocument } from '../shared/documents/create-document.js';
import { dynamoDbDocumentStore } from '../shared/documents/dynamodb-document-store.js';
import { s3UploadUrls } from '../shared/documents/s3-upload-urls.js';
import { parseUploadRequest } from '../shared/documents/upload-request.js';
import { header, json, jsonErrors, readJsonBody } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { s3PresigningClient } from '../shared/aws/s3.js';

const logger = createLogger('create-document');
const create = createDocument(
  dynamoDbDocumentStore(dynamoDocumentClient(), requiredEnv('DOCUMENTS_TABLE')),
  s3UploadUrls(s3PresigningClient(), requiredEnv('DOCUMENTS_BUCKET')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const { customerId } = callerOf(event);
  const request = parseUploadRequest(readJsonBody({ body: event.body, isBase64Encoded: event.isBase64Encoded, contentType: header(event, 'content-type') }));
  const ticket = await create(customerId, request);
  logger.appendKeys({ documentId: ticket.documentId });
  logger.info('upload ticket issued', { contentType: request.contentType, size: request.size });
  return json(201, ticket, { location: `/documents/${ticket.documentId}` });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
