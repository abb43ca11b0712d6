import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { secretsManagerClient } from '../shared/aws/secrets-manager.js';
import { sesClient } from '../shared/aws/sesv2.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { sesEmailSender } from '../shared/notifications/ses-email-sender.js';
import { deliverApiKeyOnce } from '../shared/onboarding/api-keys.js';
import { dynamoDbApiKeyStore } from '../shared/onboarding/dynamodb-api-key-store.js';
import { sendWelcomeEmail } from '../shared/onboarding/welcome.js';
import { cachedSecret } from '../shared/secrets.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('send-welcome-email'),
  sendWelcomeEmail(
    deliverApiKeyOnce(
      dynamoDbApiKeyStore(dynamoDocumentClient(), requiredEnv('API_KEYS_TABLE')),
      cachedSecret(secretsManagerClient(), requiredEnv('API_KEY_ENCRYPTION_SECRET_ARN')),
    ),
    sesEmailSender(sesClient(), requiredEnv('SIGNUP_EMAIL_SENDER')),
  ),
  ({ signupId }) => ({ signupId }),
);
