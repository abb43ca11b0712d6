import { OutOfStockError, ReservationReleasedError } from '../errors.js';
import { reserveInventory, type InventoryStore, type ReleaseResult, type ReservationLine } from '../inventory/inventory.js';

/**
 * Orders that could not be reserved wait in line per SKU for stock, oldest placement first. The
 * fulfilment workflow waits on a task token that only ServeBackorders (or the end of the
 * backorder window) releases, so nothing runs while nothing changes.
 *
 * One row per (order, SKU) of the order's lines: an order waits in the line of every SKU it needs,
 * and is served whole (all its lines reserved in one transaction) or not at all.
 */
export interface Backorder {
  orderId: string;
  /** The order's placement time: the line's order. */
  placedAt: string;
  items: ReservationLine[];
  taskToken: string;
}

export interface BackorderQueue {
  /** Puts the order in the line of each of its SKUs (overwriting a retried registration's token). */
  add(backorder: Backorder): Promise<void>;
  /** Everyone waiting for the SKU, in any order. */
  waitingFor(sku: string): Promise<Backorder[]>;
  /** Whether anyone waits for the SKU (one read, for every new order). */
  anyoneWaitingFor(sku: string): Promise<boolean>;
  /**
   * Takes the order out of every line at once, only if it is still in all of them: true for the
   * one caller that did, so exactly one caller releases its token.
   */
  claim(backorder: Backorder): Promise<boolean>;
  /** Takes whatever rows the order still has out of the lines; nothing when none. */
  withdraw(orderId: string): Promise<number>;
}

/** What reserving a waiting order's lines came to. */
export type ServeReservation = 'RESERVED' | 'SHORT' | 'RELEASED';

export interface BackorderInventory {
  /** Reserves every line of the order once (idempotent per order); RELEASED: its window closed and compensation tombstoned it. */
  reserve(orderId: string, items: ReservationLine[]): Promise<ServeReservation>;
}

export interface WaitingWorkflows {
  /** Hands the order back to its workflow; STOPPED_WAITING when the token is no longer waited on (timed out, execution gone). */
  resume(taskToken: string, output: { orderId: string }): Promise<'RESUMED' | 'STOPPED_WAITING'>;
}

/** The inventory's own reserve (one transaction), read as the line needs it. */
export const backorderInventory = (store: InventoryStore): BackorderInventory => {
  const reserve = reserveInventory(store);
  return {
    async reserve(orderId, items) {
      try {
        await reserve({ orderId, items });
        return 'RESERVED';
      } catch (error) {
        if (error instanceof OutOfStockError) return 'SHORT';
        if (error instanceof ReservationReleasedError) return 'RELEASED';
        throw error;
      }
    },
  };
};

/**
 * A new order's reserve: stock that backordered orders wait for is theirs first, so with anyone in
 * line for one of its SKUs the order joins the line too (OutOfStock) instead of taking it, e.g. in
 * the moment between a restock and its line being served. A reservation the order already has
 * (served from the line) is returned as it is.
 */
export const reserveBehindWaitingOrders = (queue: Pick<BackorderQueue, 'anyoneWaitingFor'>, store: InventoryStore) =>
  reserveInventory(store, async (items) => {
    for (const sku of skusOf(items)) {
      if (await queue.anyoneWaitingFor(sku)) throw new OutOfStockError(`backordered orders are waiting for ${sku}; joining the line`);
    }
  });

/** The line for a SKU, first in line first: by placement time, ties by order id so every reader agrees. */
export const inLine = (waiting: Backorder[]): Backorder[] =>
  [...waiting].sort((a, b) => (a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

/** The SKUs an order waits for, each once (an order may have two lines of one SKU). */
export const skusOf = (items: ReservationLine[]): string[] => [...new Set(items.map(({ sku }) => sku))];

export interface ServeResult {
  sku: string;
  /** Orders reserved and handed back to their workflow, in that order. */
  served: string[];
  /** Orders whose token nobody waits on any more: row dropped, reservation left to the order's workflow. */
  stoppedWaiting: string[];
  /** The first order still short, which everyone behind it waits for; none when the line is empty. */
  blockedBy?: string;
}

/** A guard against a line that never settles (rows changing under us on every read). */
const MAX_TURNS = 1_000;

/**
 * Serves the SKU's line strictly in order: the first order in line is reserved whole, claimed and
 * resumed, then the next; the first that cannot be reserved stops the line (nobody overtakes it).
 * Any number of servers may run at once (restocks, registrations): reserving is idempotent per
 * order and the claim lets exactly one of them release the token; stock only moves in conditional
 * transactions, so it never goes below zero.
 */
export const serveBackorders = (queue: BackorderQueue, inventory: BackorderInventory, workflows: WaitingWorkflows) =>
  async ({ sku }: { sku: string }): Promise<ServeResult> => {
    const result: ServeResult = { sku, served: [], stoppedWaiting: [] };
    // Orders this run already dealt with: an index read just after a claim may still show them.
    const handled = new Set<string>();
    for (let turn = 0; turn < MAX_TURNS; turn += 1) {
      const [first] = inLine((await queue.waitingFor(sku)).filter(({ orderId }) => !handled.has(orderId)));
      if (!first) return result;
      handled.add(first.orderId);
      const reservation = await inventory.reserve(first.orderId, first.items);
      if (reservation === 'SHORT') return { ...result, blockedBy: first.orderId };
      if (reservation === 'RELEASED') {
        // Its window closed and compensation released it first; its own workflow withdraws the
        // rows too, but a line must never stay stuck behind an order nobody waits for.
        await queue.withdraw(first.orderId);
        result.stoppedWaiting.push(first.orderId);
        continue;
      }
      // Lost to another server (it resumes the order) or to the window's end (whose compensation
      // releases this reservation): either way the stock is not ours to release.
      if (!(await queue.claim(first))) continue;
      let resumed: 'RESUMED' | 'STOPPED_WAITING';
      try {
        resumed = await workflows.resume(first.taskToken, { orderId: first.orderId });
      } catch (error) {
        // Step Functions did not answer: the order takes its place in line back (same placement
        // time, reservation kept), so the retried event, or the next, serves it.
        await queue.add(first);
        throw error;
      }
      // Not proof that the order never took its stock: a WaitForRestock retried after its runtime
      // died re-registers a token that was already sent back, and an SDK retry re-sends a token
      // that landed; that order ships with this reservation. One whose window closed gives it back
      // in its own compensation (whose InventoryReleased serves the line again).
      if (resumed === 'STOPPED_WAITING') {
        result.stoppedWaiting.push(first.orderId);
        continue;
      }
      result.served.push(first.orderId);
    }
    throw new Error(`the line for ${sku} kept changing; stopped after ${MAX_TURNS} turns`);
  };

export interface RegisterInput {
  orderId: string;
  placedAt: string;
  items: { sku: string; quantity: number }[];
  taskToken: string;
}

/**
 * The workflow's wait for stock: the order joins the line of each SKU, then each line is served
 * once, because stock may have arrived (a restock, a release) while the order was getting in line,
 * and no event would wake it.
 */
export const registerBackorder = (queue: BackorderQueue, serve: (input: { sku: string }) => Promise<ServeResult>) =>
  async ({ orderId, placedAt, items, taskToken }: RegisterInput): Promise<{ orderId: string; waitingFor: string[]; served: boolean; serveFailed?: string }> => {
    const lines = items.map(({ sku, quantity }) => ({ sku, quantity }));
    await queue.add({ orderId, placedAt, items: lines, taskToken });
    let served = false;
    try {
      for (const sku of skusOf(lines)) {
        served = (await serve({ sku })).served.includes(orderId) || served;
      }
    } catch (error) {
      // The order is in line, which is what this step is for: failing it now would fail the
      // order. A serve cut short leaves every order in line or resumed, and the next restock serves.
      return { orderId, waitingFor: skusOf(lines), served, serveFailed: (error as Error).name };
    }
    return { orderId, waitingFor: skusOf(lines), served };
  };

/** The window closed: the order leaves every line (its compensation releases any reservation). */
export const withdrawBackorder = (queue: BackorderQueue) =>
  async ({ orderId }: { orderId: string }): Promise<{ orderId: string; withdrawn: number }> =>
    ({ orderId, withdrawn: await queue.withdraw(orderId) });

/** InventoryRestocked or InventoryReleased, as EventBridge hands it to ServeBackorders. */
export interface StockArrivedEvent {
  'detail-type'?: string;
  detail?: { sku?: unknown };
}

/** The event's SKU is the line to serve; an event without one is a bug upstream, refused loudly. */
export const serveOnStockArrival = (serve: (input: { sku: string }) => Promise<ServeResult>) =>
  async (event: StockArrivedEvent): Promise<ServeResult> => {
    const sku = event.detail?.sku;
    if (typeof sku !== 'string' || sku.length === 0) throw new Error(`${event['detail-type'] ?? 'stock'} event without a sku`);
    return serve({ sku });
  };

/** Announces stock a compensation gave back (InventoryReleased), which wakes the SKU's line as a restock does. */
export interface ReleasedStockEvents {
  released(event: { sku: string; quantity: number; orderId: string }): Promise<void>;
}

/**
 * Compensation's release, then one InventoryReleased per line that went back into stock, so
 * orders waiting for it are served now rather than at the next restock. The release stands
 * whether or not the announcement goes out: `onUnannounced` hears of one that did not.
 */
export const releaseAndAnnounce = (
  release: (input: { orderId: string }) => Promise<ReleaseResult>,
  events: ReleasedStockEvents,
  onUnannounced: (sku: string, error: Error) => void,
) =>
  async (input: { orderId: string }): Promise<ReleaseResult> => {
    const result = await release(input);
    for (const { sku, quantity } of result.items ?? []) {
      try {
        await events.released({ sku, quantity, orderId: result.orderId });
      } catch (error) {
        onUnannounced(sku, error as Error);
      }
    }
    return result;
  };
