import { rejectionOf } from './support/rejection.js';
import { AwsCallUnavailableError, OutOfStockError, ReservationReleasedError } from '../../functions/shared/errors.js';
import { releaseInventory, reserveInventory, type InventoryStore } from '../../functions/shared/inventory/inventory.js';
import { InMemoryInventoryStore } from './support/inventory.js';

const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
const OTHER_ORDER_ID = 'ord_ffffffffffffffffffffffffffffffff';

describe('reserveInventory', () => {
  it('decrements the stock of every item and returns the reservation', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5, MOUSE: 3, CABLE: 10 });
    const items = [{ sku: 'KB', quantity: 2 }, { sku: 'MOUSE', quantity: 3 }];

    // Act
    const reservation = await reserveInventory(store)({ orderId: ORDER_ID, items });

    // Assess
    expect(reservation).toEqual({ orderId: ORDER_ID, status: 'RESERVED', items });
    expect(store.stockLevels()).toEqual({ KB: 3, MOUSE: 0, CABLE: 10 });
  });

  it('reserves once per order: a second reserve returns the existing reservation and changes no stock', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });
    const reserve = reserveInventory(store);
    const first = await reserve({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });

    // Act
    const second = await reserve({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });

    // Assess
    expect(second).toEqual(first);
    expect(store.stockLevels()).toEqual({ KB: 3 });
    expect(store.reserveCalls).toBe(1);
  });

  it('throws OutOfStock naming the SKU and changes no stock when there is not enough', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 1 });

    // Act
    const error = await rejectionOf(() => reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] }));

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as Error).name).toBe('OutOfStock');
    expect((error as Error).message).toBe('not enough stock for KB');
    expect(store.stockLevels()).toEqual({ KB: 1 });
    expect(store.reservations.size).toBe(0);
  });

  it('reserves nothing at all when one item of several is short, and names only the short ones', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5, MOUSE: 1, CABLE: 10, HUB: 0 });

    // Act
    const error = await rejectionOf(() => reserveInventory(store)({
      orderId: ORDER_ID,
      items: [{ sku: 'KB', quantity: 2 }, { sku: 'MOUSE', quantity: 2 }, { sku: 'CABLE', quantity: 1 }, { sku: 'HUB', quantity: 1 }],
    }));

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as Error).message).toBe('not enough stock for MOUSE, HUB');
    expect(store.stockLevels()).toEqual({ KB: 5, MOUSE: 1, CABLE: 10, HUB: 0 });
    expect(store.reservations.size).toBe(0);
  });

  it('reserves the last unit, leaving the stock at zero and never below', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 2 });
    const reserve = reserveInventory(store);

    // Act
    await reserve({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });
    const error = await rejectionOf(() => reserve({ orderId: OTHER_ORDER_ID, items: [{ sku: 'KB', quantity: 1 }] }));

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect(store.stockLevels()).toEqual({ KB: 0 });
  });

  it('treats a SKU the store does not know as out of stock', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });

    // Act
    const error = await rejectionOf(() => reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'GHOST', quantity: 1 }] }));

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as Error).message).toContain('GHOST');
    expect(store.stockLevels()).toEqual({ KB: 5 });
  });

  it('refuses with ReservationReleased, changing no stock, after the stock was released', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });
    await reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });
    await releaseInventory(store)({ orderId: ORDER_ID });

    // Act
    const error = await rejectionOf(() => reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] }));

    // Assess
    expect(error).toBeInstanceOf(ReservationReleasedError);
    expect(store.stockLevels()).toEqual({ KB: 5 });
  });

  it('returns the reservation that won when another attempt reserved between its read and its write', async () => {
    // Prepare: the first read finds nothing, but by the time it writes another attempt has reserved.
    const store = new InMemoryInventoryStore({ KB: 5 });
    const racing: InventoryStore = {
      getReservation: (orderId) => store.getReservation(orderId),
      markReleasedBeforeReserve: (orderId) => store.markReleasedBeforeReserve(orderId),
      release: (reservation) => store.release(reservation),
      reserve: async (orderId, items) => {
        if (store.reserveCalls === 0) await store.reserve(orderId, [{ sku: 'KB', quantity: 1 }]);
        return store.reserve(orderId, items);
      },
    };

    // Act
    const reservation = await reserveInventory(racing)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 1 }] });

    // Assess
    expect(reservation).toEqual({ orderId: ORDER_ID, status: 'RESERVED', items: [{ sku: 'KB', quantity: 1 }] });
    expect(store.stockLevels()).toEqual({ KB: 4 });
  });

  const conflictingFor = (store: InMemoryInventoryStore, conflicts: number): InventoryStore => {
    let left = conflicts;
    return {
      getReservation: (orderId) => store.getReservation(orderId),
      markReleasedBeforeReserve: (orderId) => store.markReleasedBeforeReserve(orderId),
      release: (reservation) => store.release(reservation),
      reserve: async (orderId, items) => {
        if (left === 0) return store.reserve(orderId, items);
        left -= 1;
        return { kind: 'CONFLICT' };
      },
    };
  };

  it('tries again when another transaction held the stock, rather than calling the SKU out of stock', async () => {
    const store = new InMemoryInventoryStore({ KB: 5 });

    const reservation = await reserveInventory(conflictingFor(store, 2))({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 1 }] });

    expect(reservation.status).toBe('RESERVED');
    expect(store.stockLevels()).toEqual({ KB: 4 });
  });

  it('throws AwsCallUnavailable, which the Task retries, when the stock stays held, and reserves nothing', async () => {
    const store = new InMemoryInventoryStore({ KB: 5 });

    const error = await rejectionOf(() => reserveInventory(conflictingFor(store, 100))({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 1 }] }));

    expect(error).toBeInstanceOf(AwsCallUnavailableError);
    expect((error as Error).name).toBe('AwsCallUnavailable');
    expect(store.stockLevels()).toEqual({ KB: 5 });
    expect(await store.getReservation(ORDER_ID)).toBeUndefined();
  });
});

describe('releaseInventory', () => {
  it('returns the reserved stock', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5, MOUSE: 3 });
    await reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }, { sku: 'MOUSE', quantity: 1 }] });

    // Act
    const result = await releaseInventory(store)({ orderId: ORDER_ID });

    // Assess
    expect(result).toEqual({ orderId: ORDER_ID, outcome: 'RELEASED', items: [{ sku: 'KB', quantity: 2 }, { sku: 'MOUSE', quantity: 1 }] });
    expect(store.stockLevels()).toEqual({ KB: 5, MOUSE: 3 });
    expect((await store.getReservation(ORDER_ID))?.status).toBe('RELEASED');
  });

  it('returns the stock once however often compensation runs', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });
    await reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });
    const release = releaseInventory(store);

    // Act
    const first = await release({ orderId: ORDER_ID });
    const second = await release({ orderId: ORDER_ID });
    const third = await release({ orderId: ORDER_ID });

    // Assess
    expect(first.outcome).toBe('RELEASED');
    expect(second).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_RELEASE' });
    expect(third).toEqual(second);
    expect(store.stockLevels()).toEqual({ KB: 5 });
  });

  it('leaves a RELEASED tombstone when it runs before the reservation, so a late reserve is refused and changes no stock', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });

    // Act
    const result = await releaseInventory(store)({ orderId: ORDER_ID });
    const lateReserve = await rejectionOf(() => reserveInventory(store)({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] }));

    // Assess
    expect(result).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_RELEASE' });
    expect(await store.getReservation(ORDER_ID)).toEqual({ orderId: ORDER_ID, status: 'RELEASED', items: [] });
    expect(lateReserve).toBeInstanceOf(ReservationReleasedError);
    expect((lateReserve as Error).name).toBe('ReservationReleased');
    expect(store.stockLevels()).toEqual({ KB: 5 });
    expect(store.reserveCalls).toBe(0);
  });

  it('does not touch the stock of other orders', async () => {
    // Prepare
    const store = new InMemoryInventoryStore({ KB: 5 });
    const reserve = reserveInventory(store);
    await reserve({ orderId: ORDER_ID, items: [{ sku: 'KB', quantity: 2 }] });
    await reserve({ orderId: OTHER_ORDER_ID, items: [{ sku: 'KB', quantity: 1 }] });

    // Act
    await releaseInventory(store)({ orderId: ORDER_ID });

    // Assess
    expect(store.stockLevels()).toEqual({ KB: 4 });
    expect((await store.getReservation(OTHER_ORDER_ID))?.status).toBe('RESERVED');
  });

  it('releases the reservation that landed between its read and its tombstone', async () => {
    // Prepare: the first read finds nothing, but the reserve lands before the tombstone is written.
    const store = new InMemoryInventoryStore({ KB: 5 });
    let raced = false;
    const racing: InventoryStore = {
      getReservation: (orderId) => store.getReservation(orderId),
      reserve: (orderId, items) => store.reserve(orderId, items),
      release: (reservation) => store.release(reservation),
      markReleasedBeforeReserve: async (orderId) => {
        if (!raced) {
          raced = true;
          await store.reserve(orderId, [{ sku: 'KB', quantity: 2 }]);
        }
        return store.markReleasedBeforeReserve(orderId);
      },
    };

    // Act
    const result = await releaseInventory(racing)({ orderId: ORDER_ID });

    // Assess
    expect(result).toEqual({ orderId: ORDER_ID, outcome: 'RELEASED', items: [{ sku: 'KB', quantity: 2 }] });
    expect(store.stockLevels()).toEqual({ KB: 5 });
  });
});
