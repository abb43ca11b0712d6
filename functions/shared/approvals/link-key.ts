import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** Rotating the key in SSM reaches every warm function within this long; links signed before stop working. */
const KEY_CACHE_SECONDS = 300;

/** The approval-link signing key: a SecureString in SSM Parameter Store, cached by Powertools Parameters. */
export const ssmLinkKey = (client: SSMClient, parameterName: string): (() => Promise<string>) => {
  const provider = new SSMProvider({ awsSdkV3Client: client });
  return async () => {
    const key = await provider.get(parameterName, { decrypt: true, maxAge: KEY_CACHE_SECONDS });
    if (typeof key !== 'string' || key.length < 32) throw new Error(`parameter ${parameterName} must hold a key of at least 32 characters`);
    return key;
  };
};
