import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getOrder, outbox, signIn, type OrderView } from '../support/api.js';
import { approvalEmailFor, openLink, placeHighValueOrder, submitDecision } from '../support/approvals.js';
import { dynamoDbApprovalStore } from '../../functions/shared/approvals/dynamodb-approval-store.js';
import { db, fulfilmentExecutionOf, getRow, stockOf, TABLES } from '../support/local-aws.js';
import { uploadDocument, waitForDocumentStatus } from '../support/documents.js';
import { pollUntil } from '../support/poll.js';
import { renderPdf } from '../support/render.js';
import { flaggedContractHtml } from '../support/test-documents.js';
import { sfn, STAGE_PREFIX, stateMachineArn } from '../support/workflow-harness.js';

/**
 * What happens to an approval around its workflow rather than inside it, through the real stack:
 * an operator stopping the order's execution while it waits for the approver, and the
 * approval-requests queue delivering one request twice.
 */
interface ApprovalRow { status: string; taskToken?: string; request: string; approver: string; timeoutSeconds: number; requestedAt: string; decidedAt?: string; emailSentAt?: string }
type OrderWithApproval = OrderView & { approval: { status: string; decidedBy: string | null; decidedAt: string | null; comment: string | null } | null };

const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' });
const approvalRow = (orderId: string) => getRow<ApprovalRow>(TABLES.approvals, { approvalId: `approve-${orderId}` });
const approvalEmailsAbout = async (orderId: string) =>
  (await outbox()).filter((email) => email.subject.startsWith('Approval needed') && email.subject.includes(orderId));

describe('approvals when the workflow around them is stopped or their message comes twice', () => {
  it('cancels the approval of an order whose execution an operator stops: the links answer 410 and a decision changes nothing', async () => {
    // Prepare
    const { orderId, sku } = await placeHighValueOrder();
    const { approveLink } = await approvalEmailFor(orderId);
    const parent = await fulfilmentExecutionOf(orderId);
    const child = `${(await stateMachineArn(`${STAGE_PREFIX}-approval`)).replace(':stateMachine:', ':execution:')}:approve-${orderId}`;

    // Act
    await sfn.send(new StopExecutionCommand({ executionArn: parent, error: 'OperatorStopped', cause: 'stopped by an operator in a test' }));
    const row = await pollUntil('approval row closed', () => approvalRow(orderId), (found) => found?.status !== 'PENDING', 30_000, 200);
    const order = (await pollUntil('order closed', async () => (await getOrder<OrderWithApproval>(orderId)).body, (found) => found.status !== 'AWAITING_APPROVAL', 30_000, 200));
    const page = await openLink(approveLink);
    const decision = await submitDecision(approveLink, 'APPROVE', 'Too late');

    // Assess
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: child }))).status).toBe('ABORTED');
    expect(row).toMatchObject({ status: 'CANCELLED', decidedAt: expect.stringMatching(/^\d{4}-/) });
    expect(row?.taskToken).toBeUndefined();
    expect(order.status).toBe('FAILED');
    expect(order.failure).toEqual({ error: 'OrderStopped', reason: expect.stringContaining('Nothing was charged') });
    expect(order.approval).toMatchObject({ status: 'CANCELLED', decidedBy: null });
    expect(page.status).toBe(410);
    expect(page.html).toContain('cancelled');
    expect(decision.status).toBe(410);
    expect((await approvalRow(orderId))?.status).toBe('CANCELLED');
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow(TABLES.payments, { orderId })).toBeUndefined();
  });

  it('sends a document whose execution is stopped while its approver decides to NEEDS_REVIEW, its approval cancelled', async () => {
    // Prepare: a contract with a prohibited term waits for its approver.
    const customer = await signIn(`stopped-${randomUUID()}`);
    const ticket = await uploadDocument(customer, { filename: 'contract.pdf', contentType: 'application/pdf', bytes: await renderPdf(flaggedContractHtml()) });
    await waitForDocumentStatus(customer, ticket.documentId, ['AWAITING_APPROVAL', 'FILED', 'REJECTED', 'NEEDS_REVIEW', 'FAILED']);
    const { approveLink } = await approvalEmailFor(ticket.documentId);
    const { executionArn } = (await getRow<{ executionArn: string }>(TABLES.documents, { documentId: ticket.documentId }))!;

    // Act
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const document = await waitForDocumentStatus(customer, ticket.documentId, ['NEEDS_REVIEW', 'FILED', 'REJECTED', 'FAILED'], 30_000);
    const approval = await pollUntil('approval row closed', () => getRow<ApprovalRow>(TABLES.approvals, { approvalId: `approve-${ticket.documentId}` }), (found) => found?.status !== 'PENDING', 30_000, 200);
    const decision = await submitDecision(approveLink, 'APPROVE');

    // Assess
    expect(document).toMatchObject({ status: 'NEEDS_REVIEW', failure: { reason: expect.stringContaining('stopped while it waited for its approval') }, approval: { status: 'CANCELLED' } });
    expect(approval?.status).toBe('CANCELLED');
    expect(decision.status).toBe(410);
  });

  it('emails the approver once when the queue delivers the same request twice', async () => {
    // Prepare: the request exactly as AskApprover sent it, rebuilt from what its row keeps.
    const { orderId } = await placeHighValueOrder();
    await approvalEmailFor(orderId);
    const row = await pollUntil('token kept on the row', () => approvalRow(orderId), (found) => Boolean(found?.taskToken), 30_000, 200);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${STAGE_PREFIX}-approval-requests` }));
    const body = JSON.stringify({
      approvalId: `approve-${orderId}`,
      taskToken: row?.taskToken,
      request: JSON.parse(String(row?.request)),
      approver: row?.approver,
      timeoutSeconds: Number(row?.timeoutSeconds),
      requestedAt: row?.requestedAt,
    });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await pollUntil('the copy consumed', async () => {
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
    }, (left) => left === 0, 30_000, 200);

    // Assess
    expect(await approvalEmailsAbout(orderId)).toHaveLength(1);
    expect(await approvalRow(orderId)).toMatchObject({ status: 'PENDING', emailSentAt: expect.stringMatching(/^\d{4}-/) });
    await submitDecision((await approvalEmailFor(orderId)).rejectLink, 'REJECT');
  });

  it('lets one delivery at a time claim the email, hands a claim older than the lease to the next, and never claims one sent', async () => {
    // Prepare: the consumer's DynamoDB ledger against the stack's approvals table.
    const approvalId = `lease-${randomUUID()}`;
    await db.send(new PutCommand({ TableName: TABLES.approvals, Item: { approvalId, status: 'PENDING', request: '{}', approver: 'boss@example.com' } }));
    const ledger = dynamoDbApprovalStore(db, TABLES.approvals);
    const at = (seconds: number) => new Date(Date.parse('2026-11-24T10:00:00.000Z') + seconds * 1000);
    const claim = (seconds: number, taskToken = 'token-1') =>
      ledger.claimDelivery({ approvalId, taskToken, expiresAt: '2026-11-24T11:00:00.000Z', now: at(seconds), leaseSeconds: 10 });

    // Act
    const first = await claim(0);
    const whileFirstSends = await claim(5);
    const afterFirstDied = await claim(11);
    await ledger.markSent(approvalId, at(12));
    const afterSent = await claim(30);
    const otherToken = await claim(31, 'token-2');
    await ledger.closeUndecided(approvalId, 'CANCELLED', at(40).toISOString());
    const afterCancel = await claim(41);

    // Assess
    expect([first, whileFirstSends, afterFirstDied, afterSent, otherToken, afterCancel]).toEqual(['claimed', 'in-progress', 'claimed', 'sent', 'closed', 'closed']);
    expect(await getRow(TABLES.approvals, { approvalId })).toMatchObject({ status: 'CANCELLED', emailSentAt: at(12).toISOString(), decidedAt: at(40).toISOString() });
  });
});
