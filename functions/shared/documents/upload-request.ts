import { DocumentTooLargeError, InvalidDocumentRequestError, UnsupportedDocumentTypeError, type Problem } from '../errors.js';
import { isObject, SHOWN_KEY_CHARACTERS_NO_BRACKETS, unknownFields } from '../validation.js';

/** What POST /documents takes: the file the client is about to PUT. */
export interface UploadRequest {
  filename: string;
  contentType: SupportedContentType;
  size: number;
}

/** What Textract reads. The bytes are checked again when they arrive: a claim is only a claim. */
export const SUPPORTED_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'] as const;
export type SupportedContentType = (typeof SUPPORTED_CONTENT_TYPES)[number];

export const UPLOAD_LIMITS = {
  /** 10 MB: Textract's synchronous limit for an image from S3, and plenty for a scanned contract. */
  maxBytes: 10 * 1024 * 1024,
  maxFilenameLength: 255,
} as const;

// No path separators and no control characters: the name is shown back to people, never used as a key.
const isPlainFilename = (name: string): boolean =>
  ![...name].some((character) => character === '/' || character === '\\' || character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f);

/**
 * Checks a parsed body field by field. Malformed fields answer 400 naming each; a well-formed
 * but unsupported type 415; a well-formed size over the limit 413.
 */
export const parseUploadRequest = (body: unknown): UploadRequest => {
  if (!isObject(body)) throw new InvalidDocumentRequestError([{ field: '', problem: 'the body must be a JSON object' }]);
  const problems: Problem[] = unknownFields(body, ['filename', 'contentType', 'size'], '', SHOWN_KEY_CHARACTERS_NO_BRACKETS);
  const { filename, contentType, size } = body;
  if (typeof filename !== 'string' || filename.trim() === '') problems.push({ field: 'filename', problem: 'is required and must be a non-empty string' });
  else if (filename.length > UPLOAD_LIMITS.maxFilenameLength) problems.push({ field: 'filename', problem: `must be at most ${UPLOAD_LIMITS.maxFilenameLength} characters` });
  else if (!isPlainFilename(filename)) problems.push({ field: 'filename', problem: 'must not contain slashes or control characters' });
  if (typeof contentType !== 'string' || contentType.trim() === '') problems.push({ field: 'contentType', problem: 'is required and must be a media type such as "application/pdf"' });
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) problems.push({ field: 'size', problem: 'is required and must be a whole number of bytes, at least 1' });
  if (problems.length > 0) throw new InvalidDocumentRequestError(problems);

  const mediaType = String(contentType).trim().toLowerCase();
  if (!(SUPPORTED_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
    throw new UnsupportedDocumentTypeError(`contentType must be one of ${SUPPORTED_CONTENT_TYPES.join(', ')}; got "${String(contentType).slice(0, 100)}"`);
  }
  if (Number(size) > UPLOAD_LIMITS.maxBytes) {
    throw new DocumentTooLargeError(`size must be at most ${UPLOAD_LIMITS.maxBytes} bytes (10 MB); got ${Number(size)}`);
  }
  return { filename: String(filename), contentType: mediaType as SupportedContentType, size: Number(size) };
};
