import { jest } from '@jest/globals';
import { SecretsManagerClient, type GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SSMClient, type GetParameterCommand } from '@aws-sdk/client-ssm';
import { ssmLinkKey } from '../../functions/shared/approvals/link-key.js';
import { cachedParameter } from '../../functions/shared/parameters.js';
import { cachedSecret } from '../../functions/shared/secrets.js';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const KEY = 'k'.repeat(40);

/** A real client (the provider takes only SDK clients) whose `send` answers from a script: a value, no value, or an error. */
const scripted = <Client extends { send: unknown }>(client: Client, answerOf: (value: string | undefined) => unknown, answers: (string | undefined | Error)[]) => {
  const requests: unknown[] = [];
  Object.assign(client, {
    send: async (command: GetParameterCommand | GetSecretValueCommand) => {
      requests.push(command.input);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answerOf(answer);
    },
  });
  return { client, requests };
};
const ssm = (...answers: (string | undefined | Error)[]) =>
  scripted(new SSMClient({ region: 'us-east-1' }), (value) => ({ Parameter: value === undefined ? {} : { Value: value } }), answers);
const secretsManager = (...answers: (string | undefined | Error)[]) =>
  scripted(new SecretsManagerClient({ region: 'us-east-1' }), (value) => (value === undefined ? {} : { SecretString: value }), answers);
const later = (seconds: number) => jest.setSystemTime(NOW.getTime() + seconds * 1000);

beforeEach(() => jest.useFakeTimers({ now: NOW }));
afterEach(() => jest.useRealTimers());

describe('cachedParameter', () => {
  it('asks SSM once, decrypted, and keeps the value while the container lives', async () => {
    // Prepare
    const { client, requests } = ssm('webhook-secret');
    const secret = cachedParameter(client, '/carrier/secret');

    // Act
    const first = await secret();
    later(7 * 24 * 60 * 60);
    const aWeekLater = await secret();

    // Assess
    expect([first, aWeekLater]).toEqual(['webhook-secret', 'webhook-secret']);
    expect(requests).toEqual([{ Name: '/carrier/secret', WithDecryption: true }]);
  });

  it('keeps no failed read: the next call asks again', async () => {
    // Prepare
    const { client, requests } = ssm(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }), 'webhook-secret');
    const secret = cachedParameter(client, '/carrier/secret');

    // Act
    const failed = secret();
    await expect(failed).rejects.toThrow('slow down');
    const retried = await secret();

    // Assess
    expect(retried).toBe('webhook-secret');
    expect(requests).toHaveLength(2);
  });

  it('refuses a parameter without a value', async () => {
    // Prepare
    const { client } = ssm(undefined);

    // Act
    const read = cachedParameter(client, '/carrier/secret')();

    // Assess
    await expect(read).rejects.toThrow('parameter /carrier/secret has no value');
  });
});

describe('cachedSecret', () => {
  it('asks Secrets Manager once and keeps the string while the container lives', async () => {
    // Prepare
    const { client, requests } = secretsManager('order-id-key');
    const secret = cachedSecret(client, 'arn:secret');

    // Act
    const first = await secret();
    later(7 * 24 * 60 * 60);
    const aWeekLater = await secret();

    // Assess
    expect([first, aWeekLater]).toEqual(['order-id-key', 'order-id-key']);
    expect(requests).toEqual([{ SecretId: 'arn:secret' }]);
  });

  it('keeps no failed read, and refuses a secret without a string', async () => {
    // Prepare
    const { client, requests } = secretsManager(new Error('unreachable'), undefined);
    const secret = cachedSecret(client, 'arn:secret');

    // Act
    const failed = secret();
    await expect(failed).rejects.toThrow('unreachable');
    const empty = secret();

    // Assess
    await expect(empty).rejects.toThrow('secret arn:secret has no string value');
    expect(requests).toHaveLength(2);
  });
});

describe('ssmLinkKey', () => {
  it('reads a rotated key again after five minutes, not before', async () => {
    // Prepare
    const rotated = 'r'.repeat(40);
    const { client, requests } = ssm(KEY, rotated);
    const linkKey = ssmLinkKey(client, '/approvals/link-key');

    // Act
    const first = await linkKey();
    later(300);
    const atFiveMinutes = await linkKey();
    later(301);
    const afterFiveMinutes = await linkKey();

    // Assess
    expect([first, atFiveMinutes, afterFiveMinutes]).toEqual([KEY, KEY, rotated]);
    expect(requests).toHaveLength(2);
  });

  it('refuses a key shorter than 32 characters', async () => {
    // Prepare
    const { client } = ssm('short');

    // Act
    const read = ssmLinkKey(client, '/approvals/link-key')();

    // Assess
    await expect(read).rejects.toThrow('parameter /approvals/link-key must hold a key of at least 32 characters');
  });
});
