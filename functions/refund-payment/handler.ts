import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { simulatedPaymentGateway } from '../shared/payments/payment-gateway.js';
import { dynamoDbPaymentLedger } from '../shared/payments/payment-ledger.js';
import { refundPayment } from '../shared/payments/refund.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('refund-payment'),
  refundPayment(dynamoDbPaymentLedger(dynamoDocumentClient(), requiredEnv('PAYMENTS_TABLE')), simulatedPaymentGateway()),
);
