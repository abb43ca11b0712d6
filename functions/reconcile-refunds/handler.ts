import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { simulatedPaymentGateway } from '../shared/payments/payment-gateway.js';
import { dynamoDbPaymentLedger } from '../shared/payments/payment-ledger.js';
import { reconcileRefunds } from '../shared/payments/reconcile-refunds.js';

const logger = createLogger('reconcile-refunds');
const reconcile = reconcileRefunds(dynamoDbPaymentLedger(dynamoDocumentClient(), requiredEnv('PAYMENTS_TABLE')), simulatedPaymentGateway());

export const handler = middy(async () => {
  try {
    const result = await reconcile();
    logger.info('refunds reconciled', { refunded: result.refunded });
    return result;
  } catch (error) {
    logger.error('refunds still owed', error as Error);
    throw error;
  }
}).use(injectLambdaContext(logger));
