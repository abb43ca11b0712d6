import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from './endpoint.js';

export const secretsManagerClient = (): SecretsManagerClient => new SecretsManagerClient(clientConfig('SECRETS_MANAGER'));
