/**
 * Labels found as a reader finds them: whatever the case, spacing and punctuation ("Invoice No.",
 * "INVOICE #", "Invoice-Number"), run together or split by the OCR ("DateDue", "In voice"), and
 * with a letter or two misread or lost ("nvoice Number" at the page edge, "3illed to"). Longer
 * labels are allowed more misreadings; a short one must be exact, or "date" would be "data".
 */
export interface Label {
  /** The field the label names. */
  field: string;
  /** The label as printed, e.g. "Invoice No." */
  text: string;
  /** Only as the first words of a piece of text ("To:", "From:"): anywhere else it is prose. */
  atStart?: boolean;
}

export interface LabelHit {
  label: Label;
  /** Character offsets of the label in the text. */
  start: number;
  end: number;
}

interface Token { compact: string; start: number; end: number }

const tokensOf = (text: string): Token[] =>
  [...text.matchAll(/[\p{L}\p{N}]+|[#№]/gu)].map((match) => ({ compact: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length }));

const compactOf = (text: string) => tokensOf(text).map((token) => token.compact).join('');

/**
 * Misreadings a label of this many letters and words may carry. A short word must be exact, and
 * so must a one-word label shorter than "invoice": misread by one letter, "Number" is "Umber" and
 * "Net" is "Not", words that are names and prose.
 */
const tolerance = (length: number, words: number) => (length <= 4 || (words === 1 && length < 7) ? 0 : length <= 9 ? 1 : 2);

/** Optimal string alignment distance, given up (Infinity) once it must exceed `limit`. */
const distance = (a: string, b: string, limit: number): number => {
  if (Math.abs(a.length - b.length) > limit) return Infinity;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return Infinity;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
};

interface Compiled { label: Label; compact: string; words: number; limit: number }

/** A set of labels, compiled once. */
export class Labels {
  private readonly compiled: Compiled[];

  constructor(labels: Label[]) {
    this.compiled = labels.map((label) => {
      const compact = compactOf(label.text);
      const words = tokensOf(label.text).length;
      return { label, compact, words, limit: tolerance(compact.length, words) };
    });
  }

  /**
   * Every label in the text, left to right, none overlapping another: where two could start at one
   * place, the longer reading wins, so "Total excl. VAT" is not read as "Total", unless it took
   * misreadings to get there.
   */
  find(text: string): LabelHit[] {
    const tokens = tokensOf(text);
    const hits: (LabelHit & { length: number; cost: number })[] = [];
    for (let first = 0; first < tokens.length; first += 1) {
      for (const entry of this.compiled) {
        if (entry.label.atStart && first > 0) continue;
        // A label may come out of the OCR as one word more or less than printed.
        for (let count = Math.max(1, entry.words - 1); count <= entry.words + 1 && first + count <= tokens.length; count += 1) {
          const span = tokens.slice(first, first + count);
          const compact = span.map((token) => token.compact).join('');
          const cost = distance(compact, entry.compact, entry.limit);
          if (cost > entry.limit) continue;
          if (cost > 0) {
            // A misread label must still begin or end as printed: "nvoice" is "invoice", "vonce" is nothing.
            if (compact[0] !== entry.compact[0] && compact.at(-1) !== entry.compact.at(-1)) continue;
            // And stand where labels stand, first in its piece of text or before a colon: in the
            // middle of prose a near miss is another word ("supplies" is not "Supplier").
            const last = span.at(-1)!;
            if (first > 0 && !/^\s*:/.test(text.slice(last.end))) continue;
          }
          hits.push({ label: entry.label, start: span[0]!.start, end: span.at(-1)!.end, length: entry.compact.length, cost });
        }
      }
    }
    // Each misreading costs more than a letter read right gains: "Customer" is the label "Customer",
    // not "Customer ID" with its last two letters lost.
    const weight = (hit: { length: number; cost: number }) => hit.length - 3 * hit.cost;
    hits.sort((a, b) => a.start - b.start || weight(b) - weight(a));
    const chosen: LabelHit[] = [];
    for (const hit of hits) {
      const last = chosen.at(-1);
      if (last && hit.start < last.end) continue;
      chosen.push({ label: hit.label, start: hit.start, end: hit.end });
    }
    return chosen;
  }
}
