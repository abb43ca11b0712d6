import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { dynamoDbInventoryStore } from '../shared/inventory/dynamodb-inventory-store.js';
import { reserveInventory } from '../shared/inventory/inventory.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('reserve-inventory'),
  reserveInventory(dynamoDbInventoryStore(dynamoDocumentClient(), {
    products: requiredEnv('PRODUCTS_TABLE'),
    reservations: requiredEnv('RESERVATIONS_TABLE'),
  })),
);
