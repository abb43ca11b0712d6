import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { FOR_THE_CONTAINER_LIFE } from './config.js';

/**
 * An SSM parameter (a SecureString decrypted), cached by Powertools Parameters for `maxAgeSeconds`
 * (by default as long as the container lives). A failed read is not cached: the next call asks again.
 */
export const cachedParameter = (client: SSMClient, name: string, maxAgeSeconds = FOR_THE_CONTAINER_LIFE): (() => Promise<string>) => {
  const provider = new SSMProvider({ awsSdkV3Client: client });
  return async () => {
    const value = await provider.get(name, { decrypt: true, maxAge: maxAgeSeconds });
    if (typeof value !== 'string' || value === '') throw new Error(`parameter ${name} has no value`);
    return value;
  };
};
