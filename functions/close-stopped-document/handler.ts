import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { closeStoppedDocument } from '../shared/documents/close-stopped-document.js';
import { dynamoDbStoppedDocuments } from '../shared/documents/dynamodb-stopped-documents.js';
import type { ExecutionStatusChangeEvent } from '../shared/execution-status-change.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('close-stopped-document'),
  closeStoppedDocument(dynamoDbStoppedDocuments(dynamoDocumentClient(), requiredEnv('DOCUMENTS_TABLE'))),
  (event: ExecutionStatusChangeEvent) => ({ executionArn: event.detail?.executionArn }),
);
