import { readFileSync } from 'node:fs';
import { CoverageRecorder, failedAttempts, runStandardTestCase, STAGE_PREFIX, type Run } from '../support/workflow-harness.js';

/**
 * Executes statemachines/document-processing/definition.asl.yaml, as compiled by serverless package, with the
 * mock cases (mock-cases.yaml beside it): every Task (Lambda, DynamoDB, Textract, the nested approval) is mocked,
 * so these tests prove the routing; the e2e tests prove the steps on real pixels.
 */
const MACHINE = `${STAGE_PREFIX}-document-processing`;
const objectCreated = JSON.parse(readFileSync(new URL('../../events/document-uploaded.json', import.meta.url), 'utf8')) as unknown;
const DOCUMENT_ID = 'doc_0123456789abcdef0123456789abcdef';
/** The version S3's event names (the bucket is versioned): every read of the upload names it. */
const VERSION_ID = '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';

const coverage = new CoverageRecorder();
// What the runs took, for the summary `npm run test:workflows` prints and the console's coverage overlay.
afterAll(() => coverage.save(MACHINE));
const run = async (testCase: string, timeoutMs?: number): Promise<Run> =>
  coverage.record(await runStandardTestCase(MACHINE, testCase, objectCreated, timeoutMs));

const inputOf = (result: Run, state: string): Record<string, unknown> =>
  JSON.parse(result.events.find((event) => event.stateEnteredEventDetails?.name === state)?.stateEnteredEventDetails?.input ?? '{}') as Record<string, unknown>;

const scheduled = (result: Run, resource: string): Record<string, unknown>[] =>
  result.events.filter((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === resource)
    .map((event) => JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}') as Record<string, unknown>);

const payloadsTo = (result: Run, state: string): Record<string, unknown>[] => {
  const entered = new Set(result.events.filter((event) => event.stateEnteredEventDetails?.name === state).map((event) => event.id));
  const byId = new Map(result.events.map((event) => [event.id, event]));
  return result.events.filter((event) => {
    if (event.type !== 'TaskScheduled') return false;
    let cursor = byId.get(event.previousEventId);
    while (cursor && !cursor.stateEnteredEventDetails) cursor = byId.get(cursor.previousEventId);
    return cursor !== undefined && entered.has(cursor.id);
  }).map((event) => (JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}') as { Payload: Record<string, unknown> }).Payload);
};

const READ_IMAGE = ['ReadObjectCreatedEvent', 'ClaimDocument', 'InspectUpload', 'CheckDeclaration', 'DetectImageText', 'CheckForText'];
const FAILED_UNEXPECTEDLY = ['HandleUnexpectedError', 'MarkFailed', 'ProcessingFailed'];

describe('document-processing', () => {
  // The bounded poll waits textDetectionMaxPolls seconds in this stage: start it first, check it last.
  let neverEnding: Promise<Run>;
  beforeAll(() => {
    neverEnding = run('PdfJobNeverEnds', 240_000);
    neverEnding.catch(() => undefined);
  });

  it('reads an image, extracts its page, classifies it, runs both checks and files it', async () => {
    const result = await run('ImageFiled');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([
      ...READ_IMAGE, 'ExtractPageTexts', 'ExtractPageText', 'ClassifyDocument', 'CheckDocument',
      ...result.statesEntered.slice(10, 12), 'DecideRoute', 'FileDocument', 'Filed',
    ]);
    expect(result.statesEntered.slice(10, 12).sort()).toEqual(['CheckProhibitedTerms', 'CheckRequiredFields']);
    expect(payloadsTo(result, 'FileDocument')).toEqual([{
      documentId: DOCUMENT_ID,
      status: 'FILED',
      classification: { class: 'INVOICE', contractType: null, confidence: 0.9, fields: { invoiceNumber: 'INV-2026-0042', invoiceDate: '2026-11-02', total: 'EUR 960.00' } },
      checks: [
        { name: 'required-fields', passed: true, detail: 'found invoiceNumber, invoiceDate, total' },
        { name: 'prohibited-terms', passed: true, detail: 'none of 4 prohibited terms found' },
      ],
      approval: null,
      pageCount: 1,
    }]);
  });

  it('reads the document id from the S3 key and claims it with the version the event names, keeping the declared type and size (a number) for the inspection', async () => {
    const result = await run('ImageFiled');

    const [claim] = scheduled(result, 'updateItem');
    expect(claim).toMatchObject({
      Key: { documentId: { S: DOCUMENT_ID } },
      ConditionExpression: '#status = :pending',
      UpdateExpression: expect.stringContaining('uploadVersionId = :versionId'),
      ExpressionAttributeValues: { ':processing': { S: 'PROCESSING' }, ':pending': { S: 'UPLOAD_PENDING' }, ':versionId': { S: VERSION_ID } },
    });
    expect(payloadsTo(result, 'InspectUpload')).toEqual([{ documentId: DOCUMENT_ID, bucket: 'sfn-orders-local-documents-000000000000', key: `uploads/${DOCUMENT_ID}`, versionId: VERSION_ID, declaredContentType: 'image/png', declaredSize: 48213 }]);
    expect(payloadsTo(result, 'DetectImageText')).toEqual([{ documentId: DOCUMENT_ID, bucket: 'sfn-orders-local-documents-000000000000', key: `uploads/${DOCUMENT_ID}`, versionId: VERSION_ID }]);
    expect(inputOf(result, 'InspectUpload').declared).toEqual({ contentType: 'image/png', filename: 'invoice.png', size: 48213 });
  });

  it('starts text detection for a PDF, waits for the job, collects the text and maps over every page one by one', async () => {
    const result = await run('PdfFiled');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(0, 9)).toEqual([
      'ReadObjectCreatedEvent', 'ClaimDocument', 'InspectUpload', 'CheckDeclaration', 'StartTextDetection',
      'WaitForTextDetection', 'GetTextDetectionStatus', 'CheckTextDetection', 'CollectTextDetection',
    ]);
    expect(result.statesEntered.filter((name) => name === 'ExtractPageText')).toHaveLength(3);
    expect(payloadsTo(result, 'ExtractPageText')).toEqual([1, 2, 3].map((page) => ({ documentId: DOCUMENT_ID, page })));
    expect(scheduled(result, 'getDocumentTextDetection')).toEqual([{ JobId: 'job-0123', MaxResults: 1 }]);
    expect(scheduled(result, 'startDocumentTextDetection')).toEqual([{
      DocumentLocation: { S3Object: { Bucket: 'sfn-orders-local-documents-000000000000', Name: `uploads/${DOCUMENT_ID}`, Version: VERSION_ID } }, ClientRequestToken: DOCUMENT_ID, JobTag: 'document-processing',
    }]);
    expect(payloadsTo(result, 'CollectTextDetection')).toEqual([{ documentId: DOCUMENT_ID, jobId: 'job-0123' }]);
    expect(result.statesEntered.at(-1)).toBe('Filed');
  });

  it('keeps Textract output out of the state: only counts, page numbers and the job id travel', async () => {
    const result = await run('PdfFiled');

    const classifyInput = inputOf(result, 'ClassifyDocument');
    expect(classifyInput.text).toEqual({ pages: [1, 2, 3], pageCount: 3, lineCount: 42 });
    expect(classifyInput.jobStatus).toEqual({ status: 'SUCCEEDED' });
    expect(JSON.stringify(classifyInput)).not.toContain('Blocks');
  });

  it('ignores a second Object Created for a document already claimed', async () => {
    const result = await run('DuplicateDelivery');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ReadObjectCreatedEvent', 'ClaimDocument', 'NotAwaitingProcessing']);
    expect(result.caughtTransitions).toEqual(['ClaimDocument -> NotAwaitingProcessing']);
  });

  it('marks the document FAILED with the reason when its bytes are not the declared type, and reads nothing', async () => {
    const result = await run('TypeMismatch');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ReadObjectCreatedEvent', 'ClaimDocument', 'InspectUpload', 'CheckDeclaration', 'NotAsDeclared', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
    const marked = scheduled(result, 'updateItem').at(-1);
    expect(marked?.ExpressionAttributeValues).toMatchObject({
      ':failed': { S: 'FAILED' },
      ':reason': { S: 'The file was declared as a PDF (application/pdf), but its content is none of PDF, PNG, JPEG or TIFF.' },
    });
  });

  it('marks a PDF over the page limit FAILED naming the limit, as the file\'s fault, before Textract is asked anything', async () => {
    const result = await run('TooManyPages');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual(['ReadObjectCreatedEvent', 'ClaimDocument', 'InspectUpload', 'CheckDeclaration', 'TooManyPages', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
    expect(scheduled(result, 'startDocumentTextDetection')).toEqual([]);
    expect(scheduled(result, 'updateItem').at(-1)?.ExpressionAttributeValues).toMatchObject({
      ':failed': { S: 'FAILED' },
      ':reason': { S: 'The file has 400 pages, over the limit of 100 pages a document may have.' },
    });
  });

  it('marks the document FAILED naming both sizes when the object is not the declared size, and reads nothing', async () => {
    const result = await run('SizeMismatch');

    expect(result.status).toBe('SUCCEEDED');
    expect(payloadsTo(result, 'InspectUpload')).toEqual([expect.objectContaining({ declaredContentType: 'application/pdf', declaredSize: 182044 })]);
    expect(result.statesEntered).toEqual(['ReadObjectCreatedEvent', 'ClaimDocument', 'InspectUpload', 'CheckDeclaration', 'NotAsDeclared', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
    expect(scheduled(result, 'updateItem').at(-1)?.ExpressionAttributeValues).toMatchObject({
      ':failed': { S: 'FAILED' },
      ':reason': { S: 'The file was declared as 182044 bytes, but 9000000 bytes arrived.' },
    });
  });

  it.each([
    ['ImageUnreadable', 'DetectImageText -> Unreadable'],
    ['PdfUnsupported', 'StartTextDetection -> Unreadable'],
    ['CollectFindsJobFailed', 'CollectTextDetection -> Unreadable'],
  ])('marks an unreadable file FAILED with the reason (%s)', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered.slice(-4)).toEqual(['Unreadable', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
    expect(inputOf(result, 'MarkFailed').failure).toEqual({ reason: 'The file could not be read: it is damaged or truncated.', unexpected: false });
  });

  it('marks a file FAILED when its text detection job fails', async () => {
    const result = await run('PdfJobFailed');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.caughtTransitions).toEqual([]);
    expect(result.statesEntered.slice(-5)).toEqual(['CheckTextDetection', 'Unreadable', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
  });

  it('sends a document without text to review with the reason', async () => {
    const result = await run('BlankPage');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toEqual([...READ_IMAGE, 'NoTextFound', 'MarkNeedsReview', 'NeedsReview']);
    expect(scheduled(result, 'updateItem').at(-1)?.ExpressionAttributeValues).toMatchObject({
      ':review': { S: 'NEEDS_REVIEW' }, ':reason': { S: 'No text was found on its 1 page(s); a person must look at it.' },
    });
  });

  it('retries Textract when it is busy, for an image and for a PDF', async () => {
    const image = await run('TextractBusyOnce');
    const pdf = await run('PdfStartThrottledOnce');

    expect(image.status).toBe('SUCCEEDED');
    expect(failedAttempts(image, 'DetectImageText')).toBe(1);
    expect(image.statesEntered.at(-1)).toBe('Filed');
    expect(pdf.status).toBe('SUCCEEDED');
    expect(failedAttempts(pdf, 'StartTextDetection')).toBe(1);
    expect(pdf.statesEntered.at(-1)).toBe('Filed');
  });

  it('asks the document approver about a flagged contract and files it once approved', async () => {
    const result = await run('ProhibitedTermApproved');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(-6)).toEqual(['DecideRoute', 'MarkAwaitingApproval', 'RequestApproval', 'CheckApprovalDecision', 'FileDocument', 'Filed']);
    const [started] = scheduled(result, 'startExecution.sync:2') as [{ Name: string; StateMachineArn: string; Input: Record<string, unknown> }];
    expect(started.StateMachineArn).toMatch(/:stateMachine:sfn-orders-local-approval$/);
    expect(started.Name).toBe(`approve-${DOCUMENT_ID}`);
    expect(started.Input).toMatchObject({
      approver: 'documents@example.com',
      request: {
        kind: 'document',
        id: DOCUMENT_ID,
        summary: expect.any(String),
        document: {
          filename: 'contract.pdf',
          class: 'CONTRACT',
          confidence: 0.85,
          fields: { parties: 'Acme Limited; Globex Corporation', term: 'twelve months', signature: 'Ada Lovelace' },
          checks: [
            { name: 'required-fields', passed: true, detail: 'found invoiceNumber, invoiceDate, total' },
            { name: 'prohibited-terms', passed: false, detail: 'found "unlimited liability" on page 2' },
          ],
        },
      },
    });
    expect(payloadsTo(result, 'MarkAwaitingApproval')[0]).toMatchObject({ status: 'AWAITING_APPROVAL', approval: null });
    expect(payloadsTo(result, 'FileDocument')[0]).toMatchObject({ status: 'FILED', approval: { status: 'APPROVED', decidedBy: 'documents@example.com', comment: 'Liability clause agreed with legal' } });
  });

  it("passes a contract's type from the classification to the required-fields check and to filing", async () => {
    const result = await run('ProhibitedTermApproved');

    expect(payloadsTo(result, 'CheckRequiredFields')).toEqual([{
      documentId: DOCUMENT_ID,
      class: 'CONTRACT',
      contractType: 'SERVICE_AGREEMENT',
      fields: expect.objectContaining({ parties: 'Acme Limited; Globex Corporation', term: 'twelve months' }),
    }]);
    expect(payloadsTo(result, 'FileDocument')[0]).toMatchObject({ classification: { class: 'CONTRACT', contractType: 'SERVICE_AGREEMENT' } });
  });

  it('marks a flagged document REJECTED when the approver says no', async () => {
    const result = await run('ProhibitedTermRejected');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(-3)).toEqual(['CheckApprovalDecision', 'RejectDocument', 'Rejected']);
    expect(payloadsTo(result, 'RejectDocument')[0]).toMatchObject({ status: 'REJECTED', approval: { status: 'REJECTED', comment: 'We never accept unlimited liability' } });
  });

  it('sends a document to review when nobody decides before the deadline', async () => {
    const result = await run('MissingFieldsApprovalExpired');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered.slice(-3)).toEqual(['CheckApprovalDecision', 'ApprovalExpired', 'NeedsReview']);
    expect(payloadsTo(result, 'ApprovalExpired')[0]).toMatchObject({ status: 'NEEDS_REVIEW', approval: { status: 'EXPIRED' }, reason: expect.stringContaining('approval deadline') });
  });

  it('asks a person about an unsure classification even when both checks pass', async () => {
    const result = await run('UnsureClassificationApproved');

    expect(result.status).toBe('SUCCEEDED');
    expect(result.statesEntered).toContain('RequestApproval');
    expect(inputOf(result, 'DecideRoute')).toMatchObject({ classification: { class: 'OTHER', confidence: 0.2 } });
  });

  it.each([
    ['ClaimFails', 'ClaimDocument -> HandleUnexpectedError'],
    ['InspectCrashes', 'InspectUpload -> HandleUnexpectedError'],
    ['DetectCrashes', 'DetectImageText -> HandleUnexpectedError'],
    ['BlankPageNotRecorded', 'MarkNeedsReview -> HandleUnexpectedError'],
    ['PdfStartDenied', 'StartTextDetection -> HandleUnexpectedError'],
    ['PdfStatusFails', 'GetTextDetectionStatus -> HandleUnexpectedError'],
    ['CollectCrashes', 'CollectTextDetection -> HandleUnexpectedError'],
    ['PageTextFails', 'ExtractPageTexts -> HandleUnexpectedError'],
    ['ClassifyFails', 'ClassifyDocument -> HandleUnexpectedError'],
    ['CheckFails', 'CheckDocument -> HandleUnexpectedError'],
    ['FileFails', 'FileDocument -> HandleUnexpectedError'],
    ['MarkAwaitingApprovalFails', 'MarkAwaitingApproval -> HandleUnexpectedError'],
    ['ApprovalWorkflowFails', 'RequestApproval -> HandleUnexpectedError'],
    ['RejectFails', 'RejectDocument -> HandleUnexpectedError'],
    ['ExpiryNotRecorded', 'ApprovalExpired -> HandleUnexpectedError'],
  ])('marks the document FAILED and fails the execution when %s', async (testCase, edge) => {
    const result = await run(testCase);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('DocumentProcessingFailed');
    expect(result.caughtTransitions).toEqual([edge]);
    expect(result.statesEntered.slice(-4)).toEqual(['HandleUnexpectedError', 'MarkFailed', 'CheckFailureKind', 'ProcessingFailed']);
    expect(inputOf(result, 'MarkFailed').failure).toMatchObject({ reason: 'Processing failed unexpectedly; operations have been alerted.', unexpected: true });
  });

  it('still fails the execution when not even the failure can be recorded', async () => {
    const result = await run('NothingCanBeRecorded');

    expect(result.status).toBe('FAILED');
    expect(result.caughtTransitions).toEqual(['ClaimDocument -> HandleUnexpectedError', 'MarkFailed -> ProcessingFailed']);
    expect(result.statesEntered.slice(-3)).toEqual(FAILED_UNEXPECTEDLY);
  });

  it('gives up on a text detection job that never ends after the stage\'s number of polls, and marks it FAILED', async () => {
    const result = await neverEnding;

    expect(result.status).toBe('SUCCEEDED');
    // Asked, then asked again after each of the 60 polls the local stage allows.
    expect(result.statesEntered.filter((name) => name === 'GetTextDetectionStatus')).toHaveLength(61);
    expect(result.statesEntered.filter((name) => name === 'CountPoll')).toHaveLength(60);
    expect(result.statesEntered.slice(-5)).toEqual(['CheckTextDetection', 'TextDetectionTimedOut', 'MarkFailed', 'CheckFailureKind', 'NotProcessed']);
  });

  it('visited every state and took every transition of the definition, each Catch route included', async () => {
    expect(await coverage.missing(MACHINE)).toEqual({ states: [], catchEdges: [], edges: [] });
  });
});
