import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  InvalidS3ObjectException,
  StartDocumentTextDetectionCommand,
  TextractClient,
  UnsupportedDocumentException,
  type Block,
  type GetDocumentTextDetectionCommandOutput,
} from '@aws-sdk/client-textract';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { pollUntil } from '../support/poll.js';
import { pages, renderPdf, renderPng, textPage } from '../support/render.js';
import { sfn, waitForExecutionEnd } from '../support/workflow-harness.js';

/**
 * Textract through the local stack's AWS endpoint with the real SDK client, on documents this
 * test renders: the words come back from OCR of the pixels (scripts/local-stack/src/textract-ocr.ts).
 */
const config = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION ?? 'us-east-1' };
const textract = new TextractClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const bucket = `textract-ocr-${randomUUID().slice(0, 8)}`;

const put = async (key: string, body: Buffer) => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return { Bucket: bucket, Name: key };
};

const words = (blocks: Block[] | undefined) => (blocks ?? []).filter((block) => block.BlockType === 'WORD').map((block) => block.Text);
const lines = (blocks: Block[] | undefined) => (blocks ?? []).filter((block) => block.BlockType === 'LINE').map((block) => block.Text);

/** Every block of a finished job, following NextToken. */
const allResults = async (jobId: string, maxResults?: number) => {
  const responses: GetDocumentTextDetectionCommandOutput[] = [];
  let nextToken: string | undefined;
  do {
    const response = await textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: maxResults, NextToken: nextToken }));
    responses.push(response);
    nextToken = response.NextToken;
  } while (nextToken);
  return responses;
};

const finished = (jobId: string) => pollUntil(
  `text detection job ${jobId}`,
  () => textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId })),
  (response) => response.JobStatus !== 'IN_PROGRESS',
  60_000,
  250,
);

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe('DetectDocumentText', () => {
  it('reads the words of a rendered image sent as bytes, with geometry and ids linking page, lines and words', async () => {
    // Prepare
    const png = await renderPng(textPage(['Invoice number INV-7731', 'Total due 1,250.00 EUR']));

    // Act
    const response = await textract.send(new DetectDocumentTextCommand({ Document: { Bytes: png } }));

    // Assess
    expect(response.DocumentMetadata?.Pages).toBe(1);
    expect(lines(response.Blocks)).toEqual(['Invoice number INV-7731', 'Total due 1,250.00 EUR']);
    expect(words(response.Blocks)).toEqual(['Invoice', 'number', 'INV-7731', 'Total', 'due', '1,250.00', 'EUR']);
    const blocks = response.Blocks ?? [];
    const ids = new Set(blocks.map((block) => block.Id));
    const page = blocks.find((block) => block.BlockType === 'PAGE');
    expect(page?.Relationships?.[0]?.Ids?.every((id) => ids.has(id))).toBe(true);
    for (const word of blocks.filter((block) => block.BlockType === 'WORD')) {
      expect(word.Confidence).toBeGreaterThan(50);
      const box = word.Geometry?.BoundingBox;
      expect(box?.Left).toBeGreaterThanOrEqual(0);
      expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThanOrEqual(1);
      expect(word.Geometry?.Polygon).toHaveLength(4);
    }
  });

  it('reads an image from S3', async () => {
    const object = await put('receipt.png', await renderPng(textPage(['Receipt from Corner Bakery', 'Paid by card'])));

    const response = await textract.send(new DetectDocumentTextCommand({ Document: { S3Object: object } }));

    expect(lines(response.Blocks)).toEqual(['Receipt from Corner Bakery', 'Paid by card']);
  });

  it('refuses bytes that are no image with UnsupportedDocumentException', async () => {
    const attempt = textract.send(new DetectDocumentTextCommand({ Document: { Bytes: Buffer.from('just some text, not a picture') } }));

    await expect(attempt).rejects.toBeInstanceOf(UnsupportedDocumentException);
  });

  it('refuses a corrupt image behind a valid PNG signature with UnsupportedDocumentException', async () => {
    const png = await renderPng(textPage(['Truncated']));

    const attempt = textract.send(new DetectDocumentTextCommand({ Document: { Bytes: png.subarray(0, 200) } }));

    await expect(attempt).rejects.toBeInstanceOf(UnsupportedDocumentException);
  });

  it('answers InvalidS3ObjectException for an object that is not there', async () => {
    const attempt = textract.send(new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: bucket, Name: 'missing.png' } } }));

    await expect(attempt).rejects.toBeInstanceOf(InvalidS3ObjectException);
  });
});

describe('StartDocumentTextDetection and GetDocumentTextDetection', () => {
  it('reads every page of a multi-page PDF in S3, page by page, in pages of results', async () => {
    // Prepare
    const object = await put('contract.pdf', await renderPdf(pages([
      ['Services Agreement', 'Between Acme Limited and Globex Corporation'],
      ['Term: twelve months from signature'],
      ['Signed by both parties'],
    ])));

    // Act
    const { JobId } = await textract.send(new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: object } }));
    const done = await finished(JobId!);
    const paged = await allResults(JobId!, 4);

    // Assess
    expect(done.JobStatus).toBe('SUCCEEDED');
    expect(done.DocumentMetadata?.Pages).toBe(3);
    expect(paged.length).toBeGreaterThan(1);
    expect(paged.slice(0, -1).every((response) => response.Blocks?.length === 4 && response.NextToken)).toBe(true);
    const blocks = paged.flatMap((response) => response.Blocks ?? []);
    expect(blocks.map((block) => block.Id)).toEqual(done.Blocks?.map((block) => block.Id));
    const linesOnPage = (page: number) => lines(blocks.filter((block) => block.Page === page));
    expect(linesOnPage(1)).toEqual(['Services Agreement', 'Between Acme Limited and Globex Corporation']);
    expect(linesOnPage(2)).toEqual(['Term: twelve months from signature']);
    expect(linesOnPage(3)).toEqual(['Signed by both parties']);
    expect(blocks.filter((block) => block.BlockType === 'PAGE').map((block) => block.Page)).toEqual([1, 2, 3]);
  });

  it('ends the job FAILED with the reason for a file that only claims to be a PDF', async () => {
    const object = await put('not-really.pdf', Buffer.from('%PDF-1.7 but the rest is plain text, no trailer'));

    const { JobId } = await textract.send(new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: object } }));
    const done = await finished(JobId!);

    expect(done.JobStatus).toBe('FAILED');
    expect(done.StatusMessage).toBe('Request has unsupported document format');
  });

  it('refuses to start on an object that is not there', async () => {
    const attempt = textract.send(new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: { Bucket: bucket, Name: 'missing.pdf' } } }));

    await expect(attempt).rejects.toBeInstanceOf(InvalidS3ObjectException);
  });
});

describe("a state machine's aws-sdk:textract Task", () => {
  // The engine calls AWS through the stack's front, so a workflow's direct Textract integration reads by OCR too.
  const definition = {
    StartAt: 'DetectText',
    States: {
      DetectText: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:textract:detectDocumentText',
        Parameters: { Document: { S3Object: { 'Bucket.$': '$.bucket', 'Name.$': '$.key' } } },
        ResultSelector: { 'pages.$': '$.DocumentMetadata.Pages', 'blocks.$': '$.Blocks' },
        Catch: [{ ErrorEquals: ['Textract.UnsupportedDocumentException'], ResultPath: '$.error', Next: 'Unreadable' }],
        End: true,
      },
      Unreadable: { Type: 'Pass', End: true },
    },
  };
  let machineArn: string;

  beforeAll(async () => {
    const created = await sfn.send(new CreateStateMachineCommand({
      name: `textract-ocr-${randomUUID().slice(0, 8)}`,
      definition: JSON.stringify(definition),
      roleArn: 'arn:aws:iam::000000000000:role/textract-ocr-test',
    }));
    machineArn = created.stateMachineArn!;
  });

  const run = async (input: unknown) => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input) }));
    return waitForExecutionEnd(executionArn!);
  };

  it('returns the words of an image in S3', async () => {
    const object = await put('engine/memo.png', await renderPng(textPage(['Quarterly report', 'Revenue grew nicely'])));

    const execution = await run({ bucket: object.Bucket, key: object.Name });

    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '{}') as { pages: number; blocks: Block[] };
    expect(output.pages).toBe(1);
    expect(lines(output.blocks)).toEqual(['Quarterly report', 'Revenue grew nicely']);
  });

  it('reaches a Catch on Textract.UnsupportedDocumentException for a file that is no image', async () => {
    const object = await put('engine/notes.png', Buffer.from('plain text pretending to be a PNG'));

    const execution = await run({ bucket: object.Bucket, key: object.Name });

    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '{}') as { error: { Error: string; Cause: string } };
    expect(output.error.Error).toBe('Textract.UnsupportedDocumentException');
    expect(output.error.Cause).toContain('Request has unsupported document format');
  });
});
