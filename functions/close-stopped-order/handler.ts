import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import type { ExecutionStatusChangeEvent } from '../shared/execution-status-change.js';
import { createLogger } from '../shared/logger.js';
import { closeStoppedOrder } from '../shared/orders/close-stopped-order.js';
import { dynamoDbStoppedOrders } from '../shared/orders/dynamodb-stopped-orders.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('close-stopped-order'),
  closeStoppedOrder(dynamoDbStoppedOrders(dynamoDocumentClient(), requiredEnv('ORDERS_TABLE'))),
  (event: ExecutionStatusChangeEvent) => ({ executionArn: event.detail?.executionArn }),
);
