import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { DeliveryEmailOutbox } from './delivery-email.js';

/**
 * The outbox on the orders row: `deliveryEmail` is PENDING (written by the carrier-events
 * workflow's MarkOrderDelivered with the DELIVERED status) until the email is SENT;
 * `deliveryEmailClaim` and `deliveryEmailClaimExpiresAt` hold a sender's lease.
 */
export const dynamoDbDeliveryEmailOutbox = (db: DynamoDBDocumentClient, ordersTable: string): DeliveryEmailOutbox => ({
  async claim(orderId, { token, now, expiresAt }) {
    const update = db.send(new UpdateCommand({
      TableName: ordersTable,
      Key: { orderId },
      UpdateExpression: 'SET deliveryEmailClaim = :token, deliveryEmailClaimExpiresAt = :expiresAt',
      ConditionExpression: '#status = :delivered AND deliveryEmail = :pending AND (attribute_not_exists(deliveryEmailClaim) OR deliveryEmailClaimExpiresAt < :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':token': token, ':expiresAt': expiresAt.toISOString(), ':delivered': 'DELIVERED', ':pending': 'PENDING', ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    }));
    if (!(await conditionalWrite(update))) return undefined;
    const { Attributes } = await update;
    const { email } = JSON.parse(String(Attributes?.document)) as { email: string };
    return { email };
  },

  async release(orderId, token) {
    await conditionalWrite(db.send(new UpdateCommand({
      TableName: ordersTable,
      Key: { orderId },
      UpdateExpression: 'REMOVE deliveryEmailClaim, deliveryEmailClaimExpiresAt',
      ConditionExpression: 'deliveryEmailClaim = :token',
      ExpressionAttributeValues: { ':token': token },
    })));
  },

  async markSent(orderId, token) {
    await conditionalWrite(db.send(new UpdateCommand({
      TableName: ordersTable,
      Key: { orderId },
      UpdateExpression: 'SET deliveryEmail = :sent REMOVE deliveryEmailClaim, deliveryEmailClaimExpiresAt',
      ConditionExpression: 'deliveryEmailClaim = :token',
      ExpressionAttributeValues: { ':token': token, ':sent': 'SENT' },
    })));
  },
});
