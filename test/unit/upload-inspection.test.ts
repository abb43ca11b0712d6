import { contentTypeOfBytes, inspectUpload, inspectUploadedObject } from '../../functions/shared/documents/file-signature.js';
import { totalSizeOfContentRange } from '../../functions/shared/documents/s3-document-artefacts.js';

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
    expect(inspectUpload(declared('application/pdf', 48_213), arrived(PDF, 48_213))).toEqual({ matches: true, textDetection: 'DOCUMENT', reason: '' });
    expect(inspectUpload(declared('image/jpeg', 8), arrived(JPEG))).toEqual({ matches: true, textDetection: 'IMAGE', reason: '' });
  });

  it('refuses a text file declared as a PDF, saying what it claimed and what it is', () => {
    const notes = Buffer.from('Meeting notes');
    expect(inspectUpload(declared('application/pdf', notes.length), arrived(notes))).toEqual({
      matches: false,
      textDetection: 'DOCUMENT',
      reason: 'The file was declared as a PDF (application/pdf), but its content is none of PDF, PNG, JPEG or TIFF.',
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
    });
  });

  it('never takes a file over 10 MB, whatever was declared', () => {
    expect(inspectUpload(declared('image/png', 10_485_760), arrived(PNG, 10_485_760)).matches).toBe(true);
    expect(inspectUpload(declared('image/png', 10_485_761), arrived(PNG, 10_485_761))).toEqual({
      matches: false,
      textDetection: 'IMAGE',
      reason: 'The file is 10485761 bytes, over the 10485760 bytes (10 MB) an upload may have; 10485761 bytes were declared.',
    });
  });

  it('names every way the file differs from its declaration', () => {
    expect(inspectUpload(declared('image/png', 100), arrived(JPEG, 5000)).reason)
      .toBe('The file was declared as 100 bytes, but 5000 bytes arrived. The file was declared as a PNG image (image/png), but its content is a JPEG image.');
  });
});

describe('inspectUploadedObject', () => {
  it('reads the object the workflow names and compares it with the declared type and size', async () => {
    const asked: unknown[] = [];
    const step = inspectUploadedObject(async (object) => {
      asked.push(object);
      return { head: PNG, size: 2048 };
    });

    const inspection = await step({ bucket: 'documents', key: 'uploads/doc_1', declaredContentType: 'image/png', declaredSize: 2048 });
    const shorter = await step({ bucket: 'documents', key: 'uploads/doc_1', declaredContentType: 'image/png', declaredSize: 4096 });

    expect(asked).toEqual([{ bucket: 'documents', key: 'uploads/doc_1' }, { bucket: 'documents', key: 'uploads/doc_1' }]);
    expect(inspection.matches).toBe(true);
    expect(shorter).toMatchObject({ matches: false, reason: 'The file was declared as 4096 bytes, but 2048 bytes arrived.' });
  });

  it('fails, rather than passes, when the workflow brings no declared size', async () => {
    const step = inspectUploadedObject(async () => ({ head: PNG, size: 2048 }));

    await expect(step({ bucket: 'documents', key: 'uploads/doc_1', declaredContentType: 'image/png', declaredSize: '2048' as unknown as number })).rejects.toThrow(/declaredSize/);
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
