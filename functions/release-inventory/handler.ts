import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { eventBridgeClient } from '../shared/aws/eventbridge.js';
import { releaseAndAnnounce } from '../shared/backorders/backorder.js';
import { eventBridgeReleasedStockEvents } from '../shared/backorders/eventbridge-released-stock-events.js';
import { requiredEnv } from '../shared/config.js';
import { dynamoDbInventoryStore } from '../shared/inventory/dynamodb-inventory-store.js';
import { releaseInventory } from '../shared/inventory/inventory.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

const logger = createLogger('release-inventory');

export const handler = workflowTask(
  logger,
  releaseAndAnnounce(
    releaseInventory(dynamoDbInventoryStore(dynamoDocumentClient(), {
      products: requiredEnv('PRODUCTS_TABLE'),
      reservations: requiredEnv('RESERVATIONS_TABLE'),
    })),
    eventBridgeReleasedStockEvents(eventBridgeClient(), requiredEnv('EVENT_BUS_NAME'), requiredEnv('EVENT_SOURCE')),
    // The stock is back all the same; waiting orders get it at the next restock or the next to join the line.
    (sku, error) => logger.warn('InventoryReleased not sent', { sku, error }),
  ),
);
