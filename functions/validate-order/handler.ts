import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { dynamoDbProductCatalogue } from '../shared/catalogue/dynamodb-product-catalogue.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { validateOrder } from '../shared/orders/validate-order.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('validate-order'),
  validateOrder(dynamoDbProductCatalogue(dynamoDocumentClient(), requiredEnv('PRODUCTS_TABLE'))),
);
