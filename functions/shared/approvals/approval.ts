import type { CheckResult } from '../documents/document.js';
import type { Money, OrderLine, ShippingAddress } from '../orders/order.js';

/** An order as its approver must see it: what was ordered, for how much, and where it goes. */
export interface OrderUnderApproval {
  items: Pick<OrderLine, 'sku' | 'name' | 'quantity' | 'unitPrice' | 'lineTotal'>[];
  total: Money;
  shippingAddress: ShippingAddress;
  email: string;
}

/** A document as its approver must see it: the file, what it was read as, and the checks it failed. */
export interface DocumentUnderApproval {
  filename: string;
  class: string;
  confidence: number;
  fields: Record<string, string>;
  checks: CheckResult[];
}

/**
 * What a person is asked to approve; any workflow can ask. `summary` says why a person is asked;
 * `order` or `document` say what it is, and the email and the page show all of it.
 */
export interface ApprovalSubject {
  kind: string;
  id: string;
  summary: string;
  amount?: Money;
  link?: string;
  order?: OrderUnderApproval;
  document?: DocumentUnderApproval;
}

export const APPROVAL_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'FAILED', 'CANCELLED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export type DecisionStatus = 'APPROVED' | 'REJECTED';

/** An approvals-table row as the approval workflow, its queue consumer and approval-callback write it. */
export interface ApprovalRecord {
  approvalId: string;
  status: ApprovalStatus;
  request: ApprovalSubject;
  approver: string;
  /** Set by the queue consumer together with the task token; absent until the approver was asked. */
  expiresAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/** What approval-callback sends the waiting workflow, and what the workflow ends with. */
export interface Decision {
  status: DecisionStatus;
  decidedBy: string;
  decidedAt: string;
  comment: string;
}

/** The execution name is the approval id: Step Functions allows these characters, 80 at most. */
export const APPROVAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

export const MAX_COMMENT_LENGTH = 1000;

export const formatMoney = (money: Money): string => `${(money.amount / 100).toFixed(2)} ${money.currency}`;
