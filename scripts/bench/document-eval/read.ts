import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPdf, renderPng } from '../../../test/support/render.js';
import { TextractOcr, type Block } from 'local-stack';
import type { EvalDocument } from './document.js';

/**
 * A document as the pipeline gets it: rendered by headless Chromium, then read by the local
 * stack's Textract (tesseract; pdftoppm first for a PDF), answering Textract's blocks. Both steps
 * take seconds a page, so the blocks are kept in a cache named by what made them (the HTML, the
 * output and the OCR's version): a second run scores in a second, and any change to a document
 * or to the OCR reads it again.
 */
export interface ReadDocument { document: EvalDocument; blocks: Block[]; cached: boolean }

const OCR_VERSION = 'local-textract-ocr/tesseract/1';

const keyOf = (document: EvalDocument) =>
  createHash('sha256').update(JSON.stringify([OCR_VERSION, document.output, document.html])).digest('hex').slice(0, 24);

const render = async (document: EvalDocument): Promise<Buffer> =>
  document.output.format === 'png'
    ? renderPng(document.html, { width: document.output.width, height: document.output.height })
    : renderPdf(document.html);

/** Through the local Textract as the pipeline calls it: an image synchronously, a PDF as a job polled to its end. */
const ocr = async (bytes: Buffer, format: 'png' | 'pdf'): Promise<Block[]> => {
  const textract = new TextractOcr({ readObject: async () => bytes, log: () => undefined, concurrency: 2 });
  if (format === 'png') {
    const answer = await textract.call('DetectDocumentText', { Document: { Bytes: bytes.toString('base64') } });
    return answer.Blocks as Block[];
  }
  const { JobId } = await textract.call('StartDocumentTextDetection', { DocumentLocation: { S3Object: { Bucket: 'eval', Name: 'document.pdf' } } });
  const blocks: Block[] = [];
  let nextToken: string | undefined;
  for (;;) {
    const answer = await textract.call('GetDocumentTextDetection', { JobId, ...(nextToken ? { NextToken: nextToken } : {}) });
    if (answer.JobStatus === 'IN_PROGRESS') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (answer.JobStatus !== 'SUCCEEDED') throw new Error(`text detection ${String(answer.JobStatus)}: ${String(answer.StatusMessage)}`);
    blocks.push(...answer.Blocks as Block[]);
    nextToken = answer.NextToken as string | undefined;
    if (!nextToken) return blocks;
  }
};

export const readDocuments = async (documents: EvalDocument[], cacheDirectory: string, log: (line: string) => void): Promise<ReadDocument[]> => {
  mkdirSync(cacheDirectory, { recursive: true });
  const read: ReadDocument[] = [];
  for (const document of documents) {
    const path = join(cacheDirectory, `${document.id}-${keyOf(document)}.json`);
    if (existsSync(path)) {
      read.push({ document, blocks: JSON.parse(readFileSync(path, 'utf8')) as Block[], cached: true });
      continue;
    }
    const started = performance.now();
    const blocks = await ocr(await render(document), document.output.format);
    writeFileSync(path, JSON.stringify(blocks));
    log(`${document.id}: rendered and read in ${((performance.now() - started) / 1000).toFixed(1)} s (${blocks.filter((block) => block.BlockType === 'PAGE').length} page(s))`);
    read.push({ document, blocks, cached: false });
  }
  return read;
};
