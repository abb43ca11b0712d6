import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { signIn } from '../support/api.js';
import { approvalEmailFor, openLink, submitDecision } from '../support/approvals.js';
import { requestUpload, uploadDocument, waitForDocumentStatus } from '../support/documents.js';
import { DOCUMENTS_BUCKET, executionHistory, getRow, listExecutions, MACHINES, TABLES, waitForExecutionEnd } from '../support/local-aws.js';
import { pollUntil } from '../support/poll.js';
import { sfn } from '../support/workflow-harness.js';
import { pages, renderPdf, renderPng, textPage } from '../support/render.js';
import { blankPdf } from '../support/blank-pdf.js';
import { flaggedContractHtml } from '../support/test-documents.js';

/**
 * A document through the whole pipeline on the local stack: uploaded through the API (presigned
 * PUT), announced by S3 on EventBridge, read by OCR, classified, checked and filed by
 * document-processing. The full document set lives in its own suite; this is the smallest proof.
 */
const s3 = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true });

const INVOICE_LINES = [
  'Northwind Supplies Ltd',
  'INVOICE',
  'Invoice Number: INV-2026-0042',
  'Invoice Date: 2026-11-02',
  'Bill To: Acme Limited, 1 High Street, London',
  'Subtotal 800.00',
  'VAT 20% 160.00',
  'Total due: EUR 960.00',
  'Payment terms: 30 days',
];

describe('document-processing on the local stack', () => {
  it('files a scanned invoice uploaded through the API with its class, fields and checks', async () => {
    // Prepare
    const customer = await signIn(`doc-${randomUUID()}`);
    const png = await renderPng(textPage(INVOICE_LINES), { width: 1000, height: 1000 });

    // Act
    const ticket = await uploadDocument(customer, { filename: 'invoice.png', contentType: 'image/png', bytes: png });
    const filed = await waitForDocumentStatus(customer, ticket.documentId);

    // Assess
    expect(filed).toMatchObject({
      status: 'FILED',
      class: 'INVOICE',
      fields: { invoiceNumber: 'INV-2026-0042', invoiceDate: '2026-11-02', total: 'EUR 960.00' },
      checks: [
        { name: 'required-fields', passed: true, detail: expect.any(String) },
        { name: 'prohibited-terms', passed: true, detail: expect.any(String) },
      ],
      approval: null,
      failure: null,
    });
    expect(filed.confidence).toBeGreaterThanOrEqual(0.5);
    const row = await getRow<{ resultKey: string; executionArn: string }>(TABLES.documents, { documentId: ticket.documentId });
    const result = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: row!.resultKey }));
    expect(JSON.parse(await result.Body!.transformToString())).toMatchObject({ documentId: ticket.documentId, class: 'INVOICE', fields: filed.fields, pages: 1 });
    // Started by the Object Created event (no glue Lambda): the execution's input is S3's event.
    const history = await executionHistory(row!.executionArn);
    const input = JSON.parse(history[0]?.executionStartedEventDetails?.input ?? '{}') as { source: string; 'detail-type': string; detail: { object: { key: string } } };
    expect(input).toMatchObject({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { object: { key: `uploads/${ticket.documentId}` } } });
    expect(history.filter((event) => event.type === 'TaskScheduled').map((event) => event.taskScheduledEventDetails?.resource)).not.toContain('detectDocumentText');
  });

  it('files the version it inspected: a second PUT to the same URL adds a version and replaces nothing', async () => {
    // Prepare
    const customer = await signIn(`doc-${randomUUID()}`);
    const png = await renderPng(textPage(INVOICE_LINES), { width: 1000, height: 1000 });
    const { body: ticket } = await requestUpload(customer, { filename: 'invoice.png', contentType: 'image/png', size: png.length });
    const put = (bytes: Buffer) => fetch(ticket.uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes });
    const first = await put(png);
    const filed = await waitForDocumentStatus(customer, ticket.documentId);

    // Act: the same URL again, with other bytes of the same type and length (all a signed URL fixes).
    const second = await put(Buffer.concat([png.subarray(0, 8), Buffer.alloc(png.length - 8, 0x41)]));
    const secondVersion = second.headers.get('x-amz-version-id');
    const secondRun = await pollUntil(`the execution the second PUT started`, async () => {
      for (const { executionArn } of await listExecutions(MACHINES.documentProcessing)) {
        const { input } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (secondVersion && input?.includes(secondVersion)) return executionArn;
      }
      return undefined;
    }, (arn) => arn !== undefined, 30_000, 250);
    await waitForExecutionEnd(secondRun!);

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(filed).toMatchObject({ status: 'FILED', class: 'INVOICE' });
    const row = await getRow<{ uploadVersionId: string }>(TABLES.documents, { documentId: ticket.documentId });
    expect(row?.uploadVersionId).toBe(first.headers.get('x-amz-version-id'));
    const kept = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: `uploads/${ticket.documentId}`, VersionId: row!.uploadVersionId }));
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(png)).toBe(true);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: DOCUMENTS_BUCKET, Prefix: `uploads/${ticket.documentId}` }));
    expect(versions.Versions?.map((version) => version.VersionId).sort()).toEqual([row!.uploadVersionId, secondVersion].sort());
    expect((await executionHistory(secondRun!)).flatMap((event) => event.stateEnteredEventDetails?.name ?? [])).toEqual(['ReadObjectCreatedEvent', 'ClaimDocument', 'NotAwaitingProcessing']);
    expect((await waitForDocumentStatus(customer, ticket.documentId))).toMatchObject({ status: 'FILED', class: 'INVOICE', fields: filed.fields });
  });

  it('reads a PDF through the asynchronous text detection the workflow polls, page by page', async () => {
    const customer = await signIn(`doc-${randomUUID()}`);
    const pdf = await renderPdf(pages([INVOICE_LINES.slice(0, 5), INVOICE_LINES.slice(5)]));

    const ticket = await uploadDocument(customer, { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: pdf });
    const filed = await waitForDocumentStatus(customer, ticket.documentId);

    expect(filed).toMatchObject({ status: 'FILED', class: 'INVOICE', fields: { invoiceNumber: 'INV-2026-0042', total: 'EUR 960.00' } });
    const row = await getRow<{ resultKey: string; executionArn: string }>(TABLES.documents, { documentId: ticket.documentId });
    const result = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: row!.resultKey }));
    expect(JSON.parse(await result.Body!.transformToString())).toMatchObject({ pages: 2 });
    const history = await executionHistory(row!.executionArn);
    const states = history.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    expect(states).toEqual(expect.arrayContaining(['StartTextDetection', 'GetTextDetectionStatus', 'CollectTextDetection']));
    expect(states.filter((name) => name === 'ExtractPageText')).toHaveLength(2);
    const pageTwo = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: `processing/${ticket.documentId}/text/page-00002.json` }));
    expect((JSON.parse(await pageTwo.Body!.transformToString()) as { text: string }[]).map((line) => line.text)).toContain('Total due: EUR 960.00');
  });

  it('shows the approver a contract uploaded under a bidi-override name by its clean name, with its class, fields and failed check', async () => {
    // Prepare: U+202E makes "contract-\u202Efdp.exe" read as "contract-exe.pdf".
    const customer = await signIn(`doc-${randomUUID()}`);
    const pdf = await renderPdf(flaggedContractHtml());

    // Act
    const ticket = await uploadDocument(customer, { filename: 'contract-\u202Efdp.exe', contentType: 'application/pdf', bytes: pdf });
    await waitForDocumentStatus(customer, ticket.documentId, ['AWAITING_APPROVAL', 'FILED', 'REJECTED', 'NEEDS_REVIEW', 'FAILED']);
    const email = await approvalEmailFor(ticket.documentId);
    const page = await openLink(email.approveLink);

    // Assess
    expect(`${email.subject}${email.text}${page.html}`).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(email.text).toContain('File name: contract-fdp[.]exe');
    expect(email.text).toContain('Class: CONTRACT');
    expect(email.text).toContain('Failed check: prohibited-terms: found "unlimited liability"');
    expect(email.text).toMatch(/parties: Initech LLC; Umbrella Corporation/);
    expect(page.html).toContain('<dt>File name</dt><dd>contract-fdp.exe</dd>');
    await submitDecision(email.rejectLink, 'REJECT');
  });

  it('ends a 400-page PDF FAILED within seconds, naming the page limit, without asking Textract', async () => {
    const customer = await signIn(`doc-${randomUUID()}`);
    const started = Date.now();

    const ticket = await uploadDocument(customer, { filename: 'archive.pdf', contentType: 'application/pdf', bytes: blankPdf(400) });
    const failed = await waitForDocumentStatus(customer, ticket.documentId);

    expect(failed.status).toBe('FAILED');
    expect(failed.failure?.reason).toBe('The file has 400 pages, over the limit of 100 pages a document may have.');
    expect(Date.now() - started).toBeLessThan(15_000);
    const row = await getRow<{ executionArn: string }>(TABLES.documents, { documentId: ticket.documentId });
    const history = await executionHistory(row!.executionArn);
    expect(history.flatMap((event) => event.stateEnteredEventDetails?.name ?? [])).toContain('TooManyPages');
    expect(history.filter((event) => event.type === 'TaskScheduled').map((event) => event.taskScheduledEventDetails?.resource)).not.toContain('startDocumentTextDetection');
    expect(history.find((event) => event.type === 'ExecutionSucceeded')).toBeDefined();
  });

  it('ends FAILED with the reason when a text file is sent as a PDF, without asking Textract', async () => {
    const customer = await signIn(`doc-${randomUUID()}`);

    const ticket = await uploadDocument(customer, { filename: 'notes.pdf', contentType: 'application/pdf', bytes: Buffer.from('Meeting notes: call the supplier on Monday.\n') });
    const failed = await waitForDocumentStatus(customer, ticket.documentId);

    expect(failed.status).toBe('FAILED');
    expect(failed.failure?.reason).toBe('The file was declared as a PDF (application/pdf), but its content is none of PDF, PNG, JPEG or TIFF.');
    expect(failed.class).toBeNull();
    const row = await getRow<{ executionArn: string }>(TABLES.documents, { documentId: ticket.documentId });
    const states = (await executionHistory(row!.executionArn)).flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    expect(states).toContain('NotAsDeclared');
    expect(states).not.toContain('StartTextDetection');
  });

  it('ends FAILED naming both sizes when the file PUT is not the size declared, without asking Textract', async () => {
    // Prepare
    const customer = await signIn(`doc-${randomUUID()}`);
    const png = await renderPng(textPage(INVOICE_LINES), { width: 1000, height: 1000 });
    const declaredSize = png.length + 1000;
    const { status, body: ticket } = await requestUpload(customer, { filename: 'invoice.png', contentType: 'image/png', size: declaredSize });
    expect(status).toBe(201);

    // Act: S3 on AWS refuses this PUT (the length is signed); the emulator checks no signature.
    const put = await fetch(ticket.uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png });
    const failed = await waitForDocumentStatus(customer, ticket.documentId);

    // Assess
    expect(put.status).toBe(200);
    expect(failed.status).toBe('FAILED');
    expect(failed.failure?.reason).toBe(`The file was declared as ${declaredSize} bytes, but ${png.length} bytes arrived.`);
    expect(failed.class).toBeNull();
    const row = await getRow<{ executionArn: string }>(TABLES.documents, { documentId: ticket.documentId });
    const states = (await executionHistory(row!.executionArn)).flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    expect(states).toContain('NotAsDeclared');
    expect(states).not.toContain('DetectImageText');
  });
});
