import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FOR_THE_CONTAINER_LIFE } from './config.js';

/** A Secrets Manager secret's string, cached by Powertools Parameters as long as the container lives. A failed read is not cached. */
export const cachedSecret = (client: SecretsManagerClient, secretId: string): (() => Promise<string>) => {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async () => {
    const value = await provider.get(secretId, { maxAge: FOR_THE_CONTAINER_LIFE });
    if (typeof value !== 'string' || value === '') throw new Error(`secret ${secretId} has no string value`);
    return value;
  };
};
