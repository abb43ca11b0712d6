import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { ApprovalRecord, Decision } from './approval.js';
import type { TokenKeeper } from './deliver-request.js';

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

export const dynamoDbApprovalStore = (db: DynamoDBDocumentClient, tableName: string): ApprovalStore & TokenKeeper => ({
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

  async keepToken(approvalId, taskToken, expiresAt) {
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { approvalId },
      UpdateExpression: 'SET taskToken = :token, expiresAt = :expiresAt',
      ConditionExpression: '#status = :pending AND (attribute_not_exists(taskToken) OR taskToken = :token)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':token': taskToken, ':expiresAt': expiresAt, ':pending': 'PENDING' },
    })));
  },
});
