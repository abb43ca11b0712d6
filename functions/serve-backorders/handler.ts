import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { backorderInventory, serveBackorders, serveOnStockArrival } from '../shared/backorders/backorder.js';
import { dynamoDbBackorderQueue } from '../shared/backorders/dynamodb-backorder-queue.js';
import { stepFunctionsWaitingWorkflows } from '../shared/backorders/step-functions-waiting-workflows.js';
import { requiredEnv } from '../shared/config.js';
import { dynamoDbInventoryStore } from '../shared/inventory/dynamodb-inventory-store.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

const db = dynamoDocumentClient();

export const handler = workflowTask(
  createLogger('serve-backorders'),
  serveOnStockArrival(serveBackorders(
    dynamoDbBackorderQueue(db, requiredEnv('BACKORDERS_TABLE')),
    backorderInventory(dynamoDbInventoryStore(db, { products: requiredEnv('PRODUCTS_TABLE'), reservations: requiredEnv('RESERVATIONS_TABLE') })),
    stepFunctionsWaitingWorkflows(stepFunctionsClient()),
  )),
  (event) => ({ sku: event.detail?.sku, eventId: (event as { id?: unknown }).id }),
);
