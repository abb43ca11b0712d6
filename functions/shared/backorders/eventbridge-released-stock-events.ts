import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ReleasedStockEvents } from './backorder.js';

export const eventBridgeReleasedStockEvents = (events: EventBridgeClient, eventBusName: string, source: string): ReleasedStockEvents => ({
  async released(detail) {
    const { FailedEntryCount, Entries } = await events.send(new PutEventsCommand({
      Entries: [{ EventBusName: eventBusName, Source: source, DetailType: 'InventoryReleased', Detail: JSON.stringify({ ...detail, releasedAt: new Date().toISOString() }) }],
    }));
    if (FailedEntryCount) throw Object.assign(new Error(Entries?.[0]?.ErrorMessage ?? 'the event was not accepted'), { name: Entries?.[0]?.ErrorCode ?? 'FailedEntry' });
  },
});
