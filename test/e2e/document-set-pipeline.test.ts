import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { ARTEFACT_KEYS } from '../../functions/shared/documents/document-artefacts.js';
import { signIn, type Customer } from '../support/api.js';
import { approvalEmailFor, openLink, submitDecision } from '../support/approvals.js';
import { getDocument, uploadDocument, waitForDocumentStatus, type DocumentView } from '../support/documents.js';
import { DOCUMENTS_BUCKET, executionHistory, getRow, TABLES } from '../support/local-aws.js';
import {
  CLEAN_CONTRACT_PRINTED,
  CLEAN_NDA_PRINTED,
  CONTRACT_TYPES,
  FLAGGED_CONTRACT_PRINTED,
  INVOICE_PRINTED,
  LONG_CONTRACT_PRINTED,
  RECEIPT_PRINTED,
  testDocuments,
  type TestDocument,
  type TestDocuments,
} from '../support/test-documents.js';

/**
 * The whole document set (test/support/test-documents.ts) through the whole pipeline on the local
 * stack, as a customer sends it: POST /documents, PUT to the presigned URL, GET /documents/{id}
 * until it ends. S3's Object Created event starts document-processing; the local Textract reads
 * the pixels with tesseract; an approver follows the emailed link with a real HTTP client.
 */
const s3 = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });

/** What a state may hold on AWS. */
const STATE_LIMIT = 256 * 1024;
/** What this pipeline's states hold at most: keys, counts and verdicts, never text. */
const POINTERS_ONLY = 8 * 1024;

let customer: Customer;
let documents: TestDocuments;
/** Every document of the set is uploaded at once, as a busy morning would: the tests then follow each. */
const uploaded = new Map<keyof TestDocuments, string>();

beforeAll(async () => {
  customer = await signIn(`doc-set-${randomUUID()}`);
  documents = await testDocuments();
  for (const [name, document] of Object.entries(documents) as [keyof TestDocuments, TestDocument][]) {
    uploaded.set(name, (await uploadDocument(customer, document)).documentId);
  }
}, 120_000);

const outcomeOf = (name: keyof TestDocuments, statuses?: string[]): Promise<DocumentView> =>
  waitForDocumentStatus(customer, uploaded.get(name)!, statuses, 150_000);

const historyOf = async (documentId: string): Promise<HistoryEvent[]> => {
  const row = await getRow<{ executionArn: string }>(TABLES.documents, { documentId });
  return executionHistory(row!.executionArn);
};

const statesEntered = (history: HistoryEvent[]) => history.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);

/** Every payload the execution carried from state to state: inputs, outputs, task parameters and results. */
const payloadSizes = (history: HistoryEvent[]) => history.flatMap((event) => Object.entries(event).flatMap(([kind, details]) => {
  if (!details || typeof details !== 'object') return [];
  return Object.entries(details as Record<string, unknown>)
    .filter(([field, value]) => ['input', 'output', 'parameters'].includes(field) && typeof value === 'string')
    .map(([field, value]) => ({ event: `${event.id} ${kind}.${field}`, bytes: Buffer.byteLength(value as string) }));
}));

const objectsUnder = async (prefix: string) => {
  const objects: { Key?: string; Size?: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: DOCUMENTS_BUCKET, Prefix: prefix, ContinuationToken: token }));
    objects.push(...page.Contents ?? []);
    token = page.NextContinuationToken;
  } while (token);
  return objects;
};

describe('the document set through document-processing', () => {
  it('files the scanned invoice with its number, date and total, both checks passed', async () => {
    const invoice = await outcomeOf('invoice');

    expect(invoice).toMatchObject({
      status: 'FILED',
      class: 'INVOICE',
      fields: INVOICE_PRINTED,
      checks: [{ name: 'required-fields', passed: true }, { name: 'prohibited-terms', passed: true }],
      approval: null,
      failure: null,
    });
    expect(invoice.confidence).toBeGreaterThan(0.7);
  });

  it('files the receipt with merchant, date and total', async () => {
    const receipt = await outcomeOf('receipt');

    expect(receipt).toMatchObject({ status: 'FILED', class: 'RECEIPT', fields: RECEIPT_PRINTED, approval: null, failure: null });
  });

  it('files the clean service agreement without asking anyone, with its type and its liability clause', async () => {
    const contract = await outcomeOf('cleanContract');

    expect(contract).toMatchObject({
      status: 'FILED',
      class: 'CONTRACT',
      contractType: CONTRACT_TYPES.cleanContract,
      fields: { ...CLEAN_CONTRACT_PRINTED, liability: expect.stringContaining('total liability under this Agreement is limited') },
      checks: [{ name: 'required-fields', passed: true, detail: expect.stringContaining('a service agreement needs parties, term, liability') }, { name: 'prohibited-terms', passed: true }],
      approval: null,
    });
  });

  it('files the clean NDA without asking anyone: parties wrapped over lines, term, confidentiality, type NDA', async () => {
    const nda = await outcomeOf('cleanNda');

    expect(nda).toMatchObject({
      status: 'FILED',
      class: 'CONTRACT',
      contractType: CONTRACT_TYPES.cleanNda,
      fields: { ...CLEAN_NDA_PRINTED, confidentiality: expect.stringContaining('shall not disclose it to any third party') },
      checks: [{ name: 'required-fields', passed: true, detail: expect.stringContaining('an NDA needs parties, term, confidentiality') }, { name: 'prohibited-terms', passed: true }],
      approval: null,
    });
  });

  it('holds the contract with a prohibited clause for the approver, and files it once approved through the emailed link', async () => {
    // Prepare
    const documentId = uploaded.get('flaggedContract')!;
    const waiting = await outcomeOf('flaggedContract', ['AWAITING_APPROVAL', 'FILED', 'REJECTED', 'NEEDS_REVIEW', 'FAILED']);
    const email = await approvalEmailFor(documentId);

    // Act: the approver opens the link (a GET decides nothing), then presses Approve.
    const page = await openLink(email.approveLink);
    const stillWaiting = await getDocument(customer, documentId);
    const decided = await submitDecision(email.approveLink, 'APPROVE', 'Liability cap agreed by phone');
    const filed = await outcomeOf('flaggedContract');

    // Assess
    const { prohibitedTerm, ...fields } = FLAGGED_CONTRACT_PRINTED;
    expect(waiting).toMatchObject({
      status: 'AWAITING_APPROVAL',
      class: 'CONTRACT',
      contractType: CONTRACT_TYPES.flaggedContract,
      fields,
      checks: [{ name: 'required-fields', passed: true }, { name: 'prohibited-terms', passed: false, detail: `found "${prohibitedTerm}" on page 1` }],
    });
    expect(email.to).toBe('documents@example.com');
    expect(page.status).toBe(200);
    expect(page.html).toContain(documentId);
    expect(stillWaiting.body.status).toBe('AWAITING_APPROVAL');
    expect(decided.status).toBe(200);
    expect(filed).toMatchObject({ status: 'FILED', class: 'CONTRACT', fields, approval: { status: 'APPROVED', comment: 'Liability cap agreed by phone' } });
    expect(filed.approval?.decidedAt).toEqual(expect.any(String));
    expect(await submitDecision(email.rejectLink, 'REJECT')).toMatchObject({ status: 409 });
  });

  it('sends the blank page to a person: NEEDS_REVIEW, with the reason', async () => {
    const blank = await outcomeOf('blankPage');

    expect(blank).toMatchObject({ status: 'NEEDS_REVIEW', failure: { reason: 'No text was found on its 1 page(s); a person must look at it.' } });
    expect(statesEntered(await historyOf(blank.documentId))).toContain('NoTextFound');
  });

  it('fails the corrupt PDF with the reason, before Textract: its page tree is gone, so its pages cannot be counted', async () => {
    const corrupt = await outcomeOf('corruptPdf');

    expect(corrupt).toMatchObject({ status: 'FAILED', class: null, failure: { reason: 'The file could not be read: it is damaged or truncated.' } });
    const states = statesEntered(await historyOf(corrupt.documentId));
    expect(states).toContain('NotAsDeclared');
    expect(states).not.toContain('StartTextDetection');
  });

  it('fails the text file declared as a PDF with the reason, before Textract', async () => {
    const text = await outcomeOf('textAsPdf');

    expect(text).toMatchObject({ status: 'FAILED', class: null, failure: { reason: expect.stringContaining('declared as a PDF') } });
    expect(statesEntered(await historyOf(text.documentId))).not.toContain('StartTextDetection');
  });

  it('files the 30-page contract while its states carry only pointers: the OCR output in S3 is over 256 KB, no state payload near it', async () => {
    // Act
    const long = await outcomeOf('longContract');
    const history = await historyOf(long.documentId);

    // Assess
    const { pages, ...fields } = LONG_CONTRACT_PRINTED;
    expect(long).toMatchObject({ status: 'FILED', class: 'CONTRACT', contractType: CONTRACT_TYPES.longContract, fields, approval: null });
    const blockObjects = await objectsUnder(ARTEFACT_KEYS.pageBlocks(long.documentId, 1).replace(/[^/]+$/, ''));
    expect(blockObjects).toHaveLength(pages);
    const textractBytes = blockObjects.reduce((sum, object) => sum + (object.Size ?? 0), 0);
    expect(textractBytes).toBeGreaterThan(STATE_LIMIT);
    expect(statesEntered(history).filter((state) => state === 'ExtractPageText')).toHaveLength(pages);
    const sizes = payloadSizes(history);
    expect(sizes.length).toBeGreaterThan(100);
    const largest = sizes.reduce((big, size) => (size.bytes > big.bytes ? size : big));
    expect(largest.bytes).toBeLessThan(POINTERS_ONLY);
  }, 180_000);
});
