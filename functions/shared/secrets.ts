import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedValue } from './cached-value.js';

/** A Secrets Manager secret's string, read once per container. */
export const cachedSecret = (client: SecretsManagerClient, secretId: string): (() => Promise<string>) =>
  cachedValue(async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`secret ${secretId} has no string value`);
    return SecretString;
  });
