import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbShipmentStore } from '../shared/shipping/dynamodb-shipment-store.js';
import { createShipment, simulatedCarrier } from '../shared/shipping/shipment.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('create-shipment'),
  createShipment(simulatedCarrier(), dynamoDbShipmentStore(dynamoDocumentClient(), requiredEnv('SHIPMENTS_TABLE'))),
);
