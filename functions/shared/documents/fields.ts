import type { DocumentClass } from './document.js';
import type { DocumentText } from './document-text.js';
import { partiesOf } from './parties.js';

/**
 * The fields a person files a document by, read from its lines. Each field takes the first line
 * that yields it (a total takes the last: totals come after subtotals). A field not found is
 * absent, never guessed.
 */
export type Fields = Record<string, string>;

const DATE = String.raw`(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})`;
const AMOUNT = String.raw`((?:[A-Z]{3}|[$€£])\s?\d[\d,.\s]*\d|\d[\d,.\s]*\d\s?(?:[A-Z]{3}|[$€£])|(?:[$€£])?\d[\d,.]*\d)`;

const INVOICE_NUMBER = /\binvoice\s*(?:number|no\.?|#|num\.?)\s*[:#.]?\s*([A-Z0-9][A-Z0-9/-]{1,30})/i;
const INVOICE_DATE = new RegExp(String.raw`\b(?:invoice\s+date|date\s+of\s+issue|issue\s+date|date)\s*[:.]?\s*${DATE}`, 'i');
const TOTAL = new RegExp(String.raw`(?<!sub)\b(?:total(?:\s+(?:due|amount|payable))?|amount\s+(?:due|paid)|balance\s+due|grand\s+total)\s*[:.]?\s*${AMOUNT}`, 'i');
const NUMBER_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four|thirty-six|\\d+';
const TERM = new RegExp(String.raw`\bterm\b.*?\b((?:${NUMBER_WORDS})(?:\s*\(\d+\))?\s+(?:day|week|month|year)s?)\b`, 'i');
// A signature line carries a name: "Signed by Ada Lovelace", "Signature: A. Lovelace". Blanks and underscores are no signature.
const SIGNATURE = /\b(?:signed(?:\s+by)?|signature)\s*[:-]?\s*([A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){0,4})\s*$/i;

const firstFound = (text: DocumentText, find: (line: string) => string | undefined): string | undefined => {
  for (const line of text.lines) {
    const found = find(line.text);
    if (found !== undefined) return found.trim();
  }
  return undefined;
};

const firstMatch = (text: DocumentText, pattern: RegExp, pick: (match: RegExpExecArray) => string): string | undefined =>
  firstFound(text, (line) => {
    const match = pattern.exec(line);
    return match ? pick(match) : undefined;
  });

const lastMatch = (text: DocumentText, pattern: RegExp, pick: (match: RegExpExecArray) => string): string | undefined => {
  for (const line of [...text.lines].reverse()) {
    const match = pattern.exec(line.text);
    if (match) return pick(match).trim();
  }
  return undefined;
};

const defined = (fields: Record<string, string | undefined>): Fields =>
  Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));

export const extractFields = (documentClass: DocumentClass, text: DocumentText): Fields => {
  switch (documentClass) {
    case 'INVOICE':
      return defined({
        invoiceNumber: firstMatch(text, INVOICE_NUMBER, (match) => match[1] ?? ''),
        invoiceDate: firstMatch(text, INVOICE_DATE, (match) => match[1] ?? ''),
        total: lastMatch(text, TOTAL, (match) => match[1] ?? ''),
      });
    case 'RECEIPT':
      return defined({
        merchant: text.lines[0]?.text,
        date: firstMatch(text, INVOICE_DATE, (match) => match[1] ?? ''),
        total: lastMatch(text, TOTAL, (match) => match[1] ?? ''),
      });
    case 'CONTRACT':
      return defined({
        parties: firstFound(text, (line) => {
          const parties = partiesOf(line);
          return parties ? `${parties[0]}; ${parties[1]}` : undefined;
        }),
        term: firstMatch(text, TERM, (match) => match[1] ?? ''),
        signature: lastMatch(text, SIGNATURE, (match) => match[1] ?? ''),
      });
    case 'OTHER':
      return {};
  }
};
