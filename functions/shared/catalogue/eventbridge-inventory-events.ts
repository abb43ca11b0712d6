import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { InventoryEvents } from './restock.js';

export const eventBridgeInventoryEvents = (events: EventBridgeClient, eventBusName: string, source: string): InventoryEvents => ({
  async restocked(detail) {
    const { FailedEntryCount, Entries } = await events.send(new PutEventsCommand({
      Entries: [{ EventBusName: eventBusName, Source: source, DetailType: 'InventoryRestocked', Detail: JSON.stringify({ ...detail, restockedAt: new Date().toISOString() }) }],
    }));
    if (FailedEntryCount) throw Object.assign(new Error(Entries?.[0]?.ErrorMessage ?? 'the event was not accepted'), { name: Entries?.[0]?.ErrorCode ?? 'FailedEntry' });
  },
});
