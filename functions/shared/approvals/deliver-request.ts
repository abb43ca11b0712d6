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

/** What a delivery attempt found when it tried to claim the email of a request. */
export type DeliveryClaim = 'claimed' | 'closed' | 'sent' | 'in-progress';

export interface DeliveryLedger {
  /**
   * Stores the token and the deadline on a PENDING request and claims the sending of its email,
   * in one conditional write: `claimed` when this attempt is to send it; `sent` when an earlier
   * delivery sent it; `in-progress` when another attempt claimed it less than `leaseSeconds` ago;
   * `closed` when the request is no longer pending (nobody is to be asked any more).
   */
  claimDelivery(claim: { approvalId: string; taskToken: string; expiresAt: string; now: Date; leaseSeconds: number }): Promise<DeliveryClaim>;
  /** Records that the email went out, so that no later delivery sends it again. */
  markSent(approvalId: string, sentAt: Date): Promise<void>;
}

export interface DeliveryDependencies {
  ledger: DeliveryLedger;
  /** How long a claim holds off other deliveries: the consumer's timeout, after which its attempt has surely ended. */
  leaseSeconds: number;
  now: () => Date;
  linkKey: () => Promise<string>;
  baseUrl: string;
  sender: EmailSender;
}

export class MalformedApprovalRequestError extends Error {
  override name = 'MalformedApprovalRequest';
}

/** Another delivery of the same request claimed its email moments ago; SQS brings this one back later. */
export class ApprovalDeliveryInProgressError extends Error {
  override name = 'ApprovalDeliveryInProgress';
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

/**
 * Keeps the token, claims the email, sends it, and records it sent. SQS delivers at least once
 * (a visibility timeout that ran out, a batch retried after a partial failure, a duplicate
 * message), so the approvals row, not the message, decides whether to send:
 * - an email recorded as sent is never sent again;
 * - a claim younger than the lease means another attempt is sending it now: this message fails
 *   and comes back after the queue's visibility timeout, by when that attempt has recorded the
 *   email or died;
 * - a claim older than the lease belonged to an attempt that died (after claiming, before or
 *   after publishing), and this one sends. So the approver gets the email at least once, and
 *   twice only when an attempt died between publishing and recording it: at-least-once, because
 *   an approver left with no email lets the request expire unseen, while a second copy of the
 *   same signed links costs nothing.
 */
export const deliverApprovalRequest = (deps: DeliveryDependencies) =>
  async (message: ApprovalRequestMessage): Promise<'sent' | 'closed' | 'already-sent'> => {
    const { expires, expiresAt } = deadlineOf(message);
    const claim = await deps.ledger.claimDelivery({
      approvalId: message.approvalId, taskToken: message.taskToken, expiresAt, now: deps.now(), leaseSeconds: deps.leaseSeconds,
    });
    if (claim === 'closed') return 'closed';
    if (claim === 'sent') return 'already-sent';
    if (claim === 'in-progress') throw new ApprovalDeliveryInProgressError(`another delivery of ${message.approvalId} is sending its email`);
    const query = linkQuery({ approvalId: message.approvalId, approver: message.approver, expires }, await deps.linkKey());
    const page = `${deps.baseUrl.replace(/\/$/, '')}/approvals/${encodeURIComponent(message.approvalId)}?${query}`;
    await deps.sender.send(approvalRequestEmail({
      request: message.request,
      approver: message.approver,
      expiresAt,
      approveLink: `${page}&intent=approve`,
      rejectLink: `${page}&intent=reject`,
    }));
    await deps.ledger.markSent(message.approvalId, deps.now());
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
