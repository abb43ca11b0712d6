import { TrackingUpdateContendedError, UnknownTrackingNumberError } from '../errors.js';
import type { TrackingEvent, TrackingStatus } from './carrier-webhook.js';

/**
 * A shipment's tracking history, kept on its shipments row. Carriers deliver webhooks at least
 * once and out of order: the same eventId twice changes nothing, and the shipment's status is
 * that of its newest event by occurredAt, so a late old event never moves it backwards.
 */
export interface TrackingEntry {
  eventId: string;
  status: TrackingStatus;
  occurredAt: string;
  receivedAt: string;
}

export interface ShipmentTracking {
  orderId: string;
  trackingNumber: string;
  history: TrackingEntry[];
  /** Optimistic lock: bumped by every write, so two events applied at once never lose one. */
  version: number;
}

export interface TrackingStore {
  orderIdOf(trackingNumber: string): Promise<string | undefined>;
  read(orderId: string): Promise<ShipmentTracking | undefined>;
  /** False when someone wrote the row since `expectedVersion` was read. */
  write(orderId: string, update: { history: TrackingEntry[]; trackingStatus: TrackingStatus; lastEventAt: string }, expectedVersion: number): Promise<boolean>;
}

export interface TrackingOutcome {
  outcome: 'APPLIED' | 'DUPLICATE';
  orderId: string;
  trackingNumber: string;
  eventStatus: TrackingStatus;
  /** The shipment's status after this event: its newest event's. */
  shipmentStatus: TrackingStatus;
  /** Whether this event is now the shipment's newest. */
  latest: boolean;
}

/** A shipment sees a handful of events; the bound keeps a misbehaving carrier from growing the row past DynamoDB's item limit. */
export const MAX_HISTORY = 200;
const MAX_ATTEMPTS = 5;

const chronological = (a: TrackingEntry, b: TrackingEntry): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;

export const applyTrackingEvent = (store: TrackingStore) =>
  async ({ event, receivedAt }: { event: TrackingEvent; receivedAt: string }): Promise<TrackingOutcome> => {
    const orderId = await store.orderIdOf(event.trackingNumber);
    if (!orderId) throw new UnknownTrackingNumberError(`no shipment has tracking number ${event.trackingNumber}`);
    const result = (history: TrackingEntry[], outcome: TrackingOutcome['outcome']): TrackingOutcome => {
      const newest = history.at(-1);
      return {
        outcome,
        orderId,
        trackingNumber: event.trackingNumber,
        eventStatus: event.status,
        shipmentStatus: newest?.status ?? event.status,
        latest: newest?.eventId === event.eventId,
      };
    };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const current = await store.read(orderId);
      if (!current) throw new UnknownTrackingNumberError(`no shipment has tracking number ${event.trackingNumber}`);
      if (current.history.some(({ eventId }) => eventId === event.eventId)) return result(current.history, 'DUPLICATE');
      const history = [...current.history, { eventId: event.eventId, status: event.status, occurredAt: event.occurredAt, receivedAt }]
        .sort(chronological)
        .slice(-MAX_HISTORY);
      const newest = history.at(-1) as TrackingEntry;
      // Lost the race to another event of the same shipment: read again and re-apply on top of it.
      if (await store.write(orderId, { history, trackingStatus: newest.status, lastEventAt: newest.occurredAt }, current.version)) {
        return result(history, 'APPLIED');
      }
    }
    throw new TrackingUpdateContendedError(`tracking of ${event.trackingNumber} changed under ${MAX_ATTEMPTS} attempts in a row`);
  };

/** What a batch leaves for the workflow to do: the order to mark, the alert to send, the event to keep aside. */
export type TrackingAction =
  | { kind: 'MARK_DELIVERED' | 'ALERT_EXCEPTION'; event: TrackingEvent; orderId: string }
  | { kind: 'KEEP_ASIDE'; event: TrackingEvent; failure: { Error: string; Cause: string } };

export interface BatchResult {
  applied: number;
  duplicates: number;
  actions: TrackingAction[];
}

/** A carrier can be quicker than the tracking-number index: unknown numbers are asked about once more after this. */
export const UNKNOWN_RETRY_MS = 1000;

const pauseFor = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Applies a batch in one step, event by event (so a shipment's events never contend with each
 * other), and answers only the events that need something more. A delivery is answered whenever
 * it is the shipment's newest event, seen before or not: a batch run again after it recorded the
 * event must still get the order marked (the workflow's conditional update marks it once). An
 * exception is answered on its first delivery only.
 */
export const applyTrackingBatch = (store: TrackingStore, pause: (ms: number) => Promise<void> = pauseFor) =>
  async ({ events, receivedAt }: { events: TrackingEvent[]; receivedAt: string }): Promise<BatchResult> => {
    const apply = applyTrackingEvent(store);
    const result: BatchResult = { applied: 0, duplicates: 0, actions: [] };
    const attempt = async (event: TrackingEvent): Promise<TrackingOutcome | UnknownTrackingNumberError> => {
      try {
        return await apply({ event, receivedAt });
      } catch (error) {
        if (error instanceof UnknownTrackingNumberError) return error;
        throw error;
      }
    };
    const settle = (event: TrackingEvent, outcome: TrackingOutcome) => {
      if (outcome.outcome === 'APPLIED') result.applied += 1;
      else result.duplicates += 1;
      if (event.status === 'DELIVERED' && outcome.shipmentStatus === 'DELIVERED') result.actions.push({ kind: 'MARK_DELIVERED', event, orderId: outcome.orderId });
      if (event.status === 'EXCEPTION' && outcome.outcome === 'APPLIED') result.actions.push({ kind: 'ALERT_EXCEPTION', event, orderId: outcome.orderId });
    };
    const unknown: TrackingEvent[] = [];
    for (const event of events) {
      const outcome = await attempt(event);
      if (outcome instanceof UnknownTrackingNumberError) unknown.push(event);
      else settle(event, outcome);
    }
    if (unknown.length > 0) await pause(UNKNOWN_RETRY_MS);
    for (const event of unknown) {
      const outcome = await attempt(event);
      if (outcome instanceof UnknownTrackingNumberError) result.actions.push({ kind: 'KEEP_ASIDE', event, failure: { Error: outcome.name, Cause: outcome.message } });
      else settle(event, outcome);
    }
    return result;
  };
