import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { reserveBehindWaitingOrders } from '../shared/backorders/backorder.js';
import { dynamoDbBackorderQueue } from '../shared/backorders/dynamodb-backorder-queue.js';
import { requiredEnv } from '../shared/config.js';
import { dynamoDbInventoryStore } from '../shared/inventory/dynamodb-inventory-store.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

const db = dynamoDocumentClient();

export const handler = workflowTask(
  createLogger('reserve-inventory'),
  reserveBehindWaitingOrders(
    dynamoDbBackorderQueue(db, requiredEnv('BACKORDERS_TABLE')),
    dynamoDbInventoryStore(db, { products: requiredEnv('PRODUCTS_TABLE'), reservations: requiredEnv('RESERVATIONS_TABLE') }),
  ),
);
