import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { withdrawBackorder } from '../shared/backorders/backorder.js';
import { dynamoDbBackorderQueue } from '../shared/backorders/dynamodb-backorder-queue.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('withdraw-backorder'),
  withdrawBackorder(dynamoDbBackorderQueue(dynamoDocumentClient(), requiredEnv('BACKORDERS_TABLE'))),
);
