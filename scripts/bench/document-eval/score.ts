import { FIELDS, type EvalDocument, type Truth } from './document.js';

/**
 * Field by field, what the extraction returned against what is printed. Comparison forgives only
 * what does not change the meaning: case, accents, spacing, quotes, a leading "the", surrounding
 * punctuation; for dates also the separators ("Nov 2, 2026" is "Nov 2 2026"), for amounts the
 * space between currency and figure. An amount without its currency, a date in another order, a
 * party's name with a word missing are wrong.
 */
export type Outcome = 'right' | 'wrong' | 'missed' | 'invented' | 'rightly-absent';

export interface FieldScore { field: string; outcome: Outcome; truth: Truth; got: string | undefined }

const DATE_FIELDS = new Set(['invoiceDate', 'dueDate', 'date', 'effectiveDate']);
const AMOUNT_FIELDS = new Set(['subtotal', 'tax', 'total']);

// Accents go too: the OCR reads "Tomás" as "Tomas", and a reader would call it the same name.
export const canonText = (value: string): string => value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/[“”"‘’']/g, '').replace(/\s+/g, ' ').trim()
  .replace(/^[\s.,;:()-]+|[\s.,;:()-]+$/g, '').replace(/^the /, '');

const canon = (field: string, value: string): string => {
  const text = canonText(value);
  if (DATE_FIELDS.has(field)) return text.replace(/[^a-z0-9]/g, '');
  if (AMOUNT_FIELDS.has(field)) return text.replace(/\s/g, '');
  return text;
};

const sameNames = (truth: string[], got: string): boolean => {
  const want = truth.map((name) => canonText(name)).sort();
  const have = got.split(';').map((name) => canonText(name)).filter((name) => name !== '').sort();
  return want.length === have.length && want.every((name, index) => name === have[index]);
};

const matches = (field: string, truth: Exclude<Truth, null>, got: string): boolean => {
  if (typeof truth === 'string') return canon(field, truth) === canon(field, got);
  if (Array.isArray(truth)) return sameNames(truth, got);
  if ('anyOf' in truth) return truth.anyOf.some((reading) => canon(field, reading) === canon(field, got));
  return canonText(got).includes(truth.mentions);
};

export const scoreField = (field: string, truth: Truth, got: string | undefined): FieldScore => {
  const present = got !== undefined && got.trim() !== '';
  if (truth === null) return { field, truth, got, outcome: present ? 'invented' : 'rightly-absent' };
  if (!present) return { field, truth, got, outcome: 'missed' };
  return { field, truth, got, outcome: matches(field, truth, got) ? 'right' : 'wrong' };
};

export interface Reading {
  class: string;
  contractType?: string | null;
  confidence: number;
  fields: Record<string, string>;
  /** Would the pipeline file it without a person (both checks passed, confident enough)? */
  filed: boolean;
}

/** What the required-fields rule of issue 22 asks of each kind: what a clean document must carry to be filed. */
const REQUIRED: Record<string, string[]> = {
  INVOICE: ['invoiceNumber', 'invoiceDate', 'total'],
  RECEIPT: ['date', 'total'],
  NDA: ['parties', 'term', 'confidentiality'],
  SERVICE_AGREEMENT: ['parties', 'term', 'liability'],
  OTHER: ['parties'],
};

export interface DocumentScore {
  document: EvalDocument;
  reading: Reading;
  classRight: boolean;
  fields: FieldScore[];
  /** Carries everything its kind requires, so a person would file it without a second look. */
  shouldFile: boolean;
}

export const scoreDocument = (document: EvalDocument, reading: Reading): DocumentScore => {
  const classRight = reading.class === document.class;
  const fields = FIELDS[document.class].map((field) => field === 'contractType'
    ? scoreField(field, document.truth.contractType ?? null, reading.contractType ?? undefined)
    : scoreField(field, document.truth[field] ?? null, classRight ? reading.fields[field] : undefined));
  const kind = document.class === 'CONTRACT' ? String(document.truth.contractType) : document.class;
  const shouldFile = (REQUIRED[kind] ?? []).every((field) => document.truth[field] !== null && document.truth[field] !== undefined);
  return { document, reading, classRight, fields, shouldFile };
};

export const isRight = (outcome: Outcome): boolean => outcome === 'right' || outcome === 'rightly-absent';
