import { inflateSync } from 'node:zlib';

/**
 * How many pages a PDF has, read from its page tree without rendering anything, so a document over
 * the page limit is refused before Textract is asked (and billed) anything.
 *
 * Every page-tree node (`/Type /Pages`) carries `/Count`, the pages below it; the root's is the
 * document's. The nodes are plain dictionaries in the file, or inside compressed object streams
 * (`/Type /ObjStm`, PDF 1.5+), which are inflated here. The answer is the largest count any node
 * or revision states, or the number of page objects if that is larger: an upper bound, so a file
 * cannot hide pages from the limit behind a small root count or an older revision. A file whose
 * page tree cannot be read (no node found, an object stream that does not inflate, as in an
 * encrypted file) has no count: undefined, and the caller treats it as unreadable.
 */

/** Decompressed object streams, all together, at most: a few kilobytes hold a page tree; a bomb gets no further. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const OBJECT = /(\d+)\s+(\d+)\s+obj\b/g;
const PAGES_NODE = /\/Type\s*\/Pages(?![A-Za-z])/;
const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/;
const OBJECT_STREAM = /\/Type\s*\/ObjStm(?![A-Za-z])/;

/** The text of each indirect object (up to `endobj`), and the raw bytes of its stream if it has one. */
interface PdfObject { dictionary: string; stream?: Buffer }

const objectsOf = (bytes: Buffer): PdfObject[] => {
  // latin1 keeps one character per byte: offsets in the text are offsets in the file.
  const text = bytes.toString('latin1');
  const objects: PdfObject[] = [];
  const boundary = /\bstream(\r\n|\n|\r)|\bendobj\b/g;
  for (const match of text.matchAll(OBJECT)) {
    const start = match.index + match[0].length;
    boundary.lastIndex = start;
    const found = boundary.exec(text);
    if (!found) continue;
    const dictionary = text.slice(start, found.index);
    if (found[0].startsWith('endobj')) {
      objects.push({ dictionary });
      continue;
    }
    // The stream's bytes by its /Length when it is a number here; else up to the keyword that ends it.
    const dataStart = found.index + found[0].length;
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary)?.[1];
    const dataEnd = length === undefined ? text.indexOf('endstream', dataStart) : dataStart + Number(length);
    objects.push({ dictionary, stream: bytes.subarray(dataStart, Math.max(dataStart, dataEnd)) });
  }
  return objects;
};

/** The objects an object stream holds: `n` pairs of (number, offset), then the objects from /First. */
const objectsInStream = (dictionary: string, inflated: Buffer): PdfObject[] | undefined => {
  const count = Number(/\/N\s+(\d+)/.exec(dictionary)?.[1]);
  const first = Number(/\/First\s+(\d+)/.exec(dictionary)?.[1]);
  if (!Number.isInteger(count) || !Number.isInteger(first)) return undefined;
  const text = inflated.toString('latin1');
  const header = text.slice(0, first).trim().split(/\s+/).map(Number);
  const offsets = Array.from({ length: count }, (_, index) => header[index * 2 + 1]);
  if (offsets.some((offset) => offset === undefined || !Number.isInteger(offset))) return undefined;
  return offsets.map((offset, index) => ({ dictionary: text.slice(first + offset!, index + 1 < count ? first + offsets[index + 1]! : undefined) }));
};

export const pdfPageCount = (pdf: Uint8Array): number | undefined => {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const dictionaries: string[] = [];
  let inflatedBytes = 0;
  for (const object of objectsOf(bytes)) {
    dictionaries.push(object.dictionary);
    if (!object.stream || !OBJECT_STREAM.test(object.dictionary)) continue;
    // Object streams are Flate-compressed in practice; one this cannot read may hide the page tree.
    if (!/\/Filter\s*(\[\s*)?\/FlateDecode\s*\]?/.test(object.dictionary) || /\/DecodeParms/.test(object.dictionary)) return undefined;
    let inflated: Buffer;
    try {
      inflated = inflateSync(object.stream, { maxOutputLength: MAX_INFLATED_BYTES - inflatedBytes });
    } catch {
      return undefined;
    }
    inflatedBytes += inflated.length;
    const inner = objectsInStream(object.dictionary, inflated);
    if (!inner) return undefined;
    dictionaries.push(...inner.map(({ dictionary }) => dictionary));
  }
  let counted: number | undefined;
  let pageObjects = 0;
  for (const dictionary of dictionaries) {
    if (PAGES_NODE.test(dictionary)) {
      const count = /\/Count\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary)?.[1];
      if (count === undefined) return undefined;
      counted = Math.max(counted ?? 0, Number(count));
    } else if (PAGE_OBJECT.test(dictionary)) {
      pageObjects += 1;
    }
  }
  return counted === undefined ? undefined : Math.max(counted, pageObjects);
};
