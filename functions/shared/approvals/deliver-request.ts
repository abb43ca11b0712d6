import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { approvalRequestEmail, type EmailSender } from '../notifications/emails.js';
import { APPROVAL_ID_PATTERN, type ApprovalSubject } from './approval.js';
import { linkQuery } from './signed-links.js';

/** The message AskApprover sends to the approval-requests queue. */
export interface ApprovalRequestMessage {
  approvalId: string;
  taskToken: string;
  request: ApprovalSubject;
  approver: string;
  timeoutSeconds: number;
  requestedAt: string;
}

export interface TokenKeeper {
  /**
   * Stores the token and the deadline on a PENDING request (again, for a redelivered message).
   * False when the request is no longer pending: nobody is to be asked any more.
   */
  keepToken(approvalId: string, taskToken: string, expiresAt: string): Promise<boolean>;
}

export interface DeliveryDependencies {
  tokens: TokenKeeper;
  linkKey: () => Promise<string>;
  baseUrl: string;
  sender: EmailSender;
}

export class MalformedApprovalRequestError extends Error {
  override name = 'MalformedApprovalRequest';
}

export const parseApprovalRequest = (body: string): ApprovalRequestMessage => {
  let message: Partial<ApprovalRequestMessage>;
  try {
    message = JSON.parse(body) as Partial<ApprovalRequestMessage>;
  } catch {
    throw new MalformedApprovalRequestError('message body is not JSON');
  }
  const problems = [
    typeof message.approvalId === 'string' && APPROVAL_ID_PATTERN.test(message.approvalId) ? '' : 'approvalId',
    typeof message.taskToken === 'string' && message.taskToken.length > 0 ? '' : 'taskToken',
    typeof message.approver === 'string' && /^[^\s@]+@[^\s@]+$/.test(message.approver) ? '' : 'approver',
    typeof message.timeoutSeconds === 'number' && message.timeoutSeconds > 0 ? '' : 'timeoutSeconds',
    typeof message.requestedAt === 'string' && !Number.isNaN(Date.parse(message.requestedAt)) ? '' : 'requestedAt',
    typeof message.request?.summary === 'string' && typeof message.request.kind === 'string' && typeof message.request.id === 'string' ? '' : 'request',
  ].filter(Boolean);
  // Names only: the message holds the token, which must never reach a log line.
  if (problems.length > 0) throw new MalformedApprovalRequestError(`approval request message lacks a valid ${problems.join(', ')}`);
  return message as ApprovalRequestMessage;
};

/**
 * The deadline is the wait's start plus its timeout, to the second, so the signed link, the row
 * and the page agree on it. Step Functions times the wait from a moment a little later, so the
 * link never outlives the token.
 */
export const deadlineOf = (message: Pick<ApprovalRequestMessage, 'requestedAt' | 'timeoutSeconds'>): { expires: number; expiresAt: string } => {
  const expires = Math.floor(Date.parse(message.requestedAt) / 1000) + message.timeoutSeconds;
  return { expires, expiresAt: new Date(expires * 1000).toISOString() };
};

/** Keeps the token, then emails the approver both links. Safe to repeat: a redelivery re-sends the email at most. */
export const deliverApprovalRequest = (deps: DeliveryDependencies) =>
  async (message: ApprovalRequestMessage): Promise<'sent' | 'closed'> => {
    const { expires, expiresAt } = deadlineOf(message);
    if (!(await deps.tokens.keepToken(message.approvalId, message.taskToken, expiresAt))) return 'closed';
    const query = linkQuery({ approvalId: message.approvalId, approver: message.approver, expires }, await deps.linkKey());
    const page = `${deps.baseUrl.replace(/\/$/, '')}/approvals/${encodeURIComponent(message.approvalId)}?${query}`;
    await deps.sender.send(approvalRequestEmail({
      request: message.request,
      approver: message.approver,
      expiresAt,
      approveLink: `${page}&intent=approve`,
      rejectLink: `${page}&intent=reject`,
    }));
    return 'sent';
  };

/** One SQS batch: each message on its own, failures reported by id so only they come back (and, at last, go to the DLQ). */
export const deliverBatch = (deliver: (message: ApprovalRequestMessage) => Promise<unknown>, onFailure: (messageId: string, error: Error) => void) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await deliver(parseApprovalRequest(record.body));
      } catch (error) {
        onFailure(record.messageId, error as Error);
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
