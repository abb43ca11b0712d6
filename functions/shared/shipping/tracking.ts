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
  /** When the webhook carrying it was accepted. */
  receivedAt: string;
  /** When it was written to the shipment row (absent on entries written before this was kept). */
  recordedAt?: string;
}

export interface ShipmentTracking {
  orderId: string;
  trackingNumber: string;
  history: TrackingEntry[];
  /** Optimistic lock: bumped by every write, so two batches applied at once never lose an event. */
  version: number;
}

/** A write lost to someone who wrote the row since `expectedVersion` answers the row as they left it (absent: no row). */
export type TrackingWrite = { written: true } | { written: false; current: ShipmentTracking | undefined };

export interface TrackingStore {
  /** The order of each tracking number's shipment; numbers no shipment has are left out. */
  orderIdsOf(trackingNumbers: string[]): Promise<Map<string, string>>;
  /** The shipments' tracking, read consistently, by orderId; rows that do not exist are left out. */
  read(orderIds: string[]): Promise<Map<string, ShipmentTracking>>;
  write(orderId: string, update: { history: TrackingEntry[]; trackingStatus: TrackingStatus; lastEventAt: string }, expectedVersion: number): Promise<TrackingWrite>;
}

/** A shipment sees a handful of events; the bound keeps a misbehaving carrier from growing the row past DynamoDB's item limit. */
export const MAX_HISTORY = 200;
const MAX_ATTEMPTS = 5;

const chronological = (a: TrackingEntry, b: TrackingEntry): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;

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

/** One shipment's part of a batch, once written: which of its events are new, and its newest entry. */
interface ShipmentOutcome {
  orderId: string;
  appliedEventIds: Set<string>;
  newest: TrackingEntry | undefined;
}

/** The row's history with the events it does not hold yet, oldest first, newest MAX_HISTORY kept. */
const withEvents = (current: ShipmentTracking, events: TrackingEvent[], receivedAt: string, recordedAt: string) => {
  const known = new Set(current.history.map(({ eventId }) => eventId));
  const added: TrackingEntry[] = [];
  for (const { eventId, status, occurredAt } of events) {
    if (known.has(eventId)) continue;
    known.add(eventId);
    added.push({ eventId, status, occurredAt, receivedAt, recordedAt });
  }
  const history = added.length === 0 ? current.history : [...current.history, ...added].sort(chronological).slice(-MAX_HISTORY);
  return { history, added };
};

/**
 * Applies a batch in one step and answers only the events that need something more. Each
 * shipment of the batch is read once (all of them in one consistent read) and written once, with
 * all of its events of the batch, under an optimistic lock; a shipment someone else wrote in
 * between has its events re-applied on top of the row they left, which the lost write answers.
 * The result does not depend on the order of the events in the batch:
 * - an event whose eventId the row (or an earlier event of the batch) holds is a duplicate;
 * - a delivery is answered when it is the shipment's newest event, new or seen before: a batch
 *   run again after it recorded the event must still get the order marked (the workflow's
 *   conditional update marks it, and emails, once);
 * - an exception is answered on its first delivery only;
 * - an event for a tracking number nobody has is asked about again after a pause (the index may
 *   lag a fresh booking), then answered for keeping aside.
 */
export const applyTrackingBatch = (store: TrackingStore, pause: (ms: number) => Promise<void> = pauseFor, now: () => Date = () => new Date()) =>
  async ({ events, receivedAt }: { events: TrackingEvent[]; receivedAt: string }): Promise<BatchResult> => {
    const byTrackingNumber = new Map<string, TrackingEvent[]>();
    for (const event of events) byTrackingNumber.set(event.trackingNumber, [...(byTrackingNumber.get(event.trackingNumber) ?? []), event]);

    const applyToShipment = async (current: ShipmentTracking, shipmentEvents: TrackingEvent[]): Promise<ShipmentOutcome | undefined> => {
      let row: ShipmentTracking | undefined = current;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        if (!row) return undefined;
        const { history, added } = withEvents(row, shipmentEvents, receivedAt, now().toISOString());
        const newest = history.at(-1);
        const outcome = { orderId: row.orderId, appliedEventIds: new Set(added.map(({ eventId }) => eventId)), newest };
        if (added.length === 0 || !newest) return outcome;
        const write = await store.write(row.orderId, { history, trackingStatus: newest.status, lastEventAt: newest.occurredAt }, row.version);
        if (write.written) return outcome;
        // Lost the race to another batch for this shipment: re-apply on top of the row it left.
        row = write.current;
      }
      throw new TrackingUpdateContendedError(`tracking of ${current.trackingNumber} changed under ${MAX_ATTEMPTS} attempts in a row`);
    };

    /** Every shipment of these tracking numbers, applied; answers the tracking numbers no shipment has (yet). */
    const outcomes = new Map<string, ShipmentOutcome>();
    const applyShipments = async (trackingNumbers: string[]): Promise<string[]> => {
      const orderIds = await store.orderIdsOf(trackingNumbers);
      const rows = orderIds.size === 0 ? new Map<string, ShipmentTracking>() : await store.read([...new Set(orderIds.values())]);
      const unknown: string[] = [];
      await Promise.all(trackingNumbers.map(async (trackingNumber) => {
        const orderId = orderIds.get(trackingNumber);
        const row = orderId === undefined ? undefined : rows.get(orderId);
        const outcome = row && await applyToShipment(row, byTrackingNumber.get(trackingNumber) ?? []);
        if (outcome) outcomes.set(trackingNumber, outcome);
        else unknown.push(trackingNumber);
      }));
      return unknown;
    };

    const stillUnknown = new Set<string>();
    const unknown = await applyShipments([...byTrackingNumber.keys()]);
    if (unknown.length > 0) {
      await pause(UNKNOWN_RETRY_MS);
      (await applyShipments(unknown)).forEach((trackingNumber) => stillUnknown.add(trackingNumber));
    }

    const result: BatchResult = { applied: 0, duplicates: 0, actions: [] };
    const counted = new Set<string>();
    for (const event of events) {
      if (stillUnknown.has(event.trackingNumber)) {
        if (counted.has(event.eventId)) continue;
        counted.add(event.eventId);
        const error = new UnknownTrackingNumberError(`no shipment has tracking number ${event.trackingNumber}`);
        result.actions.push({ kind: 'KEEP_ASIDE', event, failure: { Error: error.name, Cause: error.message } });
        continue;
      }
      const { orderId, appliedEventIds, newest } = outcomes.get(event.trackingNumber)!;
      // The same eventId twice in one batch: the first occurrence is the one applied.
      const firstOccurrence = !counted.has(event.eventId);
      counted.add(event.eventId);
      const applied = firstOccurrence && appliedEventIds.has(event.eventId);
      if (applied) result.applied += 1;
      else result.duplicates += 1;
      if (firstOccurrence && event.status === 'DELIVERED' && newest?.eventId === event.eventId && newest.status === 'DELIVERED') result.actions.push({ kind: 'MARK_DELIVERED', event, orderId });
      if (applied && event.status === 'EXCEPTION') result.actions.push({ kind: 'ALERT_EXCEPTION', event, orderId });
    }
    return result;
  };
