import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { snsClient } from '../shared/aws/sns.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { sendDeliveryEmail } from '../shared/notifications/delivery-email.js';
import { dynamoDbDeliveryEmailOutbox } from '../shared/notifications/dynamodb-delivery-email-outbox.js';
import { snsEmailSender } from '../shared/notifications/sns-email-sender.js';
import { workflowTask } from '../shared/workflow-task.js';

// Longer than this function's timeout (serverless.yml): a claim older than that belongs to an invocation that is over.
const CLAIM_LEASE_MS = 30_000;

export const handler = workflowTask(
  createLogger('send-delivery-email'),
  sendDeliveryEmail(
    dynamoDbDeliveryEmailOutbox(dynamoDocumentClient(), requiredEnv('ORDERS_TABLE')),
    snsEmailSender(snsClient(), requiredEnv('CUSTOMER_NOTIFICATIONS_TOPIC_ARN')),
    CLAIM_LEASE_MS,
    randomUUID,
  ),
);
