import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import type { StoppedOrders } from './close-stopped-order.js';

export const dynamoDbStoppedOrders = (db: DynamoDBDocumentClient, tableName: string): StoppedOrders => ({
  async closeStoppedWhileAwaitingApproval({ orderId, executionArn, stoppedAt, cause }) {
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { orderId },
      UpdateExpression: 'SET #status = :failed, approval = :approval, failureError = :error, failureCause = :cause, updatedAt = :now',
      ConditionExpression: '#status = :awaiting AND executionArn = :executionArn',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':failed': 'FAILED',
        ':awaiting': 'AWAITING_APPROVAL',
        ':executionArn': executionArn,
        ':approval': JSON.stringify({ status: 'CANCELLED', decidedBy: null, decidedAt: stoppedAt, comment: null }),
        ':error': 'OrderStopped',
        ':cause': cause,
        ':now': stoppedAt,
      },
    })));
  },
});
