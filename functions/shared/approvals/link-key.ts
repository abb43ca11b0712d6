import type { SSMClient } from '@aws-sdk/client-ssm';
import { cachedParameter } from '../parameters.js';

/** Rotating the key in SSM reaches every warm function within this long; links signed before stop working. */
const KEY_CACHE_SECONDS = 300;

/** The approval-link signing key: a SecureString in SSM Parameter Store. */
export const ssmLinkKey = (client: SSMClient, parameterName: string): (() => Promise<string>) => {
  const read = cachedParameter(client, parameterName, KEY_CACHE_SECONDS);
  return async () => {
    const key = await read();
    if (key.length < 32) throw new Error(`parameter ${parameterName} must hold a key of at least 32 characters`);
    return key;
  };
};
