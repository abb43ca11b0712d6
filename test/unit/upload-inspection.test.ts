import { contentTypeOfBytes, inspectUpload, inspectUploadedObject, type ArrivedObject, type UploadReader } from '../../functions/shared/documents/file-signature.js';
import { pdfPageCount } from '../../functions/shared/documents/pdf-pages.js';
import { s3UploadReader, totalSizeOfContentRange } from '../../functions/shared/documents/s3-document-artefacts.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { blankPdf } from '../support/blank-pdf.js';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
const TIFF_LE = Buffer.from('II*\0\x08\0\0\0', 'latin1');
const TIFF_BE = Buffer.from('MM\0*\0\0\0\x08', 'latin1');

describe('contentTypeOfBytes', () => {
  it.each([
    ['a PDF', PDF, 'application/pdf'],
    ['a PNG', PNG, 'image/png'],
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a little-endian TIFF', TIFF_LE, 'image/tiff'],
    ['a big-endian TIFF', TIFF_BE, 'image/tiff'],
  ])('knows %s by its first bytes', (_name, bytes, expected) => {
    expect(contentTypeOfBytes(bytes)).toBe(expected);
  });

  it.each([
    ['text', Buffer.from('Meeting notes: call the supplier')],
    ['nothing', Buffer.alloc(0)],
    ['a PNG signature cut short', PNG.subarray(0, 4)],
    ['a ZIP (a .docx)', Buffer.from('PK\x03\x04\x14\0\x06\0', 'latin1')],
  ])('knows no type for %s', (_name, bytes) => {
    expect(contentTypeOfBytes(bytes)).toBeUndefined();
  });
});

const arrived = (head: Buffer, size = head.length) => ({ head, size });
const declared = (contentType: string, size: number) => ({ contentType, size });

describe('inspectUpload', () => {
  it('accepts bytes that are what was declared, and sends a PDF to document text detection', () => {
    expect(inspectUpload(declared('application/pdf', 48_213), arrived(PDF, 48_213))).toEqual({ matches: true, textDetection: 'DOCUMENT', reason: '', pageCount: 0 });
    expect(inspectUpload(declared('image/jpeg', 8), arrived(JPEG))).toEqual({ matches: true, textDetection: 'IMAGE', reason: '', pageCount: 1 });
  });

  it('refuses a text file declared as a PDF, saying what it claimed and what it is', () => {
    const notes = Buffer.from('Meeting notes');
    expect(inspectUpload(declared('application/pdf', notes.length), arrived(notes))).toEqual({
      matches: false,
      textDetection: 'DOCUMENT',
      reason: 'The file was declared as a PDF (application/pdf), but its content is none of PDF, PNG, JPEG or TIFF.',
      pageCount: 0,
    });
  });

  it('refuses a real image of another kind than declared', () => {
    expect(inspectUpload(declared('image/png', 8), arrived(JPEG)).reason).toBe('The file was declared as a PNG image (image/png), but its content is a JPEG image.');
  });

  it('refuses an empty file, naming the size it was declared with', () => {
    expect(inspectUpload(declared('image/tiff', 2048), arrived(Buffer.alloc(0))).reason)
      .toBe('The file was declared as 2048 bytes, but 0 bytes arrived. The file was declared as a TIFF image (image/tiff), but its content is empty.');
  });

  it.each([
    ['a byte fewer', 48_212],
    ['a byte more', 48_214],
  ])('refuses a file of the declared type with %s than declared, naming both sizes', (_name, size) => {
    expect(inspectUpload(declared('application/pdf', 48_213), arrived(PDF, size))).toEqual({
      matches: false,
      textDetection: 'DOCUMENT',
      reason: `The file was declared as 48213 bytes, but ${size} bytes arrived.`,
      pageCount: 0,
    });
  });

  it('never takes a file over 10 MB, whatever was declared', () => {
    expect(inspectUpload(declared('image/png', 10_485_760), arrived(PNG, 10_485_760)).matches).toBe(true);
    expect(inspectUpload(declared('image/png', 10_485_761), arrived(PNG, 10_485_761))).toEqual({
      matches: false,
      textDetection: 'IMAGE',
      reason: 'The file is 10485761 bytes, over the 10485760 bytes (10 MB) an upload may have; 10485761 bytes were declared.',
      pageCount: 0,
    });
  });

  it('names every way the file differs from its declaration', () => {
    expect(inspectUpload(declared('image/png', 100), arrived(JPEG, 5000)).reason)
      .toBe('The file was declared as 100 bytes, but 5000 bytes arrived. The file was declared as a PNG image (image/png), but its content is a JPEG image.');
  });
});

/** An upload as the reader finds it in the bucket; `reads` records which calls were made with what. */
const readerOf = (bytes: Buffer): UploadReader & { reads: [string, unknown][] } => {
  const reads: [string, unknown][] = [];
  return {
    reads,
    head: async (object) => { reads.push(['head', object]); return { head: bytes.subarray(0, 8), size: bytes.length } satisfies ArrivedObject; },
    bytes: async (object) => { reads.push(['bytes', object]); return bytes; },
  };
};

describe('inspectUploadedObject', () => {
  it('reads the object the workflow names and compares it with the declared type and size', async () => {
    const png = Buffer.concat([PNG, Buffer.alloc(2040)]);
    const reader = readerOf(png);
    const step = inspectUploadedObject(reader);

    const inspection = await step({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'image/png', declaredSize: 2048 });
    const shorter = await step({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'image/png', declaredSize: 4096 });

    expect(reader.reads).toEqual([['head', { bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1' }], ['head', { bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1' }]]);
    expect(inspection).toEqual({ matches: true, textDetection: 'IMAGE', reason: '', pageCount: 1 });
    expect(shorter).toMatchObject({ matches: false, reason: 'The file was declared as 4096 bytes, but 2048 bytes arrived.', pageCount: 0 });
  });

  it("counts a PDF's pages from the whole file, before any text detection", async () => {
    const pdf = blankPdf(400);
    const reader = readerOf(pdf);

    const inspection = await inspectUploadedObject(reader)({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'application/pdf', declaredSize: pdf.length });

    expect(inspection).toEqual({ matches: true, textDetection: 'DOCUMENT', reason: '', pageCount: 400 });
    expect(reader.reads.map(([call]) => call)).toEqual(['head', 'bytes']);
  });

  it('reads no more than the head of a PDF that is not what was declared', async () => {
    const reader = readerOf(Buffer.from('Meeting notes: call the supplier'));

    const inspection = await inspectUploadedObject(reader)({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'application/pdf', declaredSize: 32 });

    expect(inspection).toMatchObject({ matches: false, pageCount: 0 });
    expect(reader.reads.map(([call]) => call)).toEqual(['head']);
  });

  it('refuses a PDF whose pages cannot be counted as unreadable', async () => {
    const noPageTree = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

    const inspection = await inspectUploadedObject(readerOf(noPageTree))({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'application/pdf', declaredSize: noPageTree.length });

    expect(inspection).toEqual({ matches: false, textDetection: 'DOCUMENT', reason: 'The file could not be read: it is damaged or truncated.', pageCount: 0 });
  });

  it('fails, rather than passes, when the workflow brings no declared size', async () => {
    const step = inspectUploadedObject(readerOf(PNG));

    await expect(step({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'image/png', declaredSize: '2048' as unknown as number })).rejects.toThrow(/declaredSize/);
  });
});

describe('pdfPageCount', () => {
  it.each([1, 3, 400])('counts the %i pages of a PDF whose objects are in plain text', (pages) => {
    expect(pdfPageCount(blankPdf(pages))).toBe(pages);
  });

  it('counts the pages of a PDF 1.5 whose page tree is in a compressed object stream', () => {
    expect(pdfPageCount(blankPdf(7, { objectStreams: true }))).toBe(7);
  });

  it('takes the larger of what the page tree claims and the pages there are, so a file cannot hide pages', () => {
    expect(pdfPageCount(blankPdf(5, { claimedCount: 1 }))).toBe(5);
    expect(pdfPageCount(blankPdf(2, { claimedCount: 900 }))).toBe(900);
  });

  it('counts nothing in a PDF without a page tree, or whose object stream does not inflate', () => {
    const pdf = blankPdf(3, { objectStreams: true });
    const broken = Buffer.from(pdf.toString('latin1').replace(/stream\n[\s\S]*?\nendstream/, (stream) => `stream\n${'x'.repeat(stream.length - 17)}\nendstream`), 'latin1');

    expect(pdfPageCount(Buffer.from('%PDF-1.7\n%%EOF\n'))).toBeUndefined();
    expect(pdfPageCount(broken)).toBeUndefined();
  });
});

describe('s3UploadReader', () => {
  it('reads the version the workflow names, for the head and for the whole file', async () => {
    const sent: Record<string, unknown>[] = [];
    const pdf = blankPdf(2);
    const s3 = {
      send: async (command: { input: Record<string, unknown> }) => {
        sent.push(command.input);
        const bytes = command.input.Range ? pdf.subarray(0, 8) : pdf;
        return { ContentRange: command.input.Range ? `bytes 0-7/${pdf.length}` : undefined, ContentLength: bytes.length, Body: { transformToByteArray: async () => bytes } };
      },
    } as unknown as S3Client;

    const inspection = await inspectUploadedObject(s3UploadReader(s3, 8))({ bucket: 'documents', key: 'uploads/doc_1', versionId: 'v1', declaredContentType: 'application/pdf', declaredSize: pdf.length });

    expect(inspection).toEqual({ matches: true, textDetection: 'DOCUMENT', reason: '', pageCount: 2 });
    expect(sent).toEqual([
      { Bucket: 'documents', Key: 'uploads/doc_1', VersionId: 'v1', Range: 'bytes=0-7' },
      { Bucket: 'documents', Key: 'uploads/doc_1', VersionId: 'v1' },
    ]);
  });
});

describe('totalSizeOfContentRange', () => {
  it('reads the whole size from a ranged answer', () => {
    expect(totalSizeOfContentRange('bytes 0-7/48213')).toBe(48_213);
    expect(totalSizeOfContentRange('bytes 0-2/3')).toBe(3);
  });

  it('knows no size without one', () => {
    expect(totalSizeOfContentRange(undefined)).toBeUndefined();
    expect(totalSizeOfContentRange('bytes 0-7/*')).toBeUndefined();
  });
});
