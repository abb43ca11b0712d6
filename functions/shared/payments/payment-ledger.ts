import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { Money } from '../orders/order.js';

/**
 * One row per order in the payments table. PENDING while a charge is being attempted (the
 * gateway may have captured), then CAPTURED or DECLINED. Compensation moves PENDING or CAPTURED
 * to REFUNDING before it asks the gateway and to REFUNDED after, so a step that dies in between
 * leaves a row that says what is owed. VOIDED: compensated before any attempt; a late charge
 * finds the tombstone and is refused.
 */
export type PaymentStatus = 'PENDING' | 'CAPTURED' | 'DECLINED' | 'REFUNDING' | 'REFUNDED' | 'VOIDED';

export interface PaymentRecord {
  orderId: string;
  status: PaymentStatus;
  amount: Money;
  attempts: number;
  chargeId?: string;
  refundId?: string;
  updatedAt?: string;
}

export interface PaymentLedger {
  get(orderId: string): Promise<PaymentRecord | undefined>;
  /** Counts an attempt and returns the record; creates it PENDING on the first. */
  recordAttempt(orderId: string, amount: Money): Promise<PaymentRecord>;
  /** Moves `from` → `to` with the given fields; false when the row was not in `from` any more. */
  transition(orderId: string, from: PaymentStatus | 'ABSENT', to: PaymentStatus, fields?: { chargeId?: string; refundId?: string; amount?: Money }): Promise<boolean>;
  /** Rows REFUNDING since before `updatedBefore` (ISO time): refunds some step started and nobody finished. */
  listRefundsOwed(updatedBefore: string): Promise<PaymentRecord[]>;
}

/** A sparse index: only REFUNDING rows carry `refundOwed`, so the index holds exactly the refunds owed. */
export const REFUNDS_OWED_INDEX = 'refunds-owed';

export const dynamoDbPaymentLedger = (db: DynamoDBDocumentClient, tableName: string): PaymentLedger => ({
  async get(orderId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as PaymentRecord | undefined;
  },

  async recordAttempt(orderId, amount) {
    const { Attributes } = await db.send(new UpdateCommand({
      TableName: tableName,
      Key: { orderId },
      UpdateExpression: 'ADD attempts :one SET #status = if_not_exists(#status, :pending), amount = if_not_exists(amount, :amount), updatedAt = :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':pending': 'PENDING', ':amount': amount, ':now': new Date().toISOString() },
      ReturnValues: 'ALL_NEW',
    }));
    return Attributes as PaymentRecord;
  },

  transition(orderId, from, to, fields = {}) {
    const now = new Date().toISOString();
    if (from === 'ABSENT') {
      return conditionalWrite(db.send(new PutCommand({
        TableName: tableName,
        Item: { orderId, status: to, attempts: 0, amount: fields.amount, updatedAt: now },
        ConditionExpression: 'attribute_not_exists(orderId)',
      })));
    }
    const sets = ['#status = :to', 'updatedAt = :now'];
    const values: Record<string, unknown> = { ':to': to, ':from': from, ':now': now };
    if (fields.chargeId) { sets.push('chargeId = :chargeId'); values[':chargeId'] = fields.chargeId; }
    if (fields.refundId) { sets.push('refundId = :refundId'); values[':refundId'] = fields.refundId; }
    if (to === 'REFUNDING') sets.push('refundOwed = :to');
    const removes = from === 'REFUNDING' && to !== 'REFUNDING' ? ' REMOVE refundOwed' : '';
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { orderId },
      UpdateExpression: `SET ${sets.join(', ')}${removes}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    })));
  },

  async listRefundsOwed(updatedBefore) {
    const rows: PaymentRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await db.send(new QueryCommand({
        TableName: tableName,
        IndexName: REFUNDS_OWED_INDEX,
        KeyConditionExpression: 'refundOwed = :refunding AND updatedAt < :before',
        ExpressionAttributeValues: { ':refunding': 'REFUNDING', ':before': updatedBefore },
        ExclusiveStartKey: startKey,
      }));
      rows.push(...((page.Items ?? []) as PaymentRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows;
  },
});
