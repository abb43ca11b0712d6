import { TrackingUpdateContendedError, UnknownTrackingNumberError } from '../../functions/shared/errors.js';
import type { TrackingEvent } from '../../functions/shared/shipping/carrier-webhook.js';
import { applyTrackingBatch, applyTrackingEvent, MAX_HISTORY, UNKNOWN_RETRY_MS, type ShipmentTracking, type TrackingStore } from '../../functions/shared/shipping/tracking.js';
import { rejectionOf } from './support/rejection.js';

const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
const TRACKING = 'DP0123456789AB';
const RECEIVED = '2026-11-24T10:00:00.000Z';

/** One shipments row in memory with the optimistic lock of the DynamoDB store; `interfere` writes in between a read and a write. */
const memoryStore = (row: ShipmentTracking | undefined, interfere: (row: ShipmentTracking) => void = () => undefined) => {
  const state = { row, writes: 0 };
  const store: TrackingStore = {
    async orderIdOf(trackingNumber) {
      return state.row?.trackingNumber === trackingNumber ? state.row.orderId : undefined;
    },
    async read() {
      return state.row && structuredClone(state.row);
    },
    async write(_, update, expectedVersion) {
      if (state.row) interfere(state.row);
      if (!state.row || state.row.version !== expectedVersion) return false;
      state.row = { ...state.row, history: update.history, version: expectedVersion + 1 };
      state.writes += 1;
      return true;
    },
  };
  return { store, state };
};

const shipment = (): ShipmentTracking => ({ orderId: ORDER_ID, trackingNumber: TRACKING, history: [], version: 0 });
const at = (minute: number) => `2026-11-24T09:${String(minute).padStart(2, '0')}:00.000Z`;
const trackingEvent = (eventId: string, status: TrackingEvent['status'], minute: number): TrackingEvent => ({ eventId, trackingNumber: TRACKING, status, occurredAt: at(minute) });

describe('applyTrackingEvent', () => {
  it('adds the first event to the history and makes it the shipment status', async () => {
    // Prepare
    const { store, state } = memoryStore(shipment());

    // Act
    const outcome = await applyTrackingEvent(store)({ event: trackingEvent('e1', 'IN_TRANSIT', 1), receivedAt: RECEIVED });

    // Assess
    expect(outcome).toEqual({ outcome: 'APPLIED', orderId: ORDER_ID, trackingNumber: TRACKING, eventStatus: 'IN_TRANSIT', shipmentStatus: 'IN_TRANSIT', latest: true });
    expect(state.row?.history).toEqual([{ eventId: 'e1', status: 'IN_TRANSIT', occurredAt: at(1), receivedAt: RECEIVED }]);
  });

  it('changes nothing for the same eventId a second time', async () => {
    // Prepare
    const { store, state } = memoryStore(shipment());
    const apply = applyTrackingEvent(store);
    await apply({ event: trackingEvent('e1', 'DELIVERED', 5), receivedAt: RECEIVED });

    // Act
    const again = await apply({ event: trackingEvent('e1', 'DELIVERED', 5), receivedAt: '2026-11-24T10:05:00.000Z' });

    // Assess
    expect(again.outcome).toBe('DUPLICATE');
    expect(state.writes).toBe(1);
    expect(state.row?.history).toHaveLength(1);
  });

  it('never moves the shipment backwards: a late older event joins the history but not the status', async () => {
    // Prepare
    const { store, state } = memoryStore(shipment());
    const apply = applyTrackingEvent(store);
    await apply({ event: trackingEvent('e3', 'DELIVERED', 9), receivedAt: RECEIVED });

    // Act
    const late = await apply({ event: trackingEvent('e1', 'IN_TRANSIT', 1), receivedAt: RECEIVED });

    // Assess
    expect(late).toMatchObject({ outcome: 'APPLIED', shipmentStatus: 'DELIVERED', latest: false });
    expect(state.row?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e3']);
  });

  it('re-reads and applies on top when another event of the shipment won the race', async () => {
    // Prepare
    let interfered = false;
    const { store, state } = memoryStore(shipment(), (row) => {
      if (interfered) return;
      interfered = true;
      row.history = [{ eventId: 'e1', status: 'IN_TRANSIT', occurredAt: at(1), receivedAt: RECEIVED }];
      row.version += 1;
    });

    // Act
    const outcome = await applyTrackingEvent(store)({ event: trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), receivedAt: RECEIVED });

    // Assess
    expect(outcome).toMatchObject({ outcome: 'APPLIED', shipmentStatus: 'OUT_FOR_DELIVERY' });
    expect(state.row?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e2']);
  });

  it('gives up with a retryable TrackingUpdateContended when it loses every time', async () => {
    // Prepare
    const { store } = memoryStore(shipment(), (row) => { row.version += 1; });

    // Act
    const error = await rejectionOf(() => applyTrackingEvent(store)({ event: trackingEvent('e1', 'IN_TRANSIT', 1), receivedAt: RECEIVED }));

    // Assess
    expect(error).toBeInstanceOf(TrackingUpdateContendedError);
    expect((error as Error).name).toBe('TrackingUpdateContended');
  });

  it('throws UnknownTrackingNumber for a tracking number no shipment has', async () => {
    // Prepare
    const { store, state } = memoryStore(shipment());

    // Act
    const error = await rejectionOf(() => applyTrackingEvent(store)({ event: { ...trackingEvent('e1', 'IN_TRANSIT', 1), trackingNumber: 'DPNOSUCH0000' }, receivedAt: RECEIVED }));

    // Assess
    expect(error).toBeInstanceOf(UnknownTrackingNumberError);
    expect((error as Error).message).toContain('DPNOSUCH0000');
    expect(state.writes).toBe(0);
  });

  it(`keeps the newest ${MAX_HISTORY} events of a shipment that receives more`, async () => {
    // Prepare
    const full = shipment();
    full.history = Array.from({ length: MAX_HISTORY }, (_, index) => ({ eventId: `old-${index}`, status: 'IN_TRANSIT' as const, occurredAt: `2026-11-23T${String(Math.floor(index / 60) % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00.000Z`, receivedAt: RECEIVED }));
    const { store, state } = memoryStore(full);

    // Act
    await applyTrackingEvent(store)({ event: trackingEvent('new', 'DELIVERED', 1), receivedAt: RECEIVED });

    // Assess
    expect(state.row?.history).toHaveLength(MAX_HISTORY);
    expect(state.row?.history.at(-1)?.eventId).toBe('new');
    expect(state.row?.history[0]?.eventId).toBe('old-1');
  });
});

describe('applyTrackingBatch', () => {
  const noPause = async () => undefined;

  it('applies every event and answers only the ones that need something more', async () => {
    // Prepare
    const { store, state } = memoryStore(shipment());

    // Act
    const result = await applyTrackingBatch(store, noPause)({
      events: [trackingEvent('e1', 'IN_TRANSIT', 1), trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), trackingEvent('e3', 'DELIVERED', 3)],
      receivedAt: RECEIVED,
    });

    // Assess
    expect(result).toEqual({ applied: 3, duplicates: 0, actions: [{ kind: 'MARK_DELIVERED', event: trackingEvent('e3', 'DELIVERED', 3), orderId: ORDER_ID }] });
    expect(state.row?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e2', 'e3']);
  });

  it('answers a delivery seen before again, so a batch run twice still gets its order marked', async () => {
    // Prepare
    const { store } = memoryStore(shipment());
    const apply = applyTrackingBatch(store, noPause);
    const batch = { events: [trackingEvent('e3', 'DELIVERED', 3)], receivedAt: RECEIVED };
    await apply(batch);

    // Act
    const again = await apply(batch);

    // Assess
    expect(again).toEqual({ applied: 0, duplicates: 1, actions: [{ kind: 'MARK_DELIVERED', event: trackingEvent('e3', 'DELIVERED', 3), orderId: ORDER_ID }] });
  });

  it('answers an exception only the first time, and no delivery that a newer event overtook', async () => {
    // Prepare
    const { store } = memoryStore(shipment());
    const apply = applyTrackingBatch(store, noPause);
    await apply({ events: [trackingEvent('late', 'EXCEPTION', 9)], receivedAt: RECEIVED });

    // Act
    const result = await apply({ events: [trackingEvent('late', 'EXCEPTION', 9), trackingEvent('old', 'DELIVERED', 5)], receivedAt: RECEIVED });

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 1, actions: [] });
  });

  it('asks about an unknown tracking number once more after a pause, then answers it for keeping aside', async () => {
    // Prepare
    const { store } = memoryStore(shipment());
    const pauses: number[] = [];
    const unknown = { ...trackingEvent('u1', 'IN_TRANSIT', 1), trackingNumber: 'DPNOSUCH0000' };

    // Act
    const result = await applyTrackingBatch(store, async (ms) => { pauses.push(ms); })({ events: [unknown, trackingEvent('e1', 'IN_TRANSIT', 1)], receivedAt: RECEIVED });

    // Assess
    expect(pauses).toEqual([UNKNOWN_RETRY_MS]);
    expect(result.applied).toBe(1);
    expect(result.actions).toEqual([{ kind: 'KEEP_ASIDE', event: unknown, failure: { Error: 'UnknownTrackingNumber', Cause: 'no shipment has tracking number DPNOSUCH0000' } }]);
  });

  it('applies an event whose shipment appeared during the pause (the index caught up)', async () => {
    // Prepare
    const { store, state } = memoryStore(undefined);
    const late = shipment();

    // Act
    const result = await applyTrackingBatch(store, async () => { state.row = late; })({ events: [trackingEvent('e1', 'IN_TRANSIT', 1)], receivedAt: RECEIVED });

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 0, actions: [] });
  });

  it('does not pause when every tracking number is known', async () => {
    // Prepare
    const { store } = memoryStore(shipment());
    let paused = false;

    // Act
    await applyTrackingBatch(store, async () => { paused = true; })({ events: [trackingEvent('e1', 'IN_TRANSIT', 1)], receivedAt: RECEIVED });

    // Assess
    expect(paused).toBe(false);
  });
});
