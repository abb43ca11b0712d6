import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { closeUndecidedApproval } from '../shared/approvals/close-undecided.js';
import { dynamoDbApprovalStore } from '../shared/approvals/dynamodb-approval-store.js';
import { requiredEnv } from '../shared/config.js';
import type { ExecutionStatusChangeEvent } from '../shared/execution-status-change.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('close-undecided-approval'),
  closeUndecidedApproval(dynamoDbApprovalStore(dynamoDocumentClient(), requiredEnv('APPROVALS_TABLE'))),
  (event: ExecutionStatusChangeEvent) => ({ approvalId: event.detail?.name, executionStatus: event.detail?.status }),
);
