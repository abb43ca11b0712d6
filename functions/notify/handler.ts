import { snsClient } from '../shared/aws/sns.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { notifyCustomer } from '../shared/notifications/notify.js';
import { snsEmailSender } from '../shared/notifications/sns-email-sender.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('notify'),
  notifyCustomer(snsEmailSender(snsClient(), requiredEnv('CUSTOMER_NOTIFICATIONS_TOPIC_ARN'))),
);
