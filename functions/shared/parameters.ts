import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { cachedValue } from './cached-value.js';

/** An SSM parameter (SecureString decrypted), read once per container. */
export const cachedParameter = (client: SSMClient, name: string): (() => Promise<string>) =>
  cachedValue(async () => {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (!Parameter?.Value) throw new Error(`parameter ${name} has no value`);
    return Parameter.Value;
  });
