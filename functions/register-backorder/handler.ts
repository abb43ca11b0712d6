import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { backorderInventory, registerBackorder, serveBackorders, type RegisterInput } from '../shared/backorders/backorder.js';
import { dynamoDbBackorderQueue } from '../shared/backorders/dynamodb-backorder-queue.js';
import { stepFunctionsWaitingWorkflows } from '../shared/backorders/step-functions-waiting-workflows.js';
import { requiredEnv } from '../shared/config.js';
import { dynamoDbInventoryStore } from '../shared/inventory/dynamodb-inventory-store.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

const logger = createLogger('register-backorder');
const db = dynamoDocumentClient();
const queue = dynamoDbBackorderQueue(db, requiredEnv('BACKORDERS_TABLE'));
const register = registerBackorder(queue, serveBackorders(
  queue,
  backorderInventory(dynamoDbInventoryStore(db, { products: requiredEnv('PRODUCTS_TABLE'), reservations: requiredEnv('RESERVATIONS_TABLE') })),
  stepFunctionsWaitingWorkflows(stepFunctionsClient()),
));

export const handler = workflowTask(logger, async (input: RegisterInput) => {
  const result = await register(input);
  // In line all the same; the next restock serves the line.
  if (result.serveFailed) logger.warn('serving the line after joining it failed', { error: result.serveFailed });
  return result;
});
