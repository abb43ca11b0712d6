import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { s3Client } from '../shared/aws/s3.js';
import { requiredEnv } from '../shared/config.js';
import { byDocumentId } from '../shared/documents/document.js';
import { dynamoDbDocumentStore } from '../shared/documents/dynamodb-document-store.js';
import { recordDocumentResult } from '../shared/documents/record-result.js';
import { s3DocumentArtefacts } from '../shared/documents/s3-document-artefacts.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('record-document-result'),
  recordDocumentResult(
    dynamoDbDocumentStore(dynamoDocumentClient(), requiredEnv('DOCUMENTS_TABLE')),
    s3DocumentArtefacts(s3Client(), requiredEnv('DOCUMENTS_BUCKET')),
  ),
  byDocumentId,
);
