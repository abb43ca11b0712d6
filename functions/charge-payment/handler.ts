import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { chargePayment } from '../shared/payments/charge.js';
import { simulatedPaymentGateway } from '../shared/payments/payment-gateway.js';
import { dynamoDbPaymentLedger } from '../shared/payments/payment-ledger.js';
import { chargeOrder, dynamoDbPaymentTokens } from '../shared/payments/payment-tokens.js';
import { workflowTask } from '../shared/workflow-task.js';

const db = dynamoDocumentClient();

export const handler = workflowTask(
  createLogger('charge-payment'),
  chargeOrder(
    dynamoDbPaymentTokens(db, requiredEnv('ORDERS_TABLE')),
    chargePayment(dynamoDbPaymentLedger(db, requiredEnv('PAYMENTS_TABLE')), simulatedPaymentGateway()),
  ),
);
