import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../dynamodb.js';
import { STOPPED_WHILE_AWAITING_APPROVAL, type StoppedDocuments } from './close-stopped-document.js';

export const dynamoDbStoppedDocuments = (db: DynamoDBDocumentClient, tableName: string): StoppedDocuments => ({
  async closeStoppedWhileAwaitingApproval({ documentId, executionArn, stoppedAt }) {
    return conditionalWrite(db.send(new UpdateCommand({
      TableName: tableName,
      Key: { documentId },
      UpdateExpression: 'SET #status = :review, approval = :approval, failureReason = :reason, updatedAt = :now',
      ConditionExpression: '#status = :awaiting AND executionArn = :executionArn',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':review': 'NEEDS_REVIEW',
        ':awaiting': 'AWAITING_APPROVAL',
        ':executionArn': executionArn,
        ':approval': { status: 'CANCELLED', decidedBy: null, decidedAt: stoppedAt, comment: null },
        ':reason': STOPPED_WHILE_AWAITING_APPROVAL,
        ':now': stoppedAt,
      },
    })));
  },
});
