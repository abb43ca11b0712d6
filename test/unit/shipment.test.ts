import { rejectionOf } from './support/rejection.js';
import { CarrierUnavailableError } from '../../functions/shared/errors.js';
import type { OrderLine, ShippingAddress } from '../../functions/shared/orders/order.js';
import {
  CARRIER_DOWN_POSTAL_CODE,
  createShipment,
  simulatedCarrier,
  type Carrier,
  type Shipment,
  type ShipmentStore,
} from '../../functions/shared/shipping/shipment.js';

const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-03-04T05:06:07.089Z');
const LATER = new Date('2026-03-05T00:00:00.000Z');

const address: ShippingAddress = { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const items: OrderLine[] = [
  { sku: 'KB-01', name: 'Keyboard', quantity: 2, unitPrice: { amount: 12900, currency: 'EUR' }, lineTotal: { amount: 25800, currency: 'EUR' } },
];

/** The shipments table in memory: create is a put-if-absent, as in dynamoDbShipmentStore. */
class InMemoryShipmentStore implements ShipmentStore {
  readonly rows = new Map<string, Shipment>();

  async get(orderId: string): Promise<Shipment | undefined> {
    const row = this.rows.get(orderId);
    return row && { ...row };
  }

  async create(shipment: Shipment): Promise<boolean> {
    if (this.rows.has(shipment.orderId)) return false;
    this.rows.set(shipment.orderId, { ...shipment });
    return true;
  }
}

/** The simulated carrier behind a spy that records every booking. */
const spyCarrier = (): Carrier & { bookings: string[] } => {
  const inner = simulatedCarrier();
  const bookings: string[] = [];
  return {
    bookings,
    async book(orderId, shippingAddress, lines) {
      bookings.push(orderId);
      return inner.book(orderId, shippingAddress, lines);
    },
  };
};


describe('simulatedCarrier', () => {
  it('books a DEMO-PARCEL shipment with a tracking number derived from the order id', async () => {
    // Act
    const first = await simulatedCarrier().book(ORDER_ID, address, items);
    const again = await simulatedCarrier().book(ORDER_ID, address, items);
    const other = await simulatedCarrier().book('ord_ffffffffffffffffffffffffffffffff', address, items);

    // Assess
    expect(first).toEqual({ carrier: 'DEMO-PARCEL', trackingNumber: expect.stringMatching(/^DP[0-9A-F]{12}$/) as string });
    expect(again).toEqual(first);
    expect(other.trackingNumber).not.toBe(first.trackingNumber);
  });

  it('is unreachable for postal code 99999', async () => {
    // Act
    const error = await rejectionOf(() => simulatedCarrier().book(ORDER_ID, { ...address, postalCode: '99999' }, items));

    // Assess
    expect(CARRIER_DOWN_POSTAL_CODE).toBe('99999');
    expect(error).toBeInstanceOf(CarrierUnavailableError);
    expect((error as Error).name).toBe('CarrierUnavailable');
  });
});

describe('createShipment', () => {
  it('books the shipment with the carrier and stores it with the current time', async () => {
    // Prepare
    const store = new InMemoryShipmentStore();
    const carrier = spyCarrier();

    // Act
    const shipment = await createShipment(carrier, store, () => NOW)({ orderId: ORDER_ID, shippingAddress: address, items });

    // Assess
    expect(shipment).toEqual({
      orderId: ORDER_ID,
      carrier: 'DEMO-PARCEL',
      trackingNumber: expect.stringMatching(/^DP[0-9A-F]{12}$/) as string,
      createdAt: '2026-03-04T05:06:07.089Z',
    });
    expect(await store.get(ORDER_ID)).toEqual(shipment);
    expect(carrier.bookings).toEqual([ORDER_ID]);
  });

  it('books one shipment per order however often the step is retried', async () => {
    // Prepare
    const store = new InMemoryShipmentStore();
    const carrier = spyCarrier();
    const first = await createShipment(carrier, store, () => NOW)({ orderId: ORDER_ID, shippingAddress: address, items });

    // Act
    const retry = await createShipment(carrier, store, () => LATER)({ orderId: ORDER_ID, shippingAddress: address, items });
    const again = await createShipment(carrier, store, () => LATER)({ orderId: ORDER_ID, shippingAddress: address, items });

    // Assess
    expect(retry).toEqual(first);
    expect(again).toEqual(first);
    expect(carrier.bookings).toHaveLength(1);
    expect(store.rows.size).toBe(1);
  });

  it('returns the stored shipment when another attempt stored one between its read and its write', async () => {
    // Prepare: the store is empty when read, but the other attempt's row lands before this one's put.
    const store = new InMemoryShipmentStore();
    const winner: Shipment = { orderId: ORDER_ID, carrier: 'DEMO-PARCEL', trackingNumber: 'DPWINNER00000', createdAt: '2026-03-01T00:00:00.000Z' };
    const racing: ShipmentStore = {
      get: (orderId) => store.get(orderId),
      create: async (shipment) => {
        await store.create(winner);
        return store.create(shipment);
      },
    };

    // Act
    const shipment = await createShipment(spyCarrier(), racing, () => NOW)({ orderId: ORDER_ID, shippingAddress: address, items });

    // Assess
    expect(shipment).toEqual(winner);
    expect(await store.get(ORDER_ID)).toEqual(winner);
  });

  it('throws CarrierUnavailable for postal code 99999 and stores nothing, so a retry can book', async () => {
    // Prepare
    const store = new InMemoryShipmentStore();
    const carrier = spyCarrier();

    // Act
    const error = await rejectionOf(() => createShipment(carrier, store, () => NOW)({
      orderId: ORDER_ID,
      shippingAddress: { ...address, postalCode: CARRIER_DOWN_POSTAL_CODE },
      items,
    }));
    const retry = await createShipment(carrier, store, () => LATER)({ orderId: ORDER_ID, shippingAddress: address, items });

    // Assess
    expect(error).toBeInstanceOf(CarrierUnavailableError);
    expect(retry.createdAt).toBe(LATER.toISOString());
    expect(carrier.bookings).toEqual([ORDER_ID, ORDER_ID]);
  });
});
