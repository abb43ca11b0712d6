import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A secret read once per container and kept: Secrets Manager is not asked on every request.
 * A failed read is not kept, so the next request tries again.
 */
export const cachedSecret = (client: SecretsManagerClient, secretId: string): (() => Promise<string>) => {
  let value: Promise<string> | undefined;
  return () => {
    value ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then(({ SecretString }) => {
      if (!SecretString) throw new Error(`secret ${secretId} has no string value`);
      return SecretString;
    });
    value.catch(() => { value = undefined; });
    return value;
  };
};
