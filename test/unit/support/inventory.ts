import type { InventoryStore, Reservation, ReservationLine, ReserveOutcome } from '../../../functions/shared/inventory/inventory.js';

/**
 * Products and reservations in memory, with the transactional semantics of
 * dynamoDbInventoryStore: reserve writes the reservation and decrements every SKU, each never
 * below zero, or changes nothing; release flips RESERVED → RELEASED and returns the stock, or
 * changes nothing; the tombstone is a put-if-absent.
 */
export class InMemoryInventoryStore implements InventoryStore {
  readonly stock: Map<string, number>;
  readonly reservations = new Map<string, Reservation>();
  reserveCalls = 0;

  constructor(stock: Record<string, number>) {
    this.stock = new Map(Object.entries(stock));
  }

  async getReservation(orderId: string): Promise<Reservation | undefined> {
    const reservation = this.reservations.get(orderId);
    return reservation && structuredClone(reservation);
  }

  async reserve(orderId: string, items: ReservationLine[]): Promise<ReserveOutcome> {
    this.reserveCalls += 1;
    if (this.reservations.has(orderId)) return { kind: 'ALREADY_EXISTS' };
    const short = items.filter(({ sku, quantity }) => (this.stock.get(sku) ?? -1) < quantity).map(({ sku }) => sku);
    if (short.length > 0) return { kind: 'INSUFFICIENT_STOCK', skus: short };
    for (const { sku, quantity } of items) this.stock.set(sku, (this.stock.get(sku) ?? 0) - quantity);
    this.reservations.set(orderId, { orderId, status: 'RESERVED', items: structuredClone(items) });
    return { kind: 'RESERVED' };
  }

  async release({ orderId, items }: Reservation): Promise<boolean> {
    const row = this.reservations.get(orderId);
    if (row?.status !== 'RESERVED') return false;
    this.reservations.set(orderId, { ...row, status: 'RELEASED' });
    for (const { sku, quantity } of items) this.stock.set(sku, (this.stock.get(sku) ?? 0) + quantity);
    return true;
  }

  async markReleasedBeforeReserve(orderId: string): Promise<boolean> {
    if (this.reservations.has(orderId)) return false;
    this.reservations.set(orderId, { orderId, status: 'RELEASED', items: [] });
    return true;
  }

  stockLevels(): Record<string, number> {
    return Object.fromEntries(this.stock);
  }
}
