import { createHash } from 'node:crypto';
import { CarrierUnavailableError } from '../errors.js';
import type { OrderLine, ShippingAddress } from '../orders/order.js';

export interface Shipment {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  createdAt: string;
}

export interface Carrier {
  /** Idempotent per orderId, as a carrier's booking reference is. */
  book(orderId: string, address: ShippingAddress, items: OrderLine[]): Promise<{ carrier: string; trackingNumber: string }>;
}

export interface ShipmentStore {
  get(orderId: string): Promise<Shipment | undefined>;
  /** False when a shipment for the order exists already. */
  create(shipment: Shipment): Promise<boolean>;
}

/** Postal code that makes the simulated carrier unreachable, to exercise the failure path after payment. */
export const CARRIER_DOWN_POSTAL_CODE = '99999';

export const simulatedCarrier = (): Carrier => ({
  async book(orderId, address) {
    if (address.postalCode === CARRIER_DOWN_POSTAL_CODE) {
      throw new CarrierUnavailableError(`carrier API unreachable for postal code ${address.postalCode}`);
    }
    const digest = createHash('sha256').update(orderId).digest('hex').slice(0, 12).toUpperCase();
    return { carrier: 'DEMO-PARCEL', trackingNumber: `DP${digest}` };
  },
});

/** Books one shipment per order; a retried or replayed step returns the booked one. */
export const createShipment = (carrier: Carrier, store: ShipmentStore, now: () => Date = () => new Date()) =>
  async ({ orderId, shippingAddress, items }: { orderId: string; shippingAddress: ShippingAddress; items: OrderLine[] }): Promise<Shipment> => {
    const existing = await store.get(orderId);
    if (existing) return existing;
    const booking = await carrier.book(orderId, shippingAddress, items);
    const shipment: Shipment = { orderId, ...booking, createdAt: now().toISOString() };
    if (await store.create(shipment)) return shipment;
    return (await store.get(orderId)) ?? shipment;
  };
