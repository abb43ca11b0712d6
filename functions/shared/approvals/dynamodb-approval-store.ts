import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, conditionalWriteOrItem } from '../dynamodb.js';
import type { ApprovalRecord, Decision } from './approval.js';
import type { UndecidedApprovals } from './close-undecided.js';
import type { DeliveryLedger } from './deliver-request.js';

export interface ApprovalStore {
  find(approvalId: string): Promise<ApprovalRecord | undefined>;
  /**
   * Records a decision if the request is still PENDING, has been sent to its approver and its
   * deadline has not passed, and hands back the task token it removes from the row in the same
   * write. Of two decisions at once exactly one gets the token; the other gets undefined.
   */
  recordDecision(approvalId: string, decision: Decision): Promise<{ taskToken: string } | undefined>;
}

interface ApprovalRow extends Omit<ApprovalRecord, 'request'> {
  request: string;
  taskToken?: string;
}

export const toApprovalRecord = (row: ApprovalRow): ApprovalRecord => {
  const { taskToken: _token, request, ...rest } = row;
  return { ...rest, request: JSON.parse(request) as ApprovalRecord['request'] };
};

export const dynamoDbApprovalStore = (db: DynamoDBDocumentClient, tableName: string): ApprovalStore & DeliveryLedger & UndecidedApprovals => ({
  async find(approvalId) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { approvalId }, ConsistentRead: true }));
    return Item ? toApprovalRecord(Item as ApprovalRow) : undefined;
  },

  async recordDecision(approvalId, decision) {
    let taskToken: string | undefined;
    const applied = await conditionalWrite(
      db.send(new UpdateCommand({
        TableName: tableName,
        Key: { approvalId },
        UpdateExpression: 'SET #status = :status, decidedBy = :decidedBy, decidedAt = :decidedAt, #comment = :comment REMOVE taskToken',
        ConditionExpression: '#status = :pending AND attribute_exists(taskToken) AND expiresAt > :decidedAt',
        ExpressionAttributeNames: { '#status': 'status', '#comment': 'comment' },
        ExpressionAttributeValues: {
          ':status': decision.status,
          ':decidedBy': decision.decidedBy,
          ':decidedAt': decision.decidedAt,
          ':comment': decision.comment,
          ':pending': 'PENDING',
        },
        ReturnValues: 'ALL_OLD',
      })).then((result) => {
        taskToken = result.Attributes?.taskToken as string | undefined;
      }),
    );
    return applied && taskToken ? { taskToken } : undefined;
  },

  async claimDelivery({ approvalId, taskToken, expiresAt, now, leaseSeconds }) {
    const refused = await conditionalWriteOrItem(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { approvalId },
      UpdateExpression: 'SET taskToken = :token, expiresAt = :expiresAt, deliveryClaimedAt = :now',
      ConditionExpression: '#status = :pending AND (attribute_not_exists(taskToken) OR taskToken = :token)'
        + ' AND attribute_not_exists(emailSentAt) AND (attribute_not_exists(deliveryClaimedAt) OR deliveryClaimedAt <= :staleBefore)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':token': taskToken,
        ':expiresAt': expiresAt,
        ':pending': 'PENDING',
        ':now': now.toISOString(),
        ':staleBefore': new Date(now.getTime() - leaseSeconds * 1000).toISOString(),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    if (!refused) return 'claimed';
    const row = refused.item as Partial<ApprovalRow & { emailSentAt: string }> | undefined;
    if (!row || row.status !== 'PENDING' || (row.taskToken !== undefined && row.taskToken !== taskToken)) return 'closed';
    return row.emailSentAt ? 'sent' : 'in-progress';
  },

  async markSent(approvalId, sentAt) {
    await conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { approvalId },
      UpdateExpression: 'SET emailSentAt = :sentAt',
      ConditionExpression: 'attribute_exists(approvalId)',
      ExpressionAttributeValues: { ':sentAt': sentAt.toISOString() },
    })));
  },

  async closeUndecided(approvalId, status, closedAt) {
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { approvalId },
      UpdateExpression: 'SET #status = :status, decidedAt = :closedAt REMOVE taskToken',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':closedAt': closedAt, ':pending': 'PENDING' },
    })));
  },
});
