import type { SupportedContentType } from './upload-request.js';

/** The content type a file's first bytes say it is (its magic number), whatever it was called. */
export const contentTypeOfBytes = (bytes: Uint8Array): SupportedContentType | undefined => {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const tiff = head.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\0' || tiff === 'MM\0*') return 'image/tiff';
  return undefined;
};

/** How many leading bytes {@link contentTypeOfBytes} reads: all the workflow fetches of an upload to check it. */
export const SIGNATURE_BYTES = 8;

export interface UploadInspection {
  /** Whether the bytes are what the uploader declared. */
  matches: boolean;
  /** PDFs go to asynchronous text detection (many pages); images to the synchronous call. */
  textDetection: 'DOCUMENT' | 'IMAGE';
  /** Why it does not match, in words for the uploader; empty when it does. */
  reason: string;
}

const NAMES: Record<SupportedContentType, string> = {
  'application/pdf': 'a PDF',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/tiff': 'a TIFF image',
};

const nameOf = (contentType: string): string => NAMES[contentType as SupportedContentType] ?? contentType;

/** Compares what arrived with what POST /documents declared: a claim is only a claim. */
export const inspectUpload = (declaredContentType: string, head: Uint8Array): UploadInspection => {
  const actual = contentTypeOfBytes(head);
  const textDetection = declaredContentType === 'application/pdf' ? 'DOCUMENT' : 'IMAGE';
  if (actual === declaredContentType) return { matches: true, textDetection, reason: '' };
  const what = actual ? nameOf(actual) : head.length === 0 ? 'empty' : 'none of PDF, PNG, JPEG or TIFF';
  return { matches: false, textDetection, reason: `The file was declared as ${nameOf(declaredContentType)} (${declaredContentType}), but its content is ${what}.` };
};

/** The workflow's step: reads the head of the upload and compares. */
export const inspectUploadedObject = (readHead: (object: { bucket: string; key: string }) => Promise<Uint8Array>) =>
  async (input: { bucket: string; key: string; declaredContentType: string }): Promise<UploadInspection> =>
    inspectUpload(input.declaredContentType, await readHead({ bucket: input.bucket, key: input.key }));
