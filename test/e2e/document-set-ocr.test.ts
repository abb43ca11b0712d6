import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentTextDetectionCommand,
  TextractClient,
  UnsupportedDocumentException,
  type Block,
} from '@aws-sdk/client-textract';
import { DEFAULT_PROHIBITED_TERMS, parseProhibitedTerms, prohibitedTermsCheck, requiredFieldsCheck } from '../../functions/shared/documents/checks.js';
import { documentTextOf, type DocumentText } from '../../functions/shared/documents/document-text.js';
import { readDocument } from '../../functions/shared/documents/processing-steps.js';
import { pollUntil } from '../support/poll.js';
import {
  CLEAN_CONTRACT_PRINTED,
  CLEAN_NDA_PRINTED,
  CONTRACT_TYPES,
  FLAGGED_CONTRACT_PRINTED,
  INVOICE_PRINTED,
  RECEIPT_PRINTED,
  testDocuments,
  type TestDocument,
  type TestDocuments,
} from '../support/test-documents.js';

/**
 * The document set (test/support/test-documents.ts) read by the local stack's Textract, which is
 * tesseract on the rendered pixels, then classified and checked by the same pure functions the
 * document-processing workflow runs: what was printed on each page must come back out. The
 * 30-page contract is read once, in document-set-pipeline.test.ts, where its OCR output is
 * weighed in S3 against the state limit.
 */
const config = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' };
const textract = new TextractClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const bucket = `document-set-${randomUUID().slice(0, 8)}`;
const terms = parseProhibitedTerms(DEFAULT_PROHIBITED_TERMS);

let documents: TestDocuments;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  documents = await testDocuments();
});

const upload = async (document: TestDocument) => {
  const key = `${randomUUID()}/${document.filename}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: document.bytes, ContentType: document.contentType }));
  return { Bucket: bucket, Name: key };
};

/** An asynchronous text detection job to its end, with every page of its results (NextToken followed). */
const detectAsync = async (document: TestDocument) => {
  const { JobId } = await textract.send(new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: await upload(document) } }));
  const done = await pollUntil(`text detection of ${document.name}`, () => textract.send(new GetDocumentTextDetectionCommand({ JobId, MaxResults: 1 })),
    (response) => response.JobStatus !== 'IN_PROGRESS', 85_000, 500);
  const blocks: Block[] = [];
  let nextToken: string | undefined;
  if (done.JobStatus === 'SUCCEEDED') {
    do {
      const page = await textract.send(new GetDocumentTextDetectionCommand({ JobId, NextToken: nextToken }));
      blocks.push(...page.Blocks ?? []);
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return { status: done.JobStatus, statusMessage: done.StatusMessage, blocks };
};

const detectImage = async (document: TestDocument): Promise<Block[]> =>
  (await textract.send(new DetectDocumentTextCommand({ Document: { S3Object: await upload(document) } }))).Blocks ?? [];

/** What the workflow concludes from the text: class (and a contract's type), fields and both checks. */
const verdict = (text: DocumentText) => {
  const reading = readDocument(text);
  return { ...reading, checks: [requiredFieldsCheck(reading.class, reading.fields, reading.contractType), prohibitedTermsCheck(text, terms)] };
};

describe('the document set read by OCR', () => {
  it('reads the scanned invoice as an INVOICE with its number, date and total, both checks passed', async () => {
    const text = documentTextOf(await detectImage(documents.invoice));

    const result = verdict(text);

    expect(result).toMatchObject({ class: 'INVOICE', fields: INVOICE_PRINTED, checks: [{ passed: true }, { passed: true }] });
    expect(result.confidence).toBeGreaterThan(0.7);
  });

  it('reads the receipt as a RECEIPT with merchant, date and total', async () => {
    const text = documentTextOf(await detectImage(documents.receipt));

    const result = verdict(text);

    expect(result).toMatchObject({ class: 'RECEIPT', fields: RECEIPT_PRINTED, checks: [{ passed: true }, { passed: true }] });
    expect(result.confidence).toBeGreaterThan(0.7);
  });

  it('reads the contract with a prohibited clause as a complete CONTRACT and flags the clause with its page', async () => {
    const { status, blocks } = await detectAsync(documents.flaggedContract);

    const result = verdict(documentTextOf(blocks));

    expect(status).toBe('SUCCEEDED');
    const { prohibitedTerm, ...fields } = FLAGGED_CONTRACT_PRINTED;
    expect(result).toMatchObject({
      class: 'CONTRACT',
      contractType: CONTRACT_TYPES.flaggedContract,
      fields,
      checks: [{ name: 'required-fields', passed: true }, { name: 'prohibited-terms', passed: false, detail: `found "${prohibitedTerm}" on page 1` }],
    });
  });

  it('reads the clean contract as a CONTRACT with parties, term and signature, nothing prohibited', async () => {
    const { status, blocks } = await detectAsync(documents.cleanContract);

    const result = verdict(documentTextOf(blocks));

    expect(status).toBe('SUCCEEDED');
    expect(result).toMatchObject({ class: 'CONTRACT', contractType: CONTRACT_TYPES.cleanContract, fields: CLEAN_CONTRACT_PRINTED, checks: [{ passed: true }, { passed: true }] });
    expect(result.confidence).toBeGreaterThan(0.7);
  });

  it('reads the clean NDA as an NDA with parties, term and the confidentiality obligation, nothing prohibited', async () => {
    const { status, blocks } = await detectAsync(documents.cleanNda);

    const result = verdict(documentTextOf(blocks));

    expect(status).toBe('SUCCEEDED');
    expect(result).toMatchObject({
      class: 'CONTRACT', contractType: CONTRACT_TYPES.cleanNda, fields: { ...CLEAN_NDA_PRINTED, confidentiality: expect.stringContaining('confidential') }, checks: [{ passed: true }, { passed: true }],
    });
  });

  it('finds no line of text on the scanned blank page: OTHER with no confidence', async () => {
    const blocks = await detectImage(documents.blankPage);

    const text = documentTextOf(blocks);

    expect(blocks.filter((block) => block.BlockType === 'PAGE')).toHaveLength(1);
    expect(text.lines).toEqual([]);
    expect(verdict(text)).toMatchObject({ class: 'OTHER', confidence: 0, fields: {} });
  });

  it('fails the job on the corrupt PDF, whose signature is right but whose body is garbage', async () => {
    expect(documents.corruptPdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const { status, statusMessage } = await detectAsync(documents.corruptPdf);

    expect(status).toBe('FAILED');
    expect(statusMessage).toBe('Request has unsupported document format');
  });

  it('refuses the text file declared as a PDF, as a job and as an image', async () => {
    const job = await detectAsync(documents.textAsPdf);
    const image = detectImage(documents.textAsPdf);

    expect(job).toMatchObject({ status: 'FAILED', statusMessage: 'Request has unsupported document format' });
    await expect(image).rejects.toBeInstanceOf(UnsupportedDocumentException);
  });
});
