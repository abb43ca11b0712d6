import { AwsCallUnavailableError, OutOfStockError, ReservationReleasedError } from '../errors.js';

export interface ReservationLine {
  sku: string;
  quantity: number;
}

export type ReservationStatus = 'RESERVED' | 'RELEASED';

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: ReservationLine[];
}

export type ReserveOutcome =
  | { kind: 'RESERVED' }
  | { kind: 'ALREADY_EXISTS' }
  | { kind: 'INSUFFICIENT_STOCK'; skus: string[] }
  /** Another transaction held one of the rows: nothing was written, and another try may succeed. */
  | { kind: 'CONFLICT' };

export interface InventoryStore {
  getReservation(orderId: string): Promise<Reservation | undefined>;
  /** Atomically: reservation row created and every SKU's stock decremented, each never below zero; or nothing. */
  reserve(orderId: string, items: ReservationLine[]): Promise<ReserveOutcome>;
  /** Atomically: RESERVED → RELEASED and stock returned; false when the row was not RESERVED any more. */
  release(reservation: Reservation): Promise<boolean>;
  /** A RELEASED tombstone for an order that never reserved, so a late reserve is refused; false when a row exists. */
  markReleasedBeforeReserve(orderId: string): Promise<boolean>;
}

const MAX_RACES = 5;

/** Reserves stock once per order: a retried or replayed step returns the existing reservation. */
/**
 * `admit` runs once, after the first read, when the order holds no reservation yet: a caller's
 * say on whether this order may take stock now (it throws to refuse).
 */
export const reserveInventory = (store: InventoryStore, admit: (items: ReservationLine[]) => Promise<void> = async () => undefined) =>
  async ({ orderId, items }: { orderId: string; items: ReservationLine[] }): Promise<Reservation> => {
    let conflicts = 0;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const existing = await store.getReservation(orderId);
      if (existing?.status === 'RESERVED') return existing;
      if (race === 0) await admit(items);
      if (existing?.status === 'RELEASED') {
        throw new ReservationReleasedError(`stock for ${orderId} was already released; not reserving again`);
      }
      const outcome = await store.reserve(orderId, items);
      if (outcome.kind === 'RESERVED') return { orderId, status: 'RESERVED', items };
      if (outcome.kind === 'INSUFFICIENT_STOCK') {
        throw new OutOfStockError(`not enough stock for ${outcome.skus.join(', ')}`);
      }
      if (outcome.kind === 'CONFLICT') conflicts += 1;
    }
    // A SKU that other orders kept reserving at the same moment is busy, not short: the Task retries.
    if (conflicts > 0) throw new AwsCallUnavailableError(`stock for ${orderId} was held by other transactions ${conflicts} times in a row`);
    throw new Error(`reservation for ${orderId} kept changing; giving up after ${MAX_RACES} reads`);
  };

export interface ReleaseResult {
  orderId: string;
  outcome: 'RELEASED' | 'NOTHING_TO_RELEASE';
  /** What went back into stock, when something did. */
  items?: ReservationLine[];
}

/** Compensation for reserveInventory; idempotent, and safe to run before the reservation lands. */
export const releaseInventory = (store: InventoryStore) =>
  async ({ orderId }: { orderId: string }): Promise<ReleaseResult> => {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const existing = await store.getReservation(orderId);
      if (existing === undefined) {
        if (await store.markReleasedBeforeReserve(orderId)) return { orderId, outcome: 'NOTHING_TO_RELEASE' };
        continue;
      }
      if (existing.status === 'RELEASED') return { orderId, outcome: 'NOTHING_TO_RELEASE' };
      if (await store.release(existing)) return { orderId, outcome: 'RELEASED', items: existing.items };
    }
    throw new Error(`reservation for ${orderId} kept changing; giving up after ${MAX_RACES} reads`);
  };
