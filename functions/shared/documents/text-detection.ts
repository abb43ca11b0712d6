import { TextractUnavailableError, UnreadableDocumentError } from '../errors.js';
import type { DocumentArtefacts } from './document-artefacts.js';
import { documentTextOf, type TextBlock } from './document-text.js';

/** The part of Textract the workflow's Lambdas call (the polling is the state machine's). */
export interface TextDetection {
  /** DetectDocumentText on one version of an object: one page's blocks. */
  detectImage(object: { bucket: string; key: string; versionId: string }): Promise<TextBlock[]>;
  /** One page of GetDocumentTextDetection results. */
  results(jobId: string, nextToken?: string): Promise<{ status: string; blocks: TextBlock[]; nextToken?: string; statusMessage?: string }>;
}

/** What the state carries of the text: which pages there are and how much was read, never the text. */
export interface DetectedText {
  /** Page numbers, 1..n: what the Map over pages iterates. */
  pages: number[];
  pageCount: number;
  /** LINE blocks with text, over all pages: 0 means nothing legible (a blank page). */
  lineCount: number;
}

/** Blocks by page, every page from 1 to the last PAGE block (a page without blocks stays, empty). */
export const blocksByPage = (blocks: TextBlock[]): Map<number, TextBlock[]> => {
  // A loop, not Math.max(...blocks): spreading a long document's blocks as arguments overflows the stack.
  let pageCount = 1;
  for (const block of blocks) pageCount = Math.max(pageCount, block.Page ?? 1);
  const pages = new Map<number, TextBlock[]>(Array.from({ length: pageCount }, (_, index) => [index + 1, []]));
  for (const block of blocks) pages.get(block.Page ?? 1)!.push(block);
  return pages;
};

const store = async (artefacts: DocumentArtefacts, documentId: string, blocks: TextBlock[]): Promise<DetectedText> => {
  const pages = blocksByPage(blocks);
  // One page at a time: a 3,000-page document must not open 3,000 uploads at once.
  for (const [page, pageBlocks] of pages) await artefacts.putPageBlocks(documentId, page, pageBlocks);
  return { pages: [...pages.keys()], pageCount: pages.size, lineCount: documentTextOf(blocks).lines.length };
};

/** An image's text: one synchronous call, its blocks to S3. */
export const detectImageText = (textract: TextDetection, artefacts: DocumentArtefacts) =>
  async (input: { documentId: string; bucket: string; key: string; versionId: string }): Promise<DetectedText> =>
    store(artefacts, input.documentId, await textract.detectImage({ bucket: input.bucket, key: input.key, versionId: input.versionId }));

/**
 * A finished asynchronous job's blocks, every page of results (NextToken) to S3. The workflow
 * polled until the job ended; a job that is not SUCCEEDED (or PARTIAL_SUCCESS) here is a bug of
 * the caller, and a FAILED one an unreadable file.
 */
export const collectTextDetection = (textract: TextDetection, artefacts: DocumentArtefacts) =>
  async (input: { documentId: string; jobId: string }): Promise<DetectedText> => {
    const blocks: TextBlock[] = [];
    let nextToken: string | undefined;
    do {
      const answer = await textract.results(input.jobId, nextToken);
      if (answer.status === 'FAILED') throw new UnreadableDocumentError(answer.statusMessage ?? 'text detection failed');
      if (answer.status !== 'SUCCEEDED' && answer.status !== 'PARTIAL_SUCCESS') throw new TextractUnavailableError(`text detection job ${input.jobId} is ${answer.status}`);
      blocks.push(...answer.blocks);
      nextToken = answer.nextToken;
    } while (nextToken);
    return store(artefacts, input.documentId, blocks);
  };
