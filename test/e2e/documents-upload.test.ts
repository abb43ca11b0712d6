import { randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, call, signIn, type Customer } from '../support/api.js';
import { db, DOCUMENTS_BUCKET, eventBridge, getRow, TABLES } from '../support/local-aws.js';
import { pollUntil } from '../support/poll.js';
import { renderPdf, textPage } from '../support/render.js';

/**
 * Uploading a document as a client does: POST /documents for a ticket, a real HTTP PUT of the
 * file to the presigned URL, GET /documents/{id}. Every refusal writes nothing.
 */
const aws = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' };
const s3 = new S3Client({ ...aws, forcePathStyle: true });
const sqs = new SQSClient(aws);

interface Ticket { documentId: string; uploadUrl: string; expiresAt: string }
interface DocumentView {
  documentId: string; status: string; filename: string; contentType: string; size: number;
  class: string | null; confidence: number | null; fields: Record<string, string>; checks: unknown[]; approval: unknown;
}

const newCustomer = () => signIn(`doc-${randomUUID()}`);

const postDocument = (customer: Customer, body: unknown, contentType = 'application/json') =>
  call<Ticket & { error?: string; message?: string; details?: { field: string; problem: string }[] }>('/documents', {
    method: 'POST',
    headers: { 'content-type': contentType, ...bearer(customer) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const getDocument = (customer: Customer, documentId: string) =>
  call<DocumentView & { error?: string }>(`/documents/${documentId}`, { headers: bearer(customer) });

const rowsOf = async (customer: Customer) =>
  (await db.send(new ScanCommand({ TableName: TABLES.documents, FilterExpression: 'customerId = :c', ExpressionAttributeValues: { ':c': customer.sub }, ConsistentRead: true }))).Items ?? [];

describe('POST /documents and the presigned upload', () => {
  it('issues a ticket, takes the file by HTTP PUT, and shows the document to its uploader', async () => {
    // Prepare
    const customer = await newCustomer();
    const pdf = await renderPdf(textPage(['Invoice INV-1001', 'Total 99.00 EUR']));

    // Act
    const created = await postDocument(customer, { filename: 'invoice INV-1001.pdf', contentType: 'application/pdf', size: pdf.length });
    const upload = await fetch(created.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: pdf });
    const shown = await getDocument(customer, created.body.documentId);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.documentId).toMatch(/^doc_[a-f0-9]{32}$/);
    expect(created.headers.get('location')).toBe(`/documents/${created.body.documentId}`);
    const expiresIn = Date.parse(created.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(10 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    expect(new URL(created.body.uploadUrl).searchParams.get('X-Amz-Signature')).toMatch(/^[a-f0-9]{64}$/);
    // What real S3 enforces (the emulator does not): exactly this type and length, and no checksum of an empty body.
    expect(new URL(created.body.uploadUrl).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(created.body.uploadUrl).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
    expect(upload.status).toBe(200);
    const stored = await s3.send(new GetObjectCommand({ Bucket: DOCUMENTS_BUCKET, Key: `uploads/${created.body.documentId}` }));
    expect(stored.ContentType).toBe('application/pdf');
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(pdf)).toBe(true);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      documentId: created.body.documentId,
      filename: 'invoice INV-1001.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      class: null,
      confidence: null,
      fields: {},
      checks: [],
      approval: null,
    });
    // document-processing may already be reading it (its own tests follow it to the end).
    expect(['UPLOAD_PENDING', 'PROCESSING', 'FILED', 'NEEDS_REVIEW', 'FAILED', 'AWAITING_APPROVAL']).toContain(shown.body.status);
    expect(await getRow(TABLES.documents, { documentId: created.body.documentId })).toMatchObject({ customerId: customer.sub, objectKey: `uploads/${created.body.documentId}` });
  });

  it('records a new document as UPLOAD_PENDING, owned by the caller', async () => {
    const customer = await newCustomer();

    const created = await postDocument(customer, { filename: 'scan.png', contentType: 'image/png', size: 2048 });

    expect(created.status).toBe(201);
    expect((await getDocument(customer, created.body.documentId)).body.status).toBe('UPLOAD_PENDING');
    expect(await rowsOf(customer)).toEqual([expect.objectContaining({ documentId: created.body.documentId, status: 'UPLOAD_PENDING', customerId: customer.sub })]);
  });

  it.each([
    ['application/pdf'], ['image/png'], ['image/jpeg'], ['image/tiff'], ['Image/PNG'],
  ])('takes %s', async (contentType) => {
    const customer = await newCustomer();

    const created = await postDocument(customer, { filename: 'file', contentType, size: 1 });

    expect(created.status).toBe(201);
    expect((await getDocument(customer, created.body.documentId)).body.contentType).toBe(contentType.toLowerCase());
  });

  it('takes exactly 10 MB', async () => {
    const created = await postDocument(await newCustomer(), { filename: 'big.tiff', contentType: 'image/tiff', size: 10 * 1024 * 1024 });

    expect(created.status).toBe(201);
  });

  it('announces the upload on the default EventBridge bus as S3 Object Created, as the template configures the bucket', async () => {
    // Prepare: a rule of this test's own on the default bus, delivering to a queue it reads.
    const customer = await newCustomer();
    const name = `documents-upload-${randomUUID().slice(0, 8)}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const queueArn = `arn:aws:sqs:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:${name}`;
    await eventBridge.send(new PutRuleCommand({
      Name: name,
      EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [DOCUMENTS_BUCKET] } } }),
    }));
    await eventBridge.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'queue', Arn: queueArn }] }));
    const png = Buffer.from('not read by anyone here');
    const { body: ticket } = await postDocument(customer, { filename: 'photo.png', contentType: 'image/png', size: png.length });

    // Act
    await fetch(ticket.uploadUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png });

    // Assess
    const received = await pollUntil('the Object Created event', () => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 })), (answer) => (answer.Messages?.length ?? 0) > 0, 20_000);
    const event = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { 'detail-type': string; detail: { bucket: { name: string }; object: { key: string; size: number } } };
    expect(event['detail-type']).toBe('Object Created');
    expect(event.detail.bucket.name).toBe(DOCUMENTS_BUCKET);
    expect(event.detail.object).toMatchObject({ key: `uploads/${ticket.documentId}`, size: png.length });
    await eventBridge.send(new RemoveTargetsCommand({ Rule: name, Ids: ['queue'] }));
    await eventBridge.send(new DeleteRuleCommand({ Name: name }));
  });
});

describe('refusals write nothing', () => {
  it.each<{ name: string; body: unknown; status: number; error: string; field?: string }>([
    { name: 'a Word file', body: { filename: 'contract.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 1000 }, status: 415, error: 'UnsupportedDocumentType' },
    { name: 'plain text', body: { filename: 'notes.txt', contentType: 'text/plain', size: 10 }, status: 415, error: 'UnsupportedDocumentType' },
    { name: 'one byte over 10 MB', body: { filename: 'huge.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024 + 1 }, status: 413, error: 'DocumentTooLarge' },
    { name: 'malformed JSON', body: '{"filename": "a.pdf",', status: 400, error: 'MalformedJson' },
    { name: 'a JSON array', body: '[]', status: 400, error: 'InvalidDocumentRequest' },
    { name: 'no filename', body: { contentType: 'application/pdf', size: 10 }, status: 400, error: 'InvalidDocumentRequest', field: 'filename' },
    { name: 'a filename with a path', body: { filename: '../../etc/passwd', contentType: 'application/pdf', size: 10 }, status: 400, error: 'InvalidDocumentRequest', field: 'filename' },
    { name: 'no contentType', body: { filename: 'a.pdf', size: 10 }, status: 400, error: 'InvalidDocumentRequest', field: 'contentType' },
    { name: 'a size in text', body: { filename: 'a.pdf', contentType: 'application/pdf', size: '10' }, status: 400, error: 'InvalidDocumentRequest', field: 'size' },
    { name: 'a size of zero', body: { filename: 'a.pdf', contentType: 'application/pdf', size: 0 }, status: 400, error: 'InvalidDocumentRequest', field: 'size' },
    { name: 'a fractional size', body: { filename: 'a.pdf', contentType: 'application/pdf', size: 1.5 }, status: 400, error: 'InvalidDocumentRequest', field: 'size' },
    { name: 'an unknown field', body: { filename: 'a.pdf', contentType: 'application/pdf', size: 10, customerId: 'someone-else' }, status: 400, error: 'InvalidDocumentRequest', field: 'customerId' },
  ])('$name → $status $error', async ({ body, status, error, field }) => {
    const customer = await newCustomer();

    const response = await postDocument(customer, body);

    expect(response.status).toBe(status);
    expect(response.body.error).toBe(error);
    expect(response.body.message).toEqual(expect.any(String));
    if (field) expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await rowsOf(customer)).toEqual([]);
  });

  it('refuses a body that is not JSON with 415 UnsupportedMediaType', async () => {
    const customer = await newCustomer();

    const response = await postDocument(customer, 'filename=a.pdf', 'application/x-www-form-urlencoded');

    expect(response.status).toBe(415);
    expect(response.body.error).toBe('UnsupportedMediaType');
    expect(await rowsOf(customer)).toEqual([]);
  });

  it('refuses without a token (401) and with a token lacking the documents scope (403)', async () => {
    const ordersOnly = await signIn(`doc-${randomUUID()}`, { scope: 'orders' });
    const body = { filename: 'a.pdf', contentType: 'application/pdf', size: 10 };

    const anonymous = await call('/documents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrongScope = await postDocument(ordersOnly, body);

    expect(anonymous.status).toBe(401);
    expect(wrongScope.status).toBe(403);
    expect(await rowsOf(ordersOnly)).toEqual([]);
  });
});

describe('GET /documents/{documentId}', () => {
  it("answers 404 for another customer's document, as for one that does not exist", async () => {
    const owner = await newCustomer();
    const stranger = await newCustomer();
    const { body: ticket } = await postDocument(owner, { filename: 'private.pdf', contentType: 'application/pdf', size: 10 });

    const theirs = await getDocument(stranger, ticket.documentId);
    const unknown = await getDocument(stranger, `doc_${'0'.repeat(32)}`);

    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toBe('DocumentNotFound');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('DocumentNotFound');
    expect((await getDocument(owner, ticket.documentId)).status).toBe(200);
  });

  it('answers 400 for a malformed id', async () => {
    const response = await getDocument(await newCustomer(), 'not-a-document-id');

    expect(response.status).toBe(400);
    expect(response.body.error).toBe('InvalidDocumentId');
  });
});
