import { bucketSettingsOf, resolveDynamicReferences } from '../src/provision.js';

/** What the emulator is told of a template's bucket: what makes it behave as the template's bucket does on AWS. */
describe('bucketSettingsOf', () => {
  it('versions a bucket whose template enables versioning, so a second PUT adds a version and replaces nothing', () => {
    expect(bucketSettingsOf({ VersioningConfiguration: { Status: 'Enabled' } })).toEqual({ versioned: true, eventBridge: false });
    expect(bucketSettingsOf({ VersioningConfiguration: { Status: 'Suspended' } })).toEqual({ versioned: false, eventBridge: false });
    expect(bucketSettingsOf({})).toEqual({ versioned: false, eventBridge: false });
  });

  it('sends Object Created events to EventBridge when the template enables it', () => {
    expect(bucketSettingsOf({ NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } })).toEqual({ versioned: false, eventBridge: true });
    expect(bucketSettingsOf({ NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: false } } })).toEqual({ versioned: false, eventBridge: false });
  });
});

describe('resolveDynamicReferences', () => {
  const secrets: Record<string, string> = { 'app/billing-key': 'sk_1', 'app/json': '{"user":"u","password":"p"}' };
  const read = async (name: string) => {
    const secret = secrets[name];
    if (secret === undefined) throw new Error(`no secret ${name}`);
    return secret;
  };

  it('reads {{resolve:secretsmanager:…}} where the template writes it, whole or one JSON key, inside a longer string too', async () => {
    const properties = { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer {{resolve:secretsmanager:app/billing-key}}' }, Basic: ['{{resolve:secretsmanager:app/json:SecretString:password}}'], Port: 443 };

    expect(await resolveDynamicReferences(properties, read)).toEqual({ ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer sk_1' }, Basic: ['p'], Port: 443 });
  });

  it('fails on a secret that does not exist, as a deploy would', async () => {
    await expect(resolveDynamicReferences('{{resolve:secretsmanager:app/missing}}', read)).rejects.toThrow(/app\/missing/);
  });
});
