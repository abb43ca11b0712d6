import {
  backorderInventory,
  inLine,
  registerBackorder,
  releaseAndAnnounce,
  reserveBehindWaitingOrders,
  serveBackorders,
  serveOnStockArrival,
  withdrawBackorder,
  type Backorder,
  type BackorderQueue,
  type WaitingWorkflows,
} from '../../functions/shared/backorders/backorder.js';
import { releaseInventory } from '../../functions/shared/inventory/inventory.js';
import { InMemoryInventoryStore } from './support/inventory.js';
import { rejectionOf } from './support/rejection.js';
import { OutOfStockError } from '../../functions/shared/errors.js';

/** The backorders table in memory: one row per (order, SKU); a claim takes every row of an order or none. */
class InMemoryBackorderQueue implements BackorderQueue {
  readonly rows = new Map<string, Backorder & { sku: string }>();

  async add(backorder: Backorder): Promise<void> {
    for (const { sku } of backorder.items) this.rows.set(`${backorder.orderId}|${sku}`, { ...structuredClone(backorder), sku });
  }

  async waitingFor(sku: string): Promise<Backorder[]> {
    // Any order: the domain, not the index, decides who is first.
    return [...this.rows.values()].filter((row) => row.sku === sku).reverse().map(({ orderId, placedAt, items, taskToken }) => ({ orderId, placedAt, items, taskToken }));
  }

  async anyoneWaitingFor(sku: string): Promise<boolean> {
    return (await this.waitingFor(sku)).length > 0;
  }

  async claim({ orderId, items, taskToken }: Backorder): Promise<boolean> {
    const keys = items.map(({ sku }) => `${orderId}|${sku}`);
    if (!keys.every((key) => this.rows.get(key)?.taskToken === taskToken)) return false;
    keys.forEach((key) => this.rows.delete(key));
    return true;
  }

  async withdraw(orderId: string): Promise<number> {
    const keys = [...this.rows.keys()].filter((key) => key.startsWith(`${orderId}|`));
    keys.forEach((key) => this.rows.delete(key));
    return keys.length;
  }

  orderIds(): string[] {
    return [...new Set([...this.rows.values()].map(({ orderId }) => orderId))].sort();
  }
}

/** Workflows waiting on their tokens; a token of a closed window answers as Step Functions does. */
class FakeWorkflows implements WaitingWorkflows {
  readonly resumed: string[] = [];
  readonly stoppedWaiting = new Set<string>();

  async resume(taskToken: string, output: { orderId: string }): Promise<'RESUMED' | 'STOPPED_WAITING'> {
    if (this.stoppedWaiting.has(taskToken) || this.resumed.includes(taskToken)) return 'STOPPED_WAITING';
    this.resumed.push(taskToken);
    expect(output.orderId).toBe(taskToken.replace('token-', ''));
    return 'RESUMED';
  }
}

const backorder = (orderId: string, placedAt: string, items = [{ sku: 'CABLE', quantity: 1 }]): Backorder =>
  ({ orderId, placedAt, items, taskToken: `token-${orderId}` });

const setUp = (stock: Record<string, number>) => {
  const queue = new InMemoryBackorderQueue();
  const store = new InMemoryInventoryStore(stock);
  const workflows = new FakeWorkflows();
  return { queue, store, workflows, serve: serveBackorders(queue, backorderInventory(store), workflows) };
};

describe('inLine', () => {
  it('puts the earliest placement first, and breaks a tie by order id the same way for every reader', () => {
    // Prepare
    const waiting = [
      backorder('ord_c', '2026-11-24T10:00:02.000Z'),
      backorder('ord_b', '2026-11-24T10:00:01.000Z'),
      backorder('ord_a', '2026-11-24T10:00:02.000Z'),
    ];

    // Act
    const line = inLine(waiting);

    // Assess
    expect(line.map(({ orderId }) => orderId)).toEqual(['ord_b', 'ord_a', 'ord_c']);
    expect(waiting.map(({ orderId }) => orderId)).toEqual(['ord_c', 'ord_b', 'ord_a']);
  });
});

describe('serveBackorders', () => {
  it('serves the line in placement order until the stock runs short, and leaves the rest waiting', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 2 });
    await queue.add(backorder('ord_third', '2026-11-24T10:00:03.000Z'));
    await queue.add(backorder('ord_first', '2026-11-24T10:00:01.000Z'));
    await queue.add(backorder('ord_second', '2026-11-24T10:00:02.000Z'));

    // Act
    const result = await serve({ sku: 'CABLE' });

    // Assess
    expect(result).toEqual({ sku: 'CABLE', served: ['ord_first', 'ord_second'], stoppedWaiting: [], blockedBy: 'ord_third' });
    expect(workflows.resumed).toEqual(['token-ord_first', 'token-ord_second']);
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual(['ord_third']);
  });

  it('lets nobody overtake the first order in line that is still short, even when a later one would fit', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 2 });
    await queue.add(backorder('ord_big', '2026-11-24T10:00:01.000Z', [{ sku: 'CABLE', quantity: 3 }]));
    await queue.add(backorder('ord_small', '2026-11-24T10:00:02.000Z', [{ sku: 'CABLE', quantity: 1 }]));

    // Act
    const result = await serve({ sku: 'CABLE' });

    // Assess
    expect(result).toMatchObject({ served: [], blockedBy: 'ord_big' });
    expect(workflows.resumed).toEqual([]);
    expect(store.stockLevels()).toEqual({ CABLE: 2 });
    expect(queue.orderIds()).toEqual(['ord_big', 'ord_small']);
  });

  it('reserves every line of an order or none: one short SKU holds nothing of the others', async () => {
    // Prepare
    const { queue, store, serve } = setUp({ CABLE: 5, HUB: 0 });
    await queue.add(backorder('ord_both', '2026-11-24T10:00:01.000Z', [{ sku: 'CABLE', quantity: 2 }, { sku: 'HUB', quantity: 1 }]));

    // Act
    const result = await serve({ sku: 'CABLE' });

    // Assess
    expect(result.blockedBy).toBe('ord_both');
    expect(store.stockLevels()).toEqual({ CABLE: 5, HUB: 0 });
    expect(store.reservations.size).toBe(0);
  });

  it('leaves what it reserved for an order whose window closed to that order\'s compensation, whose release serves the next', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_expired', '2026-11-24T10:00:01.000Z'));
    await queue.add(backorder('ord_next', '2026-11-24T10:00:02.000Z'));
    workflows.stoppedWaiting.add('token-ord_expired');

    // Act
    const result = await serve({ sku: 'CABLE' });
    const compensated = await releaseInventory(store)({ orderId: 'ord_expired' });
    const afterRelease = await serve({ sku: 'CABLE' });

    // Assess
    expect(result).toMatchObject({ served: [], stoppedWaiting: ['ord_expired'], blockedBy: 'ord_next' });
    expect(compensated.outcome).toBe('RELEASED');
    expect(afterRelease).toMatchObject({ served: ['ord_next'], stoppedWaiting: [] });
    expect(store.reservations.get('ord_next')?.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual([]);
  });

  it('keeps the reservation of an order whose resume landed though it failed, when its row put back is served again', async () => {
    // Prepare: Step Functions took the token, but the answer never came (an SDK timeout).
    const { queue, store, workflows } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_1', '2026-11-24T10:00:01.000Z'));
    const landedUnanswered: WaitingWorkflows = {
      resume: async (taskToken, output) => {
        await workflows.resume(taskToken, output);
        throw Object.assign(new Error('The operation was aborted'), { name: 'TimeoutError' });
      },
    };
    await rejectionOf(() => serveBackorders(queue, backorderInventory(store), landedUnanswered)({ sku: 'CABLE' }));

    // Act: its workflow went on with the reservation, so the token answers that nobody waits on it.
    const result = await serveBackorders(queue, backorderInventory(store), workflows)({ sku: 'CABLE' });

    // Assess
    expect(workflows.resumed).toEqual(['token-ord_1']);
    expect(result).toMatchObject({ served: [], stoppedWaiting: ['ord_1'] });
    expect(store.reservations.get('ord_1')?.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual([]);
  });

  it('drops an order whose compensation released it first (the tombstone) without touching stock', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_closed', '2026-11-24T10:00:01.000Z'));
    await queue.add(backorder('ord_next', '2026-11-24T10:00:02.000Z'));
    await releaseInventory(store)({ orderId: 'ord_closed' });

    // Act
    const result = await serve({ sku: 'CABLE' });

    // Assess
    expect(result).toMatchObject({ served: ['ord_next'], stoppedWaiting: ['ord_closed'] });
    expect(workflows.resumed).toEqual(['token-ord_next']);
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
  });

  it('never resumes an order twice nor lets stock go below zero when servers run at once', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 3 });
    for (let i = 1; i <= 5; i += 1) await queue.add(backorder(`ord_${i}`, `2026-11-24T10:00:0${i}.000Z`));

    // Act
    const results = await Promise.all([serve({ sku: 'CABLE' }), serve({ sku: 'CABLE' }), serve({ sku: 'CABLE' })]);

    // Assess
    expect(results.flatMap(({ served }) => served).sort()).toEqual(['ord_1', 'ord_2', 'ord_3']);
    expect(workflows.resumed).toEqual(['token-ord_1', 'token-ord_2', 'token-ord_3']);
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual(['ord_4', 'ord_5']);
  });

  it('puts an order back in its place, stock kept reserved, when its workflow cannot be reached, and serves it on the next try', async () => {
    // Prepare
    const { queue, store, workflows } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_1', '2026-11-24T10:00:01.000Z'));
    await queue.add(backorder('ord_2', '2026-11-24T10:00:02.000Z'));
    const unreachable: WaitingWorkflows = { resume: async () => { throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' }); } };

    // Act
    const error = await rejectionOf(() => serveBackorders(queue, backorderInventory(store), unreachable)({ sku: 'CABLE' }));
    const retried = await serveBackorders(queue, backorderInventory(store), workflows)({ sku: 'CABLE' });

    // Assess
    expect((error as Error).name).toBe('ThrottlingException');
    expect(retried).toMatchObject({ served: ['ord_1'], blockedBy: 'ord_2' });
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
  });

  it('does not release an order another server claimed first, whose workflow goes on', async () => {
    // Prepare
    const { queue, store, workflows } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_1', '2026-11-24T10:00:01.000Z'));
    const first = await queue.waitingFor('CABLE');
    const racing: BackorderQueue = {
      waitingFor: async () => first,
      anyoneWaitingFor: async () => true,
      claim: async () => false,
      withdraw: (id) => queue.withdraw(id),
      add: (b) => queue.add(b),
    };
    await serveBackorders(queue, backorderInventory(store), workflows)({ sku: 'CABLE' });

    // Act
    const result = await serveBackorders(racing, backorderInventory(store), workflows)({ sku: 'CABLE' });

    // Assess
    expect(result).toMatchObject({ served: [], stoppedWaiting: [] });
    expect(store.reservations.get('ord_1')?.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
  });
});

describe('registerBackorder', () => {
  it('joins the line of every SKU of the order once, with its token and placement time', async () => {
    // Prepare
    const { queue, serve } = setUp({ CABLE: 0, HUB: 0 });

    // Act
    const result = await registerBackorder(queue, serve)({
      orderId: 'ord_1',
      placedAt: '2026-11-24T10:00:01.000Z',
      items: [{ sku: 'CABLE', quantity: 1 }, { sku: 'HUB', quantity: 2 }, { sku: 'CABLE', quantity: 1 }],
      taskToken: 'token-ord_1',
    });

    // Assess
    expect(result).toEqual({ orderId: 'ord_1', waitingFor: ['CABLE', 'HUB'], served: false });
    expect([...queue.rows.keys()].sort()).toEqual(['ord_1|CABLE', 'ord_1|HUB']);
    expect(queue.rows.get('ord_1|HUB')).toMatchObject({ placedAt: '2026-11-24T10:00:01.000Z', taskToken: 'token-ord_1' });
  });

  it('is served at once when stock arrived while it was getting in line', async () => {
    // Prepare
    const { queue, store, workflows, serve } = setUp({ CABLE: 1 });

    // Act
    const result = await registerBackorder(queue, serve)({ orderId: 'ord_1', placedAt: '2026-11-24T10:00:01.000Z', items: [{ sku: 'CABLE', quantity: 1 }], taskToken: 'token-ord_1' });

    // Assess
    expect(result.served).toBe(true);
    expect(workflows.resumed).toEqual(['token-ord_1']);
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual([]);
  });

  it('keeps the reservation of an order served before its registration was retried with the same token, when its leftover row is served after it shipped', async () => {
    // Prepare: the first registration serves the order, then its runtime dies; the Task's retry
    // registers the same token again behind an older order still short, and the execution goes on
    // with the answer already sent.
    const { queue, store, workflows, serve } = setUp({ CABLE: 1 });
    const register = registerBackorder(queue, serve);
    const retried = { orderId: 'ord_retried', placedAt: '2026-11-24T10:00:02.000Z', items: [{ sku: 'CABLE', quantity: 1 }], taskToken: 'token-ord_retried' };
    await register(retried);
    await register({ orderId: 'ord_older', placedAt: '2026-11-24T10:00:01.000Z', items: [{ sku: 'CABLE', quantity: 1 }], taskToken: 'token-ord_older' });
    await register(retried);
    store.stock.set('CABLE', 1);

    // Act: a restock serves the line after ord_retried's execution ended (its token answers so).
    const result = await serve({ sku: 'CABLE' });

    // Assess
    expect(result).toMatchObject({ served: ['ord_older'], stoppedWaiting: ['ord_retried'] });
    expect(workflows.resumed).toEqual(['token-ord_retried', 'token-ord_older']);
    expect(store.reservations.get('ord_retried')?.status).toBe('RESERVED');
    expect(store.reservations.get('ord_older')?.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
    expect(queue.orderIds()).toEqual([]);
  });

  it('stays in line when serving the line after joining it fails', async () => {
    // Prepare
    const { queue } = setUp({ CABLE: 1 });
    const failingServe = async (): Promise<never> => { throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }); };

    // Act
    const result = await registerBackorder(queue, failingServe)({ orderId: 'ord_1', placedAt: '2026-11-24T10:00:01.000Z', items: [{ sku: 'CABLE', quantity: 1 }], taskToken: 'token-ord_1' });

    // Assess
    expect(result).toEqual({ orderId: 'ord_1', waitingFor: ['CABLE'], served: false, serveFailed: 'ProvisionedThroughputExceededException' });
    expect(queue.orderIds()).toEqual(['ord_1']);
  });

  it('waits behind an older order instead of taking the stock it is waiting for', async () => {
    // Prepare
    const { queue, store, serve } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_older', '2026-11-24T10:00:01.000Z', [{ sku: 'CABLE', quantity: 2 }]));

    // Act
    const result = await registerBackorder(queue, serve)({ orderId: 'ord_newer', placedAt: '2026-11-24T10:00:02.000Z', items: [{ sku: 'CABLE', quantity: 1 }], taskToken: 'token-ord_newer' });

    // Assess
    expect(result.served).toBe(false);
    expect(store.stockLevels()).toEqual({ CABLE: 1 });
    expect(queue.orderIds()).toEqual(['ord_newer', 'ord_older']);
  });
});

describe('reserveBehindWaitingOrders', () => {
  it('reserves as usual when nobody waits for its SKUs', async () => {
    // Prepare
    const { queue, store } = setUp({ CABLE: 2, HUB: 1 });

    // Act
    const reservation = await reserveBehindWaitingOrders(queue, store)({ orderId: 'ord_new', items: [{ sku: 'CABLE', quantity: 2 }, { sku: 'HUB', quantity: 1 }] });

    // Assess
    expect(reservation.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ CABLE: 0, HUB: 0 });
  });

  it('joins the line instead of taking stock that backordered orders wait for', async () => {
    // Prepare
    const { queue, store } = setUp({ CABLE: 5, HUB: 1 });
    await queue.add(backorder('ord_waiting', '2026-11-24T10:00:01.000Z', [{ sku: 'HUB', quantity: 2 }]));

    // Act
    const error = await rejectionOf(() => reserveBehindWaitingOrders(queue, store)({ orderId: 'ord_new', items: [{ sku: 'CABLE', quantity: 1 }, { sku: 'HUB', quantity: 1 }] }));

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as Error).message).toContain('HUB');
    expect(store.stockLevels()).toEqual({ CABLE: 5, HUB: 1 });
  });

  it('returns the reservation a served order already has, though others still wait', async () => {
    // Prepare
    const { queue, store, serve } = setUp({ CABLE: 1 });
    await queue.add(backorder('ord_served', '2026-11-24T10:00:01.000Z'));
    await queue.add(backorder('ord_behind', '2026-11-24T10:00:02.000Z'));
    await serve({ sku: 'CABLE' });

    // Act
    const reservation = await reserveBehindWaitingOrders(queue, store)({ orderId: 'ord_served', items: [{ sku: 'CABLE', quantity: 1 }] });

    // Assess
    expect(reservation).toMatchObject({ orderId: 'ord_served', status: 'RESERVED' });
    expect(store.stockLevels()).toEqual({ CABLE: 0 });
  });
});

describe('withdrawBackorder', () => {
  it('takes the order out of every line, and is a no-op the second time', async () => {
    // Prepare
    const { queue } = setUp({});
    await queue.add(backorder('ord_1', '2026-11-24T10:00:01.000Z', [{ sku: 'CABLE', quantity: 1 }, { sku: 'HUB', quantity: 1 }]));

    // Act
    const first = await withdrawBackorder(queue)({ orderId: 'ord_1' });
    const second = await withdrawBackorder(queue)({ orderId: 'ord_1' });

    // Assess
    expect(first).toEqual({ orderId: 'ord_1', withdrawn: 2 });
    expect(second).toEqual({ orderId: 'ord_1', withdrawn: 0 });
  });
});

describe('serveOnStockArrival', () => {
  it('serves the line of the restocked SKU', async () => {
    // Prepare
    const served: string[] = [];
    const handle = serveOnStockArrival(async ({ sku }) => { served.push(sku); return { sku, served: [], stoppedWaiting: [] }; });

    // Act
    await handle({ 'detail-type': 'InventoryRestocked', detail: { sku: 'CABLE' } });

    // Assess
    expect(served).toEqual(['CABLE']);
  });

  it('refuses an event without a SKU', async () => {
    // Prepare
    const handle = serveOnStockArrival(async ({ sku }) => ({ sku, served: [], stoppedWaiting: [] }));

    // Act
    const error = await rejectionOf(() => handle({ detail: {} }));

    // Assess
    expect((error as Error).message).toContain('without a sku');
  });
});

describe('releaseAndAnnounce', () => {
  it('announces each line that went back into stock, so its line is served now', async () => {
    // Prepare
    const { store } = setUp({ CABLE: 3, HUB: 1 });
    await store.reserve('ord_failed', [{ sku: 'CABLE', quantity: 2 }, { sku: 'HUB', quantity: 1 }]);
    const announced: unknown[] = [];

    // Act
    const result = await releaseAndAnnounce(releaseInventory(store), { released: async (event) => { announced.push(event); } }, () => undefined)({ orderId: 'ord_failed' });

    // Assess
    expect(result.outcome).toBe('RELEASED');
    expect(announced).toEqual([{ sku: 'CABLE', quantity: 2, orderId: 'ord_failed' }, { sku: 'HUB', quantity: 1, orderId: 'ord_failed' }]);
    expect(store.stockLevels()).toEqual({ CABLE: 3, HUB: 1 });
  });

  it('announces nothing when nothing went back', async () => {
    // Prepare
    const { store } = setUp({ CABLE: 3 });
    const announced: unknown[] = [];

    // Act
    const result = await releaseAndAnnounce(releaseInventory(store), { released: async (event) => { announced.push(event); } }, () => undefined)({ orderId: 'ord_never_reserved' });

    // Assess
    expect(result.outcome).toBe('NOTHING_TO_RELEASE');
    expect(announced).toEqual([]);
  });

  it('keeps the release when the announcement fails, and says so', async () => {
    // Prepare
    const { store } = setUp({ CABLE: 1 });
    await store.reserve('ord_failed', [{ sku: 'CABLE', quantity: 1 }]);
    const unannounced: string[] = [];
    const failing = { released: async (): Promise<void> => { throw Object.assign(new Error('bus down'), { name: 'InternalException' }); } };

    // Act
    const result = await releaseAndAnnounce(releaseInventory(store), failing, (sku, error) => unannounced.push(`${sku}: ${error.name}`))({ orderId: 'ord_failed' });

    // Assess
    expect(result.outcome).toBe('RELEASED');
    expect(unannounced).toEqual(['CABLE: InternalException']);
    expect(store.stockLevels()).toEqual({ CABLE: 1 });
  });
});
