import { blocksFromTesseractTsv, documentFormat, TextractOcr, type Block } from '../src/textract-ocr.js';

/**
 * Tesseract's TSV as Textract blocks. The fixture is tesseract 5.3's output for a rendered
 * invoice (1000×600 px): a heading, then two lines of words, plus the empty word tesseract
 * reports for a speck it could not read.
 */
const TSV = [
  'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
  '1\t1\t0\t0\t0\t0\t0\t0\t1000\t600\t-1\t',
  '2\t1\t1\t0\t0\t0\t52\t61\t224\t40\t-1\t',
  '3\t1\t1\t1\t0\t0\t52\t61\t224\t40\t-1\t',
  '4\t1\t1\t1\t1\t0\t52\t61\t224\t40\t-1\t',
  '5\t1\t1\t1\t1\t1\t52\t61\t224\t40\t95.699669\tINVOICE',
  '2\t1\t2\t0\t0\t0\t51\t156\t391\t20\t-1\t',
  '3\t1\t2\t1\t0\t0\t51\t156\t391\t20\t-1\t',
  '4\t1\t2\t1\t1\t0\t51\t156\t391\t20\t-1\t',
  '5\t1\t2\t1\t1\t1\t51\t156\t85\t20\t96.276230\tInvoice',
  '5\t1\t2\t1\t1\t2\t146\t156\t99\t20\t93.295494\tnumber:',
  '5\t1\t2\t1\t1\t3\t258\t157\t184\t19\t91.538383\tINV-2026-0042',
  '4\t1\t2\t1\t2\t0\t49\t216\t303\t24\t-1\t',
  '5\t1\t2\t1\t2\t1\t49\t216\t56\t20\t96.249863\tTotal',
  '5\t1\t2\t1\t2\t2\t116\t216\t51\t20\t96.249863\tdue:',
  '5\t1\t2\t1\t2\t3\t180\t217\t55\t19\t96.764145\tEUR',
  '5\t1\t2\t1\t2\t4\t246\t217\t106\t23\t96.906464\t1,250.00',
  '2\t1\t3\t0\t0\t0\t900\t500\t10\t10\t-1\t',
  '3\t1\t3\t1\t0\t0\t900\t500\t10\t10\t-1\t',
  '4\t1\t3\t1\t1\t0\t900\t500\t10\t10\t-1\t',
  '5\t1\t3\t1\t1\t1\t900\t500\t10\t10\t95.0\t ',
  '',
].join('\n');

const sequentialIds = () => {
  let next = 0;
  return () => `id-${++next}`;
};

const ofType = (blocks: Block[], type: Block['BlockType']) => blocks.filter((block) => block.BlockType === type);
const byId = (blocks: Block[]) => new Map(blocks.map((block) => [block.Id, block]));

describe('blocksFromTesseractTsv', () => {
  it('gives one PAGE whose children are the lines, each line the words in reading order', () => {
    // Act
    const blocks = blocksFromTesseractTsv(TSV, 1, sequentialIds());

    // Assess
    const [page] = ofType(blocks, 'PAGE');
    const lines = ofType(blocks, 'LINE');
    expect(lines.map((line) => line.Text)).toEqual(['INVOICE', 'Invoice number: INV-2026-0042', 'Total due: EUR 1,250.00']);
    expect(page?.Relationships).toEqual([{ Type: 'CHILD', Ids: lines.map((line) => line.Id) }]);
    const index = byId(blocks);
    const wordsOfSecondLine = lines[1]?.Relationships?.[0]?.Ids.map((id) => index.get(id)?.Text);
    expect(wordsOfSecondLine).toEqual(['Invoice', 'number:', 'INV-2026-0042']);
    expect(ofType(blocks, 'WORD')).toHaveLength(8);
    expect(blocks.every((block) => block.Page === 1)).toBe(true);
    expect(new Set(blocks.map((block) => block.Id)).size).toBe(blocks.length);
  });

  it('leaves out words with no text and lines that end up with no words', () => {
    const blocks = blocksFromTesseractTsv(TSV, 1, sequentialIds());

    expect(ofType(blocks, 'WORD').some((word) => (word.Text ?? '').trim() === '')).toBe(false);
    expect(ofType(blocks, 'LINE')).toHaveLength(3);
  });

  it('normalises geometry to ratios of the page, the polygon clockwise from the top left', () => {
    const blocks = blocksFromTesseractTsv(TSV, 1, sequentialIds());

    const total = ofType(blocks, 'WORD').find((word) => word.Text === 'Total');
    expect(total?.Geometry.BoundingBox).toEqual({ Left: 0.049, Top: 0.36, Width: 0.056, Height: expect.closeTo(20 / 600, 6) });
    expect(total?.Geometry.Polygon).toEqual([
      { X: 0.049, Y: 0.36 }, { X: 0.105, Y: 0.36 }, { X: 0.105, Y: expect.closeTo(236 / 600, 6) }, { X: 0.049, Y: expect.closeTo(236 / 600, 6) },
    ]);
    const [page] = ofType(blocks, 'PAGE');
    expect(page?.Geometry.BoundingBox).toEqual({ Left: 0, Top: 0, Width: 1, Height: 1 });
    for (const block of blocks) {
      for (const point of block.Geometry.Polygon) {
        expect(point.X).toBeGreaterThanOrEqual(0);
        expect(point.X).toBeLessThanOrEqual(1);
        expect(point.Y).toBeGreaterThanOrEqual(0);
        expect(point.Y).toBeLessThanOrEqual(1);
      }
    }
  });

  it("keeps each word's confidence and gives a line the mean of its words'", () => {
    const blocks = blocksFromTesseractTsv(TSV, 1, sequentialIds());

    const line = ofType(blocks, 'LINE').find((candidate) => candidate.Text?.startsWith('Invoice number'));
    expect(line?.Confidence).toBeCloseTo((96.27623 + 93.295494 + 91.538383) / 3, 4);
    expect(ofType(blocks, 'WORD').find((word) => word.Text === 'INV-2026-0042')?.Confidence).toBeCloseTo(91.538383, 5);
    expect(ofType(blocks, 'PAGE')[0]?.Confidence).toBeUndefined();
  });

  it('numbers pages from the page the image stands for, as a PDF page rendered on its own', () => {
    const blocks = blocksFromTesseractTsv(TSV, 7, sequentialIds());

    expect(new Set(blocks.map((block) => block.Page))).toEqual(new Set([7]));
  });

  it('gives a blank page a PAGE with no children', () => {
    const blank = `${TSV.split('\n')[0]}\n1\t1\t0\t0\t0\t0\t0\t0\t1000\t600\t-1\t\n`;

    const blocks = blocksFromTesseractTsv(blank, 1, sequentialIds());

    expect(blocks).toEqual([{ BlockType: 'PAGE', Id: 'id-1', Page: 1, Geometry: expect.any(Object) }]);
  });

  it('refuses text that is not tesseract TSV', () => {
    expect(() => blocksFromTesseractTsv('Image file cannot be read!')).toThrow(/not tesseract TSV/);
  });
});

describe('documentFormat', () => {
  it.each([
    ['pdf', Buffer.from('%PDF-1.7\n...')],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0])],
    ['tiff', Buffer.from('II*\0rest', 'latin1')],
    ['tiff', Buffer.from('MM\0*rest', 'latin1')],
  ])('knows %s by its signature', (format, bytes) => {
    expect(documentFormat(bytes)).toBe(format);
  });

  it('knows no format in a text file, whatever it claims to be', () => {
    expect(documentFormat(Buffer.from('This is not a PDF, just text.'))).toBeUndefined();
  });
});

/** A PDF of empty pages, with a cross-reference table poppler reads. */
const blankPdf = (pages: number): Buffer => {
  const bodies = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, index) => `${index + 3} 0 R`).join(' ')}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>')];
  let text = '%PDF-1.4\n';
  const offsets = bodies.map((body, index) => { const at = text.length; text += `${index + 1} 0 obj\n${body}\nendobj\n`; return at; });
  const xref = text.length;
  text += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  return Buffer.from(`${text}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1');
};

/** A job to its end, as the workflow polls it. */
const jobOutcome = async (ocr: TextractOcr, jobId: unknown) => {
  for (let poll = 0; poll < 200; poll += 1) {
    const answer = await ocr.call('GetDocumentTextDetection', { JobId: jobId });
    if (answer.JobStatus !== 'IN_PROGRESS') return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job never ended');
};

describe('TextractOcr limits (runs pdfinfo, pdftoppm and tesseract)', () => {
  const ocrOf = (pdf: Buffer, options: { maxPages?: number; timeoutSeconds?: number }) =>
    new TextractOcr({ readObject: async () => pdf, log: () => undefined, ...options });

  it('fails a job for a PDF over its page limit, naming the pages and the limit, without rendering a page', async () => {
    const ocr = ocrOf(blankPdf(5), { maxPages: 3 });

    const { JobId } = await ocr.call('StartDocumentTextDetection', { DocumentLocation: { S3Object: { Bucket: 'b', Name: 'k' } } });
    const outcome = await jobOutcome(ocr, JobId);

    expect(outcome).toMatchObject({ JobStatus: 'FAILED', StatusMessage: 'The document has 5 pages; at most 3 are read' });
  });

  it('reads a PDF within its page limit', async () => {
    const ocr = ocrOf(blankPdf(2), { maxPages: 3 });

    const { JobId } = await ocr.call('StartDocumentTextDetection', { DocumentLocation: { S3Object: { Bucket: 'b', Name: 'k' } } });

    expect(await jobOutcome(ocr, JobId)).toMatchObject({ JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 2 } });
  });

  it('stops a job that runs past its timeout and fails it, saying so', async () => {
    const ocr = ocrOf(blankPdf(2), { timeoutSeconds: 0.001 });

    const { JobId } = await ocr.call('StartDocumentTextDetection', { DocumentLocation: { S3Object: { Bucket: 'b', Name: 'k' } } });

    expect(await jobOutcome(ocr, JobId)).toMatchObject({ JobStatus: 'FAILED', StatusMessage: expect.stringContaining('stopped after 0.001 s') });
  });
});
