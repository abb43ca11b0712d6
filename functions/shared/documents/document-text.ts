/** Where a piece of text is on its page, as ratios of the page's width and height (Textract's BoundingBox). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What the checks read of a document: its lines of text, page by page, as text detection found them. */
export interface TextLine {
  page: number;
  text: string;
  /** The OCR's confidence in the line, 0..100. */
  confidence: number;
  /** Where it is, when the OCR said so: how the extraction finds a label's value beside or below it. */
  box?: Box;
}

export interface DocumentText {
  pages: number;
  lines: TextLine[];
}

/** The part of a Textract block this reads (DetectDocumentText and GetDocumentTextDetection alike). */
export interface TextBlock {
  BlockType?: string;
  Id?: string;
  Text?: string;
  Page?: number;
  Confidence?: number;
  Geometry?: { BoundingBox?: { Left?: number; Top?: number; Width?: number; Height?: number } };
  Relationships?: { Type?: string; Ids?: string[] }[];
}

const boxOf = (block: TextBlock): Box | undefined => {
  const box = block.Geometry?.BoundingBox;
  if (box?.Left === undefined || box.Top === undefined || box.Width === undefined || box.Height === undefined) return undefined;
  return { left: box.Left, top: box.Top, width: box.Width, height: box.Height };
};

const union = (boxes: Box[]): Box => {
  const left = Math.min(...boxes.map((box) => box.left));
  const top = Math.min(...boxes.map((box) => box.top));
  const right = Math.max(...boxes.map((box) => box.left + box.width));
  const bottom = Math.max(...boxes.map((box) => box.top + box.height));
  return { left, top, width: right - left, height: bottom - top };
};

/**
 * A gap between two words wider than this many characters separates columns, not words: an OCR
 * line that runs across a page ("Germany        Tax Point    26-Oct-2027") is two or three pieces
 * of text that only share a baseline. (Widths, not heights: a box is in fractions of the page's
 * width across and of its height down, and a receipt is three times as tall as it is wide.)
 */
const COLUMN_GAP = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A LINE as the pieces of text it holds: split where its words (when the blocks name them) leave a column's gap. */
const piecesOf = (line: TextBlock, page: number, words: Map<string, TextBlock>): TextLine[] => {
  const text = (line.Text ?? '').trim();
  const whole: TextLine = { page, text, confidence: line.Confidence ?? 0, ...(boxOf(line) ? { box: boxOf(line)! } : {}) };
  const children = (line.Relationships ?? []).filter((relation) => relation.Type === 'CHILD').flatMap((relation) => relation.Ids ?? [])
    .map((id) => words.get(id)).filter((word): word is TextBlock => word !== undefined && (word.Text ?? '').trim() !== '' && boxOf(word) !== undefined);
  if (children.length < 2) return [whole];
  const letters = children.reduce((sum, word) => sum + (word.Text ?? '').trim().length, 0);
  const charWidth = children.reduce((sum, word) => sum + boxOf(word)!.width, 0) / Math.max(1, letters);
  const pieces: TextBlock[][] = [[]];
  for (const [index, word] of children.entries()) {
    // A table's ruled line comes out of the OCR as a word "|": it separates columns.
    if (/^[|¦]$/.test((word.Text ?? '').trim())) {
      if (pieces.at(-1)!.length > 0) pieces.push([]);
      continue;
    }
    const previous = children[index - 1];
    const gap = previous ? boxOf(word)!.left - (boxOf(previous)!.left + boxOf(previous)!.width) : 0;
    if (gap > COLUMN_GAP * charWidth && pieces.at(-1)!.length > 0) pieces.push([word]);
    else pieces.at(-1)!.push(word);
  }
  if (pieces.at(-1)!.length === 0) pieces.pop();
  if (pieces.length === 1 && pieces[0]!.length === children.length) return [whole];
  return pieces.map((piece) => ({
    page,
    text: piece.map((word) => (word.Text ?? '').trim()).join(' '),
    confidence: piece.reduce((sum, word) => sum + (word.Confidence ?? 0), 0) / piece.length,
    box: union(piece.map((word) => boxOf(word)!)),
  }));
};

const wordsOf = (line: TextBlock, words: Map<string, TextBlock>): Box[] =>
  (line.Relationships ?? []).filter((relation) => relation.Type === 'CHILD').flatMap((relation) => relation.Ids ?? [])
    .flatMap((id) => { const box = words.get(id) && boxOf(words.get(id)!); return box ? [box] : []; });

/**
 * How much a page's text climbs or falls from left to right (a sheet laid crooked on the scanner,
 * a photo taken at an angle), as the median slope of its longer lines' words; 0 when unknown.
 */
const slopeOf = (lines: TextBlock[], words: Map<string, TextBlock>): number => {
  const slopes = lines.flatMap((line) => {
    const boxes = wordsOf(line, words);
    if (boxes.length < 3) return [];
    const first = boxes[0]!;
    const last = boxes.at(-1)!;
    const run = last.left + last.width / 2 - (first.left + first.width / 2);
    return run > 0.15 ? [(last.top + last.height / 2 - (first.top + first.height / 2)) / run] : [];
  });
  return slopes.length === 0 ? 0 : median(slopes);
};

/** A box as it would be on the page set straight: what is level on the paper is level here. */
const straightened = (line: TextLine, slope: number): TextLine =>
  line.box && slope !== 0 ? { ...line, box: { ...line.box, top: line.box.top - slope * (line.box.left + line.box.width / 2) } } : line;

/**
 * Textract's LINE blocks in reading order, each with where it is (its page's tilt taken out); a
 * synchronous answer has no Page (it is page 1). A LINE that spans columns becomes one line per column.
 */
export const documentTextOf = (blocks: TextBlock[]): DocumentText => {
  const pages = blocks.filter((block) => block.BlockType === 'PAGE').length;
  const words = new Map(blocks.filter((block) => block.BlockType === 'WORD' && block.Id).map((block) => [block.Id!, block]));
  const textLines = blocks.filter((block) => block.BlockType === 'LINE' && (block.Text ?? '').trim() !== '');
  const slopes = new Map<number, number>();
  for (const page of new Set(textLines.map((block) => block.Page ?? 1))) {
    slopes.set(page, slopeOf(textLines.filter((block) => (block.Page ?? 1) === page), words));
  }
  const lines = textLines.flatMap((block) => piecesOf(block, block.Page ?? 1, words).map((line) => straightened(line, slopes.get(line.page) ?? 0)));
  return { pages, lines };
};

/** The whole text, one line per line: what the patterns read. */
export const plainText = (text: DocumentText): string => text.lines.map((line) => line.text).join('\n');

/** Mean OCR confidence of the lines, 0..100; 0 when there is no text. */
export const meanConfidence = (text: DocumentText): number =>
  text.lines.length === 0 ? 0 : text.lines.reduce((sum, line) => sum + line.confidence, 0) / text.lines.length;
