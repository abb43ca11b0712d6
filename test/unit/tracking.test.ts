import { TrackingUpdateContendedError } from '../../functions/shared/errors.js';
import type { TrackingEvent } from '../../functions/shared/shipping/carrier-webhook.js';
import { applyTrackingBatch, MAX_HISTORY, UNKNOWN_RETRY_MS, type BatchResult, type ShipmentTracking, type TrackingStore } from '../../functions/shared/shipping/tracking.js';
import { rejectionOf } from './support/rejection.js';

const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
const TRACKING = 'DP0123456789AB';
const RECEIVED = '2026-11-24T10:00:00.000Z';
const RECORDED = new Date('2026-11-24T10:00:01.000Z');

/**
 * Shipments rows in memory with the optimistic lock of the DynamoDB store (a lost write answers
 * the row as it is); `interfere` writes in between a read and a write. Counts the store calls,
 * which are DynamoDB round trips.
 */
const memoryStore = (rows: ShipmentTracking[], interfere: (row: ShipmentTracking) => void = () => undefined) => {
  const state = { rows: new Map(rows.map((row) => [row.orderId, row])), lookups: 0, reads: 0, writes: 0, conflicts: 0 };
  const row = (orderId = ORDER_ID) => state.rows.get(orderId);
  const store: TrackingStore = {
    async orderIdsOf(trackingNumbers) {
      state.lookups += 1;
      const found = new Map<string, string>();
      for (const { orderId, trackingNumber } of state.rows.values()) if (trackingNumbers.includes(trackingNumber)) found.set(trackingNumber, orderId);
      return found;
    },
    async read(orderIds) {
      state.reads += 1;
      return new Map(orderIds.flatMap((orderId) => {
        const current = state.rows.get(orderId);
        return current ? [[orderId, structuredClone(current)] as const] : [];
      }));
    },
    async write(orderId, update, expectedVersion) {
      const current = state.rows.get(orderId);
      if (current) interfere(current);
      if (!current || current.version !== expectedVersion) {
        state.conflicts += 1;
        return { written: false, current: current && structuredClone(current) };
      }
      state.rows.set(orderId, { ...current, history: update.history, version: expectedVersion + 1 });
      state.writes += 1;
      return { written: true };
    },
  };
  return { store, state, row };
};

const shipment = (orderId = ORDER_ID, trackingNumber = TRACKING): ShipmentTracking => ({ orderId, trackingNumber, history: [], version: 0 });
const at = (minute: number) => `2026-11-24T09:${String(minute).padStart(2, '0')}:00.000Z`;
const trackingEvent = (eventId: string, status: TrackingEvent['status'], minute: number, trackingNumber = TRACKING): TrackingEvent => ({ eventId, trackingNumber, status, occurredAt: at(minute) });
const noPause = async () => undefined;
const apply = (store: TrackingStore, events: TrackingEvent[]): Promise<BatchResult> =>
  applyTrackingBatch(store, noPause, () => RECORDED)({ events, receivedAt: RECEIVED });

/** Every ordering of a few events. */
const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));

describe('applyTrackingBatch: one shipment', () => {
  it('adds the first event to the history, stamped when it was received and recorded, and makes it the shipment status', async () => {
    // Prepare
    const { store, row } = memoryStore([shipment()]);

    // Act
    const result = await apply(store, [trackingEvent('e1', 'IN_TRANSIT', 1)]);

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 0, actions: [] });
    expect(row()?.history).toEqual([{ eventId: 'e1', status: 'IN_TRANSIT', occurredAt: at(1), receivedAt: RECEIVED, recordedAt: RECORDED.toISOString() }]);
  });

  it('changes nothing for the same eventId a second time', async () => {
    // Prepare
    const { store, state, row } = memoryStore([shipment()]);
    await apply(store, [trackingEvent('e1', 'IN_TRANSIT', 5)]);

    // Act
    const again = await applyTrackingBatch(store, noPause)({ events: [trackingEvent('e1', 'IN_TRANSIT', 5)], receivedAt: '2026-11-24T10:05:00.000Z' });

    // Assess
    expect(again).toEqual({ applied: 0, duplicates: 1, actions: [] });
    expect(state.writes).toBe(1);
    expect(row()?.history).toHaveLength(1);
    expect(row()?.history[0]?.receivedAt).toBe(RECEIVED);
  });

  it('applies the same eventId twice in one batch once: one entry, one write, the second counted a duplicate', async () => {
    // Prepare
    const { store, state, row } = memoryStore([shipment()]);

    // Act
    const result = await apply(store, [trackingEvent('x1', 'EXCEPTION', 3), trackingEvent('x1', 'EXCEPTION', 3)]);

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 1, actions: [{ kind: 'ALERT_EXCEPTION', event: trackingEvent('x1', 'EXCEPTION', 3), orderId: ORDER_ID }] });
    expect(row()?.history.map(({ eventId }) => eventId)).toEqual(['x1']);
    expect(state.writes).toBe(1);
  });

  it('never moves the shipment backwards: a late older event joins the history but not the status', async () => {
    // Prepare
    const { store, row } = memoryStore([shipment()]);
    await apply(store, [trackingEvent('e3', 'DELIVERED', 9)]);

    // Act
    const late = await apply(store, [trackingEvent('e1', 'IN_TRANSIT', 1)]);

    // Assess
    expect(late).toEqual({ applied: 1, duplicates: 0, actions: [] });
    expect(row()?.history.map(({ eventId, status }) => `${eventId}:${status}`)).toEqual(['e1:IN_TRANSIT', 'e3:DELIVERED']);
  });

  it.each(permutations([trackingEvent('e1', 'IN_TRANSIT', 1), trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), trackingEvent('e3', 'DELIVERED', 3), trackingEvent('e2', 'OUT_FOR_DELIVERY', 2)])
    .map((events) => [events.map(({ eventId }) => eventId).join(','), events] as const))(
    'gives the same history, status and answer whatever the order of one shipment\'s events in a batch (%s)', async (_, events) => {
      // Prepare
      const { store, state, row } = memoryStore([shipment()]);

      // Act
      const result = await apply(store, events);

      // Assess
      expect(result).toEqual({ applied: 3, duplicates: 1, actions: [{ kind: 'MARK_DELIVERED', event: trackingEvent('e3', 'DELIVERED', 3), orderId: ORDER_ID }] });
      expect(row()?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e2', 'e3']);
      expect(row()?.history.at(-1)?.status).toBe('DELIVERED');
      expect(state.writes).toBe(1);
    });

  it.each(permutations([trackingEvent('d', 'DELIVERED', 5), trackingEvent('x', 'EXCEPTION', 9), trackingEvent('t', 'IN_TRANSIT', 1)])
    .map((events) => [events.map(({ eventId }) => eventId).join(','), events] as const))(
    'answers no delivery that a newer event of the same batch overtook, whatever the order (%s)', async (_, events) => {
      // Prepare
      const { store, row } = memoryStore([shipment()]);

      // Act
      const result = await apply(store, events);

      // Assess
      expect(result.actions).toEqual([{ kind: 'ALERT_EXCEPTION', event: trackingEvent('x', 'EXCEPTION', 9), orderId: ORDER_ID }]);
      expect(row()?.history.at(-1)?.status).toBe('EXCEPTION');
    });

  it('applies on top of the row a lost write answers, without reading it again, when another batch wrote the shipment in between', async () => {
    // Prepare
    let interfered = false;
    const { store, state, row } = memoryStore([shipment()], (current) => {
      if (interfered) return;
      interfered = true;
      current.history = [{ eventId: 'e1', status: 'IN_TRANSIT', occurredAt: at(1), receivedAt: RECEIVED }];
      current.version += 1;
    });

    // Act
    const result = await apply(store, [trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), trackingEvent('e1', 'IN_TRANSIT', 1)]);

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 1, actions: [] });
    expect(row()?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e2']);
    expect({ conflicts: state.conflicts, reads: state.reads, writes: state.writes }).toEqual({ conflicts: 1, reads: 1, writes: 1 });
  });

  it('gives up with a retryable TrackingUpdateContended when it loses every time', async () => {
    // Prepare
    const { store, state } = memoryStore([shipment()], (current) => { current.version += 1; });

    // Act
    const error = await rejectionOf(() => apply(store, [trackingEvent('e1', 'IN_TRANSIT', 1)]));

    // Assess
    expect(error).toBeInstanceOf(TrackingUpdateContendedError);
    expect((error as Error).name).toBe('TrackingUpdateContended');
    expect(state.conflicts).toBe(5);
  });

  it(`keeps the newest ${MAX_HISTORY} events of a shipment that receives more`, async () => {
    // Prepare
    const full = shipment();
    full.history = Array.from({ length: MAX_HISTORY }, (_, index) => ({ eventId: `old-${index}`, status: 'IN_TRANSIT' as const, occurredAt: `2026-11-23T${String(Math.floor(index / 60) % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00.000Z`, receivedAt: RECEIVED }));
    const { store, row } = memoryStore([full]);

    // Act
    await apply(store, [trackingEvent('new', 'DELIVERED', 1)]);

    // Assess
    expect(row()?.history).toHaveLength(MAX_HISTORY);
    expect(row()?.history.at(-1)?.eventId).toBe('new');
    expect(row()?.history[0]?.eventId).toBe('old-1');
  });
});

describe('applyTrackingBatch: a batch', () => {
  it('applies every event and answers only the ones that need something more', async () => {
    // Prepare
    const { store, row } = memoryStore([shipment()]);

    // Act
    const result = await apply(store, [trackingEvent('e1', 'IN_TRANSIT', 1), trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), trackingEvent('e3', 'DELIVERED', 3)]);

    // Assess
    expect(result).toEqual({ applied: 3, duplicates: 0, actions: [{ kind: 'MARK_DELIVERED', event: trackingEvent('e3', 'DELIVERED', 3), orderId: ORDER_ID }] });
    expect(row()?.history.map(({ eventId }) => eventId)).toEqual(['e1', 'e2', 'e3']);
  });

  it('reads all of a batch\'s shipments at once and writes each once, whatever number of events each has', async () => {
    // Prepare
    const rows = Array.from({ length: 5 }, (_, index) => shipment(`ord_${index}`, `DPSHIP${index}0000`));
    const { store, state } = memoryStore(rows);
    const events = rows.flatMap(({ trackingNumber }, index) => [trackingEvent(`${index}-a`, 'IN_TRANSIT', 1, trackingNumber), trackingEvent(`${index}-b`, 'OUT_FOR_DELIVERY', 2, trackingNumber)]);

    // Act
    const result = await apply(store, events);

    // Assess
    expect(result).toEqual({ applied: 10, duplicates: 0, actions: [] });
    expect({ lookups: state.lookups, reads: state.reads, writes: state.writes }).toEqual({ lookups: 1, reads: 1, writes: 5 });
    expect([...state.rows.values()].map(({ history }) => history.map(({ status }) => status))).toEqual(rows.map(() => ['IN_TRANSIT', 'OUT_FOR_DELIVERY']));
  });

  it('writes nothing for a batch it has seen before, and answers its delivery again, so a batch run twice still gets its order marked', async () => {
    // Prepare
    const { store, state } = memoryStore([shipment()]);
    const batch = [trackingEvent('e2', 'OUT_FOR_DELIVERY', 2), trackingEvent('e3', 'DELIVERED', 3)];
    await apply(store, batch);

    // Act
    const again = await apply(store, batch);

    // Assess
    expect(again).toEqual({ applied: 0, duplicates: 2, actions: [{ kind: 'MARK_DELIVERED', event: trackingEvent('e3', 'DELIVERED', 3), orderId: ORDER_ID }] });
    expect(state.writes).toBe(1);
  });

  it('answers an exception only the first time, and no delivery that a newer event overtook', async () => {
    // Prepare
    const { store } = memoryStore([shipment()]);
    await apply(store, [trackingEvent('late', 'EXCEPTION', 9)]);

    // Act
    const result = await apply(store, [trackingEvent('late', 'EXCEPTION', 9), trackingEvent('old', 'DELIVERED', 5)]);

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 1, actions: [] });
  });

  it('asks about an unknown tracking number once more after a pause, then answers each of its events once for keeping aside', async () => {
    // Prepare
    const { store, state } = memoryStore([shipment()]);
    const pauses: number[] = [];
    const unknown = trackingEvent('u1', 'IN_TRANSIT', 1, 'DPNOSUCH0000');

    // Act
    const result = await applyTrackingBatch(store, async (ms) => { pauses.push(ms); })({ events: [unknown, trackingEvent('e1', 'IN_TRANSIT', 1), unknown], receivedAt: RECEIVED });

    // Assess
    expect(pauses).toEqual([UNKNOWN_RETRY_MS]);
    expect(state.lookups).toBe(2);
    expect(result.applied).toBe(1);
    expect(result.actions).toEqual([{ kind: 'KEEP_ASIDE', event: unknown, failure: { Error: 'UnknownTrackingNumber', Cause: 'no shipment has tracking number DPNOSUCH0000' } }]);
  });

  it('applies an event whose shipment appeared during the pause (the index caught up)', async () => {
    // Prepare
    const { store, state } = memoryStore([]);

    // Act
    const result = await applyTrackingBatch(store, async () => { state.rows.set(ORDER_ID, shipment()); })({ events: [trackingEvent('e1', 'IN_TRANSIT', 1)], receivedAt: RECEIVED });

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 0, actions: [] });
    expect(state.rows.get(ORDER_ID)?.history).toHaveLength(1);
  });

  it('treats a shipment the index names but whose row is gone as unknown', async () => {
    // Prepare
    const { store, state } = memoryStore([shipment()]);
    const realRead = store.read.bind(store);
    store.read = async (orderIds) => {
      state.reads += 1;
      return state.reads === 1 ? new Map() : realRead(orderIds);
    };

    // Act
    const result = await apply(store, [trackingEvent('e1', 'IN_TRANSIT', 1)]);

    // Assess
    expect(result).toEqual({ applied: 1, duplicates: 0, actions: [] });
    expect(state.lookups).toBe(2);
  });

  it('does not pause when every tracking number is known', async () => {
    // Prepare
    const { store } = memoryStore([shipment()]);
    let paused = false;

    // Act
    await applyTrackingBatch(store, async () => { paused = true; })({ events: [trackingEvent('e1', 'IN_TRANSIT', 1)], receivedAt: RECEIVED });

    // Assess
    expect(paused).toBe(false);
  });
});
