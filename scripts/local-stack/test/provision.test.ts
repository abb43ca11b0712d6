import { bucketSettingsOf } from '../src/provision.js';

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
