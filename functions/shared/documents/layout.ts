import type { Box, DocumentText, TextLine } from './document-text.js';

/**
 * A page read as a person reads a form: a label's value is after it on the same line, in the next
 * column of the same row, or under it. Where the OCR gave no positions (text from elsewhere, or
 * written by hand in a test) every line is its own row and "under" is the next line.
 */
export interface Cell extends TextLine {
  /** Its place in reading order over the whole document. */
  index: number;
}

const bottom = (box: Box) => box.top + box.height;
const right = (box: Box) => box.left + box.width;

/** Share of the lower of two heights that two boxes overlap vertically: 1 when one sits beside the other on a baseline. */
const verticalOverlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(bottom(a), bottom(b)) - Math.max(a.top, b.top)) / Math.max(1e-6, Math.min(a.height, b.height));

const horizontalOverlap = (a: { left: number; right: number }, b: Box) => Math.min(a.right, right(b)) - Math.max(a.left, b.left);

export class Layout {
  readonly cells: Cell[];
  /** The width of a character, as a fraction of the page's width: what "near" means across a page. */
  readonly charWidth: number;

  constructor(text: DocumentText) {
    this.cells = text.lines.map((line, index) => ({ ...line, index }));
    const widths = this.cells.filter((cell) => cell.box && cell.text.length >= 4).map((cell) => cell.box!.width / cell.text.length).sort((a, b) => a - b);
    this.charWidth = widths[Math.floor(widths.length / 2)] ?? 0.01;
  }

  get positioned(): boolean {
    return this.cells.length > 0 && this.cells.every((cell) => cell.box !== undefined);
  }

  /** The cells further right on the same row, nearest first. */
  rightOf(cell: Cell): Cell[] {
    const box = cell.box;
    if (!box) return [];
    return this.cells
      .filter((other) => other.page === cell.page && other.box && other.index !== cell.index
        && other.box.left >= right(box) - this.charWidth && verticalOverlap(box, other.box) >= 0.4)
      .sort((a, b) => a.box!.left - b.box!.left);
  }

  /**
   * The cells under a part of a cell (by default all of it), nearest first, within a few lines:
   * the value a label stands over, in a box, a column or a form.
   */
  below(cell: Cell, part?: { start: number; end: number }, lines = 4): Cell[] {
    const box = cell.box;
    if (!box) {
      const next = this.cells[cell.index + 1];
      return next && next.page === cell.page ? [next] : [];
    }
    // Where in the cell the part is: characters spread evenly over its width (near enough to tell columns apart).
    const span = part && cell.text.length > 0
      ? { left: box.left + (box.width * part.start) / cell.text.length, right: box.left + (box.width * part.end) / cell.text.length }
      : { left: box.left, right: right(box) };
    const reach = bottom(box) + lines * box.height * 2;
    return this.cells
      .filter((other) => other.page === cell.page && other.box && other.index !== cell.index
        && other.box.top >= bottom(box) - box.height * 0.3 && other.box.top <= reach
        && horizontalOverlap(span, other.box) > 0)
      .sort((a, b) => a.box!.top - b.box!.top);
  }

  /**
   * A label as printed, when a narrow column wrapped it ("Effective" over "Date:"): the cell and,
   * if it does not end in a colon, the short one right under it that does.
   */
  labelAt(cell: Cell): string {
    if (!cell.box || /:\s*$/.test(cell.text)) return cell.text;
    const next = this.below(cell)[0];
    const wrapped = next?.box && /:\s*$/.test(next.text) && next.text.split(/\s+/).length <= 3
      && Math.abs(next.box.left - cell.box.left) < 2 * this.charWidth && next.box.top - (cell.box.top + cell.box.height) < cell.box.height;
    return wrapped ? `${cell.text} ${next.text}` : cell.text;
  }

  /** The cells of a page from the top, in reading order. */
  onPage(page: number): Cell[] {
    return this.cells.filter((cell) => cell.page === page);
  }
}
