import { contentTypeOfBytes, inspectUpload, inspectUploadedObject } from '../../functions/shared/documents/file-signature.js';

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

describe('inspectUpload', () => {
  it('accepts bytes that are what was declared, and sends a PDF to document text detection', () => {
    expect(inspectUpload('application/pdf', PDF)).toEqual({ matches: true, textDetection: 'DOCUMENT', reason: '' });
    expect(inspectUpload('image/jpeg', JPEG)).toEqual({ matches: true, textDetection: 'IMAGE', reason: '' });
  });

  it('refuses a text file declared as a PDF, saying what it claimed and what it is', () => {
    expect(inspectUpload('application/pdf', Buffer.from('Meeting notes'))).toEqual({
      matches: false,
      textDetection: 'DOCUMENT',
      reason: 'The file was declared as a PDF (application/pdf), but its content is none of PDF, PNG, JPEG or TIFF.',
    });
  });

  it('refuses a real image of another kind than declared', () => {
    expect(inspectUpload('image/png', JPEG).reason).toBe('The file was declared as a PNG image (image/png), but its content is a JPEG image.');
  });

  it('refuses an empty file', () => {
    expect(inspectUpload('image/tiff', Buffer.alloc(0)).reason).toBe('The file was declared as a TIFF image (image/tiff), but its content is empty.');
  });

  it('reads the head of the object the workflow names', async () => {
    const asked: unknown[] = [];
    const step = inspectUploadedObject(async (object) => {
      asked.push(object);
      return PNG;
    });

    const inspection = await step({ bucket: 'documents', key: 'uploads/doc_1', declaredContentType: 'image/png' });

    expect(asked).toEqual([{ bucket: 'documents', key: 'uploads/doc_1' }]);
    expect(inspection.matches).toBe(true);
  });
});
