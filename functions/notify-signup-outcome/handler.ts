import { sesClient } from '../shared/aws/sesv2.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { sesEmailSender } from '../shared/notifications/ses-email-sender.js';
import { notifySignupOutcome } from '../shared/onboarding/welcome.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('notify-signup-outcome'),
  notifySignupOutcome(sesEmailSender(sesClient(), requiredEnv('SIGNUP_EMAIL_SENDER'))),
  ({ signupId }) => ({ signupId }),
);
