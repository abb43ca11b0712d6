import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { secretsManagerClient } from '../shared/aws/secrets-manager.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { createApiKey } from '../shared/onboarding/api-keys.js';
import { dynamoDbApiKeyStore } from '../shared/onboarding/dynamodb-api-key-store.js';
import { cachedSecret } from '../shared/secrets.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('create-api-key'),
  createApiKey(
    dynamoDbApiKeyStore(dynamoDocumentClient(), requiredEnv('API_KEYS_TABLE')),
    cachedSecret(secretsManagerClient(), requiredEnv('API_KEY_ENCRYPTION_SECRET_ARN')),
  ),
  ({ signupId }) => ({ signupId }),
);
