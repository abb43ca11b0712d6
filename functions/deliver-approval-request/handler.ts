import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { snsClient } from '../shared/aws/sns.js';
import { ssmClient } from '../shared/aws/ssm.js';
import { requiredEnv } from '../shared/config.js';
import { deliverApprovalRequest, deliverBatch } from '../shared/approvals/deliver-request.js';
import { dynamoDbApprovalStore } from '../shared/approvals/dynamodb-approval-store.js';
import { ssmLinkKey } from '../shared/approvals/link-key.js';
import { createLogger } from '../shared/logger.js';
import { snsEmailSender } from '../shared/notifications/sns-email-sender.js';

const logger = createLogger('deliver-approval-request');
const deliver = deliverApprovalRequest({
  ledger: dynamoDbApprovalStore(dynamoDocumentClient(), requiredEnv('APPROVALS_TABLE')),
  leaseSeconds: Number(requiredEnv('DELIVERY_LEASE_SECONDS')),
  now: () => new Date(),
  linkKey: ssmLinkKey(ssmClient(), requiredEnv('APPROVAL_LINK_KEY_PARAMETER')),
  baseUrl: requiredEnv('APPROVAL_LINK_BASE_URL'),
  sender: snsEmailSender(snsClient(), requiredEnv('APPROVAL_REQUESTS_TOPIC_ARN')),
});

// The event is never logged: each message carries a task token.
export const handler = middy(deliverBatch(
  async (message) => {
    const result = await deliver(message);
    logger.info('approval request handled', { approvalId: message.approvalId, result });
  },
  (messageId, error) => logger.warn('approval request not delivered; SQS will redeliver it', { messageId, error: error.name, reason: error.message }),
)).use(injectLambdaContext(logger, { resetKeys: true }));
