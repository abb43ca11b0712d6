import { pdfPageCount } from './pdf-pages.js';
import { UPLOAD_LIMITS, type SupportedContentType } from './upload-request.js';

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
  /**
   * A PDF's pages as its page tree states them, counted before any OCR (the workflow holds them
   * against the stage's page limit); 1 for an image; 0 when the file was not read this far.
   */
  pageCount: number;
}

const NAMES: Record<SupportedContentType, string> = {
  'application/pdf': 'a PDF',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/tiff': 'a TIFF image',
};

const nameOf = (contentType: string): string => NAMES[contentType as SupportedContentType] ?? contentType;

/** What POST /documents was told about the file. */
export interface UploadDeclaration {
  contentType: string;
  size: number;
}

/** What is in the bucket: the object's first bytes and its whole size. */
export interface ArrivedObject {
  head: Uint8Array;
  size: number;
}

const typeMismatch = (declaredContentType: string, head: Uint8Array): string | undefined => {
  const actual = contentTypeOfBytes(head);
  if (actual === declaredContentType) return undefined;
  const what = actual ? nameOf(actual) : head.length === 0 ? 'empty' : 'none of PDF, PNG, JPEG or TIFF';
  return `The file was declared as ${nameOf(declaredContentType)} (${declaredContentType}), but its content is ${what}.`;
};

/**
 * On AWS the presigned URL's signature already refuses another length; the emulator checks no
 * signature, and a URL signed by older code might not sign it: the object itself is the last word.
 */
const sizeMismatch = (declaredSize: number, arrivedSize: number): string | undefined => {
  if (arrivedSize > UPLOAD_LIMITS.maxBytes) {
    return `The file is ${arrivedSize} bytes, over the ${UPLOAD_LIMITS.maxBytes} bytes (10 MB) an upload may have; ${declaredSize} bytes were declared.`;
  }
  if (arrivedSize !== declaredSize) return `The file was declared as ${declaredSize} bytes, but ${arrivedSize} bytes arrived.`;
  return undefined;
};

/** Compares what arrived with what POST /documents declared: a claim is only a claim. */
export const inspectUpload = (declared: UploadDeclaration, arrived: ArrivedObject): UploadInspection => {
  const textDetection = declared.contentType === 'application/pdf' ? 'DOCUMENT' : 'IMAGE';
  const problems = [sizeMismatch(declared.size, arrived.size), typeMismatch(declared.contentType, arrived.head)].filter((problem) => problem !== undefined);
  return { matches: problems.length === 0, textDetection, reason: problems.join(' '), pageCount: problems.length === 0 && textDetection === 'IMAGE' ? 1 : 0 };
};

export interface UploadToInspect {
  bucket: string;
  key: string;
  /** The version the S3 event announced: what is inspected here is what is read and filed later. */
  versionId: string;
  declaredContentType: string;
  declaredSize: number;
}

export interface StoredObject { bucket: string; key: string; versionId: string }

/** How the step reads an upload: its head and size first; all of it only for a PDF that passed. */
export interface UploadReader {
  head(object: StoredObject): Promise<ArrivedObject>;
  bytes(object: StoredObject): Promise<Uint8Array>;
}

/** What Textract's own refusal of such a file says to the customer (the definition's Unreadable state): one sentence for one fault. */
export const UNCOUNTABLE_PAGES_REASON = 'The file could not be read: it is damaged or truncated.';

/**
 * The workflow's step: reads the head and the size of the upload and compares; then counts a PDF's
 * pages (at most 10 MB read, the size limit having been checked), so the workflow can refuse a
 * document over its page limit before Textract reads a page of it.
 */
export const inspectUploadedObject = (reader: UploadReader) =>
  async (input: UploadToInspect): Promise<UploadInspection> => {
    if (!Number.isSafeInteger(input.declaredSize)) throw new TypeError(`declaredSize must be a whole number of bytes; got ${JSON.stringify(input.declaredSize)}`);
    const object = { bucket: input.bucket, key: input.key, versionId: input.versionId };
    const inspection = inspectUpload({ contentType: input.declaredContentType, size: input.declaredSize }, await reader.head(object));
    if (!inspection.matches || inspection.textDetection !== 'DOCUMENT') return inspection;
    const pageCount = pdfPageCount(await reader.bytes(object));
    return pageCount === undefined ? { ...inspection, matches: false, reason: UNCOUNTABLE_PAGES_REASON } : { ...inspection, pageCount };
  };
