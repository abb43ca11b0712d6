import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbTrackingStore } from '../shared/shipping/dynamodb-shipment-store.js';
import { applyTrackingBatch } from '../shared/shipping/tracking.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('apply-tracking-events'),
  applyTrackingBatch(dynamoDbTrackingStore(dynamoDocumentClient(), requiredEnv('SHIPMENTS_TABLE'))),
  ({ events }) => ({ events: events.length }),
);
