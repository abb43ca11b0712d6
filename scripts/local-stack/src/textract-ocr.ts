import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Amazon Textract's text detection, answered by a real OCR engine: Debian's tesseract-ocr reads
 * the pixels, poppler-utils' pdftoppm turns PDF pages into pixels first. Moto's Textract returns
 * no text at all, so without this every document would read as blank.
 *
 * Answers the JSON protocol (`X-Amz-Target: Textract.<Operation>`) for DetectDocumentText,
 * StartDocumentTextDetection and GetDocumentTextDetection, with Textract-shaped PAGE, LINE and
 * WORD blocks. Errors are Textract's own names and messages.
 */

const run = promisify(execFile);

export interface BoundingBox { Width: number; Height: number; Left: number; Top: number }
export interface Block {
  BlockType: 'PAGE' | 'LINE' | 'WORD';
  Id: string;
  Page: number;
  Confidence?: number;
  Text?: string;
  TextType?: 'PRINTED';
  Geometry: { BoundingBox: BoundingBox; Polygon: { X: number; Y: number }[] };
  Relationships?: { Type: 'CHILD'; Ids: string[] }[];
}

/** One row of tesseract's TSV output (levels: 1 page, 2 block, 3 paragraph, 4 line, 5 word). */
interface TsvRow {
  level: number;
  page: number;
  block: number;
  paragraph: number;
  line: number;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
  text: string;
}

const TSV_COLUMNS = ['level', 'page_num', 'block_num', 'par_num', 'line_num', 'word_num', 'left', 'top', 'width', 'height', 'conf', 'text'];

const parseTsv = (tsv: string): TsvRow[] => {
  const [header, ...lines] = tsv.split('\n');
  if (header?.trim().split('\t').join(',') !== TSV_COLUMNS.join(',')) throw new Error(`not tesseract TSV output (header: ${header})`);
  return lines.filter((line) => line.trim() !== '').map((line) => {
    const cells = line.split('\t');
    const number = (index: number) => Number(cells[index]);
    return {
      level: number(0), page: number(1), block: number(2), paragraph: number(3), line: number(4),
      left: number(6), top: number(7), width: number(8), height: number(9), confidence: number(10),
      text: cells.slice(11).join('\t'),
    };
  });
};

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** Textract's geometry: ratios of the page's width and height, polygon clockwise from the top left. */
const geometry = (row: Pick<TsvRow, 'left' | 'top' | 'width' | 'height'>, page: { width: number; height: number }): Block['Geometry'] => {
  const left = round(row.left / page.width);
  const top = round(row.top / page.height);
  const right = round((row.left + row.width) / page.width);
  const bottom = round((row.top + row.height) / page.height);
  return {
    BoundingBox: { Width: round(right - left), Height: round(bottom - top), Left: left, Top: top },
    Polygon: [{ X: left, Y: top }, { X: right, Y: top }, { X: right, Y: bottom }, { X: left, Y: bottom }],
  };
};

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Tesseract's TSV for one image (one or more pages, e.g. a multi-page TIFF) as Textract blocks:
 * per page a PAGE whose children are its LINEs, each LINE's children its WORDs. Pages are
 * numbered from `firstPage`. Rows tesseract found no text in (empty words, lines without words)
 * are left out, as Textract leaves them out.
 */
export const blocksFromTesseractTsv = (tsv: string, firstPage = 1, newId: () => string = randomUUID): Block[] => {
  const rows = parseTsv(tsv);
  const blocks: Block[] = [];
  for (const pageRow of rows.filter((row) => row.level === 1)) {
    const pageNumber = firstPage + pageRow.page - 1;
    const size = { width: pageRow.width, height: pageRow.height };
    const page: Block = { BlockType: 'PAGE', Id: newId(), Page: pageNumber, Geometry: geometry(pageRow, size) };
    const lines: Block[] = [];
    const words: Block[] = [];
    for (const lineRow of rows.filter((row) => row.level === 4 && row.page === pageRow.page)) {
      const wordRows = rows.filter((row) => row.level === 5 && row.page === lineRow.page && row.block === lineRow.block
        && row.paragraph === lineRow.paragraph && row.line === lineRow.line && row.text.trim() !== '');
      if (wordRows.length === 0) continue;
      const lineWords: Block[] = wordRows.map((row) => ({
        BlockType: 'WORD', Id: newId(), Page: pageNumber, Confidence: round(row.confidence), Text: row.text.trim(), TextType: 'PRINTED', Geometry: geometry(row, size),
      }));
      lines.push({
        BlockType: 'LINE',
        Id: newId(),
        Page: pageNumber,
        Confidence: round(mean(wordRows.map((row) => row.confidence))),
        Text: lineWords.map((word) => word.Text).join(' '),
        Geometry: geometry(lineRow, size),
        Relationships: [{ Type: 'CHILD', Ids: lineWords.map((word) => word.Id) }],
      });
      words.push(...lineWords);
    }
    if (lines.length > 0) page.Relationships = [{ Type: 'CHILD', Ids: lines.map((line) => line.Id) }];
    // Textract's order: the page, its lines, then its words.
    blocks.push(page, ...lines, ...words);
  }
  return blocks;
};

/** An error as Textract's JSON protocol answers it: the name is the `__type` clients turn into an exception class. */
export class TextractError extends Error {
  constructor(override readonly name: string, message: string, readonly statusCode = 400) {
    super(message);
  }
}

const UNSUPPORTED = () => new TextractError('UnsupportedDocumentException', 'Request has unsupported document format');
const INVALID_PARAMETERS = () => new TextractError('InvalidParameterException', 'Request has invalid parameters');
const INVALID_S3_OBJECT = () => new TextractError('InvalidS3ObjectException', 'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
const TOO_LARGE = () => new TextractError('DocumentTooLargeException', 'S3 object size is more than the maximum limit');

type Format = 'pdf' | 'png' | 'jpeg' | 'tiff';

/** What the bytes are, by their signature; never what a file name or content type claims. */
export const documentFormat = (bytes: Buffer): Format | undefined => {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const tiff = bytes.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\0' || tiff === 'MM\0*') return 'tiff';
  return undefined;
};

// 200 dpi: Textract's own advice for scans (at least 150), and small print still reads.
const PDF_RENDER_DPI = 200;
// Synchronous limits on AWS: 5 MB as bytes, 10 MB from S3; 500 MB for an asynchronous job.
const SYNC_BYTES_LIMIT = 5 * 1024 * 1024;
const SYNC_S3_LIMIT = 10 * 1024 * 1024;
const ASYNC_LIMIT = 500 * 1024 * 1024;
const MAX_RESULTS = 1000;
// Textract's own quota for an asynchronous job's PDF; the limit a caller meets on AWS.
const DEFAULT_MAX_PAGES = 3000;
// OCR of a 30-page PDF took 26 s on a 2-core machine at load 5; a job past this is stopped, not left burning the cores.
const DEFAULT_TIMEOUT_SECONDS = 120;

/** At most `limit` OCR processes at once, across calls and pages: other work on the machine (the emulator, tests) goes on. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(limit: number) { this.free = limit; }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((go) => this.waiting.push(go));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export interface S3ObjectRef { Bucket?: string; Name?: string; Version?: string }

export interface TextractOcrOptions {
  /** The object's bytes, or undefined when there is no such object. */
  readObject(object: { bucket: string; key: string; version?: string }): Promise<Buffer | undefined>;
  log(line: string): void;
  /** OCR processes at once (default 2). */
  concurrency?: number;
  /** A PDF with more pages fails (its job FAILED) before any page is rendered (default 3,000, Textract's quota). */
  maxPages?: number;
  /** How long one call or job may run, rendering and OCR included, before it is stopped and fails (default 120 s). */
  timeoutSeconds?: number;
}

interface Job {
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  pages: number;
  blocks: Block[];
  statusMessage?: string;
}

export class TextractOcr {
  private readonly jobs = new Map<string, Job>();
  private readonly slots: Slots;
  private readonly maxPages: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: TextractOcrOptions) {
    this.slots = new Slots(options.concurrency ?? 2);
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  }

  /** Whether a request is a Textract call (its JSON protocol target). */
  static targetOf(headers: Record<string, string | string[] | undefined>): string | undefined {
    const target = headers['x-amz-target'];
    return typeof target === 'string' && target.startsWith('Textract.') ? target.slice('Textract.'.length) : undefined;
  }

  /** Answers one call: the operation's output, or throws a TextractError. */
  async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (operation) {
      case 'DetectDocumentText': return this.detectDocumentText(input);
      case 'StartDocumentTextDetection': return this.startDocumentTextDetection(input);
      case 'GetDocumentTextDetection': return this.getDocumentTextDetection(input);
      default: throw new TextractError('UnknownOperationException', `Operation ${operation} is not answered by the local stack's OCR (DetectDocumentText, StartDocumentTextDetection, GetDocumentTextDetection are)`);
    }
  }

  private async detectDocumentText(input: Record<string, unknown>) {
    const document = input.Document as { Bytes?: string; S3Object?: S3ObjectRef } | undefined;
    let bytes: Buffer;
    if (typeof document?.Bytes === 'string') {
      bytes = Buffer.from(document.Bytes, 'base64');
      if (bytes.length > SYNC_BYTES_LIMIT) throw TOO_LARGE();
    } else if (document?.S3Object) {
      bytes = await this.read(document.S3Object);
      if (bytes.length > SYNC_S3_LIMIT) throw TOO_LARGE();
    } else {
      throw INVALID_PARAMETERS();
    }
    const blocks = await this.recognise(bytes, { singlePage: true });
    return { DocumentMetadata: { Pages: pageCount(blocks) }, Blocks: blocks, DetectDocumentTextModelVersion: '1.0' };
  }

  private async startDocumentTextDetection(input: Record<string, unknown>) {
    const object = (input.DocumentLocation as { S3Object?: S3ObjectRef } | undefined)?.S3Object;
    if (!object) throw INVALID_PARAMETERS();
    // AWS reads the object's metadata before it answers: a missing object fails the call, not the job.
    const bytes = await this.read(object);
    if (bytes.length > ASYNC_LIMIT) throw TOO_LARGE();
    const jobId = randomUUID().replaceAll('-', '');
    const job: Job = { status: 'IN_PROGRESS', pages: 0, blocks: [] };
    this.jobs.set(jobId, job);
    void this.recognise(bytes, { singlePage: false }).then(
      (blocks) => Object.assign(job, { status: 'SUCCEEDED', blocks, pages: pageCount(blocks) }),
      (error: Error) => {
        this.options.log(`textract job ${jobId} failed: ${error.message}`);
        Object.assign(job, { status: 'FAILED', statusMessage: error instanceof TextractError ? error.message : 'Internal server error' });
      },
    );
    return { JobId: jobId };
  }

  private getDocumentTextDetection(input: Record<string, unknown>) {
    const jobId = input.JobId;
    const job = typeof jobId === 'string' ? this.jobs.get(jobId) : undefined;
    if (!job) throw new TextractError('InvalidJobIdException', 'Request has invalid Job Id');
    const maxResults = input.MaxResults === undefined ? MAX_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1) throw INVALID_PARAMETERS();
    const common = { DocumentMetadata: { Pages: job.pages }, JobStatus: job.status, DetectDocumentTextModelVersion: '1.0' };
    if (job.status === 'IN_PROGRESS') return { ...common, Blocks: [] };
    if (job.status === 'FAILED') return { ...common, StatusMessage: job.statusMessage };
    const start = input.NextToken === undefined ? 0 : offsetOf(String(input.NextToken), String(jobId));
    const end = start + Math.min(maxResults, MAX_RESULTS);
    return {
      ...common,
      Blocks: job.blocks.slice(start, end),
      ...(end < job.blocks.length ? { NextToken: Buffer.from(`${String(jobId)}:${end}`).toString('base64url') } : {}),
    };
  }

  private async read(object: S3ObjectRef): Promise<Buffer> {
    if (!object.Bucket || !object.Name) throw INVALID_PARAMETERS();
    const bytes = await this.options.readObject({ bucket: object.Bucket, key: object.Name, ...(object.Version ? { version: object.Version } : {}) });
    if (!bytes) throw INVALID_S3_OBJECT();
    return bytes;
  }

  /** The document's pages through the OCR engine, as blocks; every tool run ends by the call's deadline. */
  private async recognise(bytes: Buffer, { singlePage }: { singlePage: boolean }): Promise<Block[]> {
    // Checked before tesseract sees it: given bytes that are no image, tesseract reads them as a list of file names.
    const format = documentFormat(bytes);
    if (!format) throw UNSUPPORTED();
    const deadline = Date.now() + this.timeoutMs;
    const run = (command: Tool, args: string[]) => this.slots.run(() => tool(command, args, deadline, this.timeoutMs));
    const directory = await mkdtemp(join(tmpdir(), 'textract-ocr-'));
    try {
      const input = join(directory, `document.${format}`);
      await writeFile(input, bytes);
      if (format !== 'pdf') return blocksFromTesseractTsv(await run('tesseract', [input, 'stdout', 'tsv']));
      // Counted before any page is rendered: a 10,000-page file is refused in a moment, not OCRed for an hour.
      const pageCount = Number(/^Pages:\s+(\d+)$/m.exec(await run('pdfinfo', [input]))?.[1]);
      if (!Number.isInteger(pageCount) || pageCount === 0) throw UNSUPPORTED();
      if (singlePage && pageCount > 1) throw UNSUPPORTED();
      if (pageCount > this.maxPages) throw new TextractError('DocumentTooLargeException', `The document has ${pageCount} pages; at most ${this.maxPages} are read`);
      // Grey PGM, not PNG: tesseract reads grey anyway, and compressing 30 PNG pages took pdftoppm
      // 8.6 s where writing PGM took 0.6 s (each page then also reads in 0.4 s instead of 1 s).
      await run('pdftoppm', ['-r', String(PDF_RENDER_DPI), '-gray', '-l', String(this.maxPages), input, join(directory, 'page')]);
      // pdftoppm pads page numbers to the width of the last one (page-01.pgm ... page-12.pgm).
      const pages = (await readdir(directory)).filter((name) => /^page-\d+\.pgm$/.test(name)).sort();
      if (pages.length === 0) throw UNSUPPORTED();
      // Pages in parallel, as many as there are slots; blocks stay in page order.
      const perPage = await Promise.all(pages.map((page, index) =>
        run('tesseract', [join(directory, page), 'stdout', 'tsv']).then((tsv) => blocksFromTesseractTsv(tsv, index + 1))));
      return perPage.flat();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
}

const pageCount = (blocks: Block[]) => blocks.filter((block) => block.BlockType === 'PAGE').length;

const offsetOf = (token: string, jobId: string): number => {
  const [tokenJob, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const value = Number(offset);
  if (tokenJob !== jobId || !Number.isInteger(value) || value < 0) throw new TextractError('InvalidParameterException', 'Request has invalid NextToken');
  return value;
};

type Tool = 'tesseract' | 'pdftoppm' | 'pdfinfo';

const timedOut = (timeoutMs: number) =>
  new TextractError('InternalServerError', `Local OCR stopped after ${timeoutMs / 1000} s (the stack's OCR timeout)`, 500);

/** One run of a tool, killed at the deadline (a run that starts after it does not start). */
const tool = async (command: Tool, args: string[], deadline: number, timeoutMs: number): Promise<string> => {
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw timedOut(timeoutMs);
  try {
    // One thread per tesseract: its OpenMP threads fight each other on a small machine (a page took
    // 2.8 s with them, 0.9 s without, on 2 cores); parallelism comes from pages side by side instead.
    const { stdout } = await run(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: remaining, killSignal: 'SIGKILL', env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${command} is not installed: apt-get install -y tesseract-ocr poppler-utils (README, Run it)`);
    if ((error as { killed?: boolean }).killed || Date.now() >= deadline) throw timedOut(timeoutMs);
    // The tool could not read the file: corrupt or truncated bytes behind a valid signature.
    throw UNSUPPORTED();
  }
};
