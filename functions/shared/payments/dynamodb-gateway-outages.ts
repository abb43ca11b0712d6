import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GatewayOutages } from './payment-gateway.js';

/**
 * The simulated gateway's outage switch is a row of the payments table, under a key no payment
 * attempt has (theirs are order ids, `ord_…`): so the refund step reads it with the access it
 * already has, locally and on a deployed stage alike.
 */
export const GATEWAY_OUTAGE_KEY = 'simulated-gateway/outage';

export const dynamoDbGatewayOutages = (db: DynamoDBDocumentClient, paymentsTable: string): GatewayOutages => ({
  async refundsDown() {
    const { Item } = await db.send(new GetCommand({ TableName: paymentsTable, Key: { orderId: GATEWAY_OUTAGE_KEY }, ConsistentRead: true }));
    return Item?.refunds === 'DOWN';
  },
});

/** What `npm run demo:gateway` and the tests call: refunds down until `refundsUp`. */
export const setRefundsDown = async (db: DynamoDBDocumentClient, paymentsTable: string, down: boolean): Promise<void> => {
  if (down) await db.send(new PutCommand({ TableName: paymentsTable, Item: { orderId: GATEWAY_OUTAGE_KEY, refunds: 'DOWN', since: new Date().toISOString() } }));
  else await db.send(new DeleteCommand({ TableName: paymentsTable, Key: { orderId: GATEWAY_OUTAGE_KEY } }));
};
