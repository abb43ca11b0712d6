/** What the checks read of a document: its lines of text, page by page, as text detection found them. */
export interface TextLine {
  page: number;
  text: string;
  /** The OCR's confidence in the line, 0..100. */
  confidence: number;
}

export interface DocumentText {
  pages: number;
  lines: TextLine[];
}

/** The part of a Textract block this reads (DetectDocumentText and GetDocumentTextDetection alike). */
export interface TextBlock {
  BlockType?: string;
  Text?: string;
  Page?: number;
  Confidence?: number;
}

/** Textract's LINE blocks in reading order; a synchronous answer has no Page (it is page 1). */
export const documentTextOf = (blocks: TextBlock[]): DocumentText => {
  const pages = blocks.filter((block) => block.BlockType === 'PAGE').length;
  const lines = blocks
    .filter((block) => block.BlockType === 'LINE' && (block.Text ?? '').trim() !== '')
    .map((block) => ({ page: block.Page ?? 1, text: (block.Text ?? '').trim(), confidence: block.Confidence ?? 0 }));
  return { pages, lines };
};

/** The whole text, one line per line: what the patterns read. */
export const plainText = (text: DocumentText): string => text.lines.map((line) => line.text).join('\n');

/** Mean OCR confidence of the lines, 0..100; 0 when there is no text. */
export const meanConfidence = (text: DocumentText): number =>
  text.lines.length === 0 ? 0 : text.lines.reduce((sum, line) => sum + line.confidence, 0) / text.lines.length;
