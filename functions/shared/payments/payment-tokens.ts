import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Money } from '../orders/order.js';
import type { ChargeInput, ChargeResult } from './charge.js';

/** Where the charge step finds an order's payment token: kept with the order, never put on the event bus. */
export interface PaymentTokens {
  tokenFor(orderId: string): Promise<string>;
}

export class PaymentTokenMissingError extends Error {
  override name = 'PaymentTokenMissing';
}

export const dynamoDbPaymentTokens = (db: DynamoDBDocumentClient, ordersTable: string): PaymentTokens => ({
  async tokenFor(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: ordersTable, Key: { orderId }, ProjectionExpression: 'paymentToken', ConsistentRead: true }));
    const token = Item?.paymentToken;
    if (typeof token !== 'string') throw new PaymentTokenMissingError(`order ${orderId} has no payment token`);
    return token;
  },
});

/**
 * The workflow hands the charge step an order id and an amount; the token comes from the order.
 * `paymentKey` names the payment attempt (ledger row and gateway idempotency key): the order id for
 * the first, another key for a charge after a backorder, whose first attempt was refunded and stays so.
 */
export const chargeOrder = (tokens: PaymentTokens, charge: (input: ChargeInput) => Promise<ChargeResult>) =>
  async ({ orderId, amount, paymentKey }: { orderId: string; amount: Money; paymentKey?: string }): Promise<ChargeResult> =>
    charge({ orderId: paymentKey ?? orderId, amount, paymentToken: await tokens.tokenFor(orderId) });
