import { TextractUnavailableError, UnreadableDocumentError } from '../../functions/shared/errors.js';
import { blocksByPage, collectTextDetection, detectImageText, type TextDetection } from '../../functions/shared/documents/text-detection.js';
import { textractTextDetection } from '../../functions/shared/documents/textract-text-detection.js';
import type { TextractClient } from '@aws-sdk/client-textract';
import { ARTEFACT_KEYS } from '../../functions/shared/documents/document-artefacts.js';
import { blocksOf, memoryArtefacts } from './support/document-artefacts.js';

const DOCUMENT_ID = `doc_${'b'.repeat(32)}`;

/** A Textract whose finished job answers its blocks `pageSize` at a time, with NextTokens. */
const fakeTextract = (blocks: ReturnType<typeof blocksOf>, options: { pageSize?: number; status?: string } = {}) => {
  const calls: { jobId: string; nextToken?: string }[] = [];
  const textract: TextDetection = {
    detectImage: async () => blocks.map((block) => ({ ...block, Page: undefined })),
    async results(jobId, nextToken) {
      calls.push({ jobId, ...(nextToken ? { nextToken } : {}) });
      const start = nextToken ? Number(nextToken) : 0;
      const end = start + (options.pageSize ?? 1000);
      return {
        status: options.status ?? 'SUCCEEDED',
        blocks: blocks.slice(start, end),
        ...(end < blocks.length ? { nextToken: String(end) } : {}),
        ...(options.status === 'FAILED' ? { statusMessage: 'Request has unsupported document format' } : {}),
      };
    },
  };
  return { textract, calls };
};

describe('blocksByPage', () => {
  it('groups blocks by page, keeping a page with no blocks', () => {
    const pages = blocksByPage([{ BlockType: 'PAGE', Page: 1 }, { BlockType: 'LINE', Page: 3, Text: 'end' }]);

    expect([...pages.keys()]).toEqual([1, 2, 3]);
    expect(pages.get(2)).toEqual([]);
    expect(pages.get(3)).toEqual([{ BlockType: 'LINE', Page: 3, Text: 'end' }]);
  });

  it('puts the blocks of a synchronous answer (no Page) on page 1', () => {
    expect([...blocksByPage([{ BlockType: 'PAGE' }, { BlockType: 'LINE', Text: 'x' }]).entries()]).toEqual([[1, [{ BlockType: 'PAGE' }, { BlockType: 'LINE', Text: 'x' }]]]);
  });

  it('groups the 200,000 blocks of a long document without running out of stack', () => {
    const blocks = Array.from({ length: 200_000 }, (_, index) => ({ BlockType: 'WORD', Page: Math.floor(index / 500) + 1, Text: 'w' }));

    const pages = blocksByPage(blocks);

    expect(pages.size).toBe(400);
    expect([...pages.values()].every((pageBlocks) => pageBlocks.length === 500)).toBe(true);
  });
});

describe('detectImageText', () => {
  it('writes the page blocks to S3 and answers only pages and counts', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const { textract } = fakeTextract(blocksOf([['Invoice', 'Total 12.00']]));

    const detected = await detectImageText(textract, artefacts)({ documentId: DOCUMENT_ID, bucket: 'b', key: `uploads/${DOCUMENT_ID}`, versionId: 'v1' });

    expect(detected).toEqual({ pages: [1], pageCount: 1, lineCount: 2 });
    expect([...objects.keys()]).toEqual([ARTEFACT_KEYS.pageBlocks(DOCUMENT_ID, 1)]);
    expect((objects.get(ARTEFACT_KEYS.pageBlocks(DOCUMENT_ID, 1)) as unknown[]).length).toBe(1 + 2 + 3);
  });

  it('counts no lines on a blank page', async () => {
    const { artefacts } = memoryArtefacts();
    const { textract } = fakeTextract(blocksOf([[]]));

    expect(await detectImageText(textract, artefacts)({ documentId: DOCUMENT_ID, bucket: 'b', key: 'k', versionId: 'v1' })).toEqual({ pages: [1], pageCount: 1, lineCount: 0 });
  });
});

describe('collectTextDetection', () => {
  it('follows NextToken through every page of results and stores each document page apart', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const blocks = blocksOf([['Page one line'], ['Page two, first line', 'second line'], ['Page three']]);
    const { textract, calls } = fakeTextract(blocks, { pageSize: 4 });

    const detected = await collectTextDetection(textract, artefacts)({ documentId: DOCUMENT_ID, jobId: 'job-1' });

    expect(detected).toEqual({ pages: [1, 2, 3], pageCount: 3, lineCount: 4 });
    // 18 blocks, 4 at a time: five answers, each asked for with the token of the one before.
    expect(blocks).toHaveLength(18);
    expect(calls.map((call) => call.nextToken)).toEqual([undefined, '4', '8', '12', '16']);
    const stored = [1, 2, 3].map((page) => objects.get(ARTEFACT_KEYS.pageBlocks(DOCUMENT_ID, page)) as { Page: number }[]);
    expect(stored.flat()).toHaveLength(blocks.length);
    stored.forEach((pageBlocks, index) => expect(pageBlocks.every((block) => block.Page === index + 1)).toBe(true));
  });

  it('collects a 200-page job of 200,000 blocks, 1,000 per answer as Textract sends them', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const blocks = blocksOf(Array.from({ length: 200 }, (_, page) => Array.from({ length: 333 }, (_, line) => `p${page} l${line}`)));
    const { textract, calls } = fakeTextract(blocks);

    const detected = await collectTextDetection(textract, artefacts)({ documentId: DOCUMENT_ID, jobId: 'job-1' });

    expect(blocks).toHaveLength(200_000);
    expect(calls).toHaveLength(200);
    expect(detected).toEqual({ pages: Array.from({ length: 200 }, (_, index) => index + 1), pageCount: 200, lineCount: 200 * 333 });
    expect(objects.size).toBe(200);
  });

  it('reports a FAILED job as an unreadable document, with Textract\'s message', async () => {
    const { artefacts } = memoryArtefacts();
    const { textract } = fakeTextract([], { status: 'FAILED' });

    const collecting = collectTextDetection(textract, artefacts)({ documentId: DOCUMENT_ID, jobId: 'job-1' });

    await expect(collecting).rejects.toBeInstanceOf(UnreadableDocumentError);
    await expect(collecting).rejects.toThrow('Request has unsupported document format');
  });

  it('treats a job still in progress as transient, for the workflow to retry', async () => {
    const { artefacts } = memoryArtefacts();
    const { textract } = fakeTextract([], { status: 'IN_PROGRESS' });

    await expect(collectTextDetection(textract, artefacts)({ documentId: DOCUMENT_ID, jobId: 'job-1' })).rejects.toBeInstanceOf(TextractUnavailableError);
  });
});

describe('textractTextDetection', () => {
  const failingClient = (name: string) => ({ send: async () => { throw Object.assign(new Error(`${name} said no`), { name }); } }) as unknown as TextractClient;

  it.each([
    ['UnsupportedDocumentException', UnreadableDocumentError],
    ['BadDocumentException', UnreadableDocumentError],
    ['ThrottlingException', TextractUnavailableError],
    ['ProvisionedThroughputExceededException', TextractUnavailableError],
    ['InternalServerError', TextractUnavailableError],
  ])('turns Textract\'s %s into the workflow\'s typed error', async (name, type) => {
    await expect(textractTextDetection(failingClient(name)).detectImage({ bucket: 'b', key: 'k', versionId: 'v1' })).rejects.toBeInstanceOf(type);
    await expect(textractTextDetection(failingClient(name)).results('job')).rejects.toBeInstanceOf(type);
  });

  it('asks Textract for the version the workflow inspected, not whatever the key holds now', async () => {
    const sent: unknown[] = [];
    const client = { send: async (command: { input: unknown }) => { sent.push(command.input); return { Blocks: [] }; } } as unknown as TextractClient;

    await textractTextDetection(client).detectImage({ bucket: 'b', key: 'uploads/doc_1', versionId: 'v1' });

    expect(sent).toEqual([{ Document: { S3Object: { Bucket: 'b', Name: 'uploads/doc_1', Version: 'v1' } } }]);
  });

  it('passes any other error on as it is (an unexpected failure for the workflow)', async () => {
    await expect(textractTextDetection(failingClient('AccessDeniedException')).detectImage({ bucket: 'b', key: 'k', versionId: 'v1' })).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
