import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbGatewayOutages } from '../shared/payments/dynamodb-gateway-outages.js';
import { simulatedPaymentGateway } from '../shared/payments/payment-gateway.js';
import { dynamoDbPaymentLedger } from '../shared/payments/payment-ledger.js';
import { refundPayment } from '../shared/payments/refund.js';
import { workflowTask } from '../shared/workflow-task.js';

const db = dynamoDocumentClient();
const paymentsTable = requiredEnv('PAYMENTS_TABLE');

export const handler = workflowTask(
  createLogger('refund-payment'),
  refundPayment(dynamoDbPaymentLedger(db, paymentsTable), simulatedPaymentGateway(dynamoDbGatewayOutages(db, paymentsTable))),
);
