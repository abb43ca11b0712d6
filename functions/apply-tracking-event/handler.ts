import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbTrackingStore } from '../shared/shipping/dynamodb-shipment-store.js';
import { applyTrackingEvent } from '../shared/shipping/tracking.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('apply-tracking-event'),
  applyTrackingEvent(dynamoDbTrackingStore(dynamoDocumentClient(), requiredEnv('SHIPMENTS_TABLE'))),
  ({ event }) => ({ trackingNumber: event.trackingNumber, eventId: event.eventId }),
);
