import { join } from 'node:path';
import { DEFAULT_PROHIBITED_TERMS, parseProhibitedTerms, prohibitedTermsCheck, requiredFieldsCheck } from '../../../functions/shared/documents/checks.js';
import { documentTextOf, type DocumentText } from '../../../functions/shared/documents/document-text.js';
import { readDocument } from '../../../functions/shared/documents/processing-steps.js';
import { FIELDS, type EvalClass, type EvalDocument } from './document.js';
import { readDocuments } from './read.js';
import { isRight, scoreDocument, type DocumentScore, type Reading } from './score.js';
import { evaluationSet } from './set.js';

/**
 * The whole evaluation: make the set, read each document (cached), run the project's own
 * classification and extraction on the text (the function the ClassifyDocument step runs) and
 * its checks (CheckRequiredFields, CheckProhibitedTerms), and score every field.
 */
const CONFIDENCE_THRESHOLD = 0.5; // documentConfidenceThreshold in serverless.yml
const terms = parseProhibitedTerms(DEFAULT_PROHIBITED_TERMS);

export const projectReading = (text: DocumentText): Reading => {
  const reading = readDocument(text);
  const checks = [requiredFieldsCheck(reading.class, reading.fields, reading.contractType), prohibitedTermsCheck(text, terms)];
  return { ...reading, filed: checks.every((check) => check.passed) && reading.confidence >= CONFIDENCE_THRESHOLD };
};

export interface Evaluation {
  scores: DocumentScore[];
  /** Documents rendered and read this run (the rest came from the cache). */
  read: number;
  ms: number;
}

export const evaluateExtraction = async (options: { cacheDirectory: string; log: (line: string) => void; filter?: (id: string) => boolean }): Promise<Evaluation> => {
  const started = performance.now();
  const documents = evaluationSet().filter((document) => options.filter?.(document.id) ?? true);
  const read = await readDocuments(documents, options.cacheDirectory, options.log);
  const scores = read.map(({ document, blocks }) => scoreDocument(document, projectReading(documentTextOf(blocks))));
  return { scores, read: read.filter((item) => !item.cached).length, ms: performance.now() - started };
};

export const defaultCacheDirectory = (root: string): string => join(root, '.local/document-eval');

const SPLITS: EvalDocument['split'][] = ['dev', 'fresh', 'unseen'];

const percent = (right: number, total: number) => (total === 0 ? '–' : `${((100 * right) / total).toFixed(0)}% (${right}/${total})`);

const outcomesOf = (scores: DocumentScore[], field: string) =>
  scores.flatMap((score) => score.fields.filter((item) => item.field === field).map((item) => item.outcome));

const cell = (scores: DocumentScore[], field: string) => {
  const outcomes = outcomesOf(scores, field);
  return percent(outcomes.filter(isRight).length, outcomes.length);
};

/**
 * The per-field table: accuracy on dev, on fresh and on all; then, over all, how often the field
 * was read right where it is printed, and how often something was invented where it is not.
 */
export const fieldRows = (scores: DocumentScore[]): string[][] => {
  const rows: string[][] = [];
  for (const documentClass of ['INVOICE', 'RECEIPT', 'CONTRACT'] as EvalClass[]) {
    const ofClass = scores.filter((score) => score.document.class === documentClass);
    const [dev, fresh, unseen] = SPLITS.map((split) => ofClass.filter((score) => score.document.split === split)) as [DocumentScore[], DocumentScore[], DocumentScore[]];
    const classRight = (subset: DocumentScore[]) => percent(subset.filter((score) => score.classRight).length, subset.length);
    rows.push([`${documentClass.toLowerCase()}: class`, classRight(dev), classRight(fresh), classRight(unseen), classRight(ofClass), '', '']);
    for (const field of FIELDS[documentClass]) {
      const all = outcomesOf(ofClass, field);
      const printed = all.filter((outcome) => outcome !== 'invented' && outcome !== 'rightly-absent');
      const absent = all.length - printed.length;
      rows.push([
        `${documentClass.toLowerCase()}: ${field}`, cell(dev, field), cell(fresh, field), cell(unseen, field), cell(ofClass, field),
        percent(printed.filter((outcome) => outcome === 'right').length, printed.length),
        absent === 0 ? '–' : `${all.filter((outcome) => outcome === 'invented').length}/${absent}`,
      ]);
    }
  }
  return rows;
};

/** Filed without a person exactly when it carries what its kind requires (and it was classified right). */
export const routedRight = (score: DocumentScore): boolean => score.classRight && score.reading.filed === score.shouldFile;

export const summaryRows = (scores: DocumentScore[]): string[][] => {
  const split = (name: EvalDocument['split']) => scores.filter((score) => score.document.split === name);
  const fieldTotals = (subset: DocumentScore[]) => {
    const outcomes = subset.flatMap((score) => score.fields.map((item) => item.outcome));
    return percent(outcomes.filter(isRight).length, outcomes.length);
  };
  const routed = (subset: DocumentScore[]) => percent(subset.filter(routedRight).length, subset.length);
  return [
    ['All fields', ...SPLITS.map((name) => fieldTotals(split(name))), fieldTotals(scores)],
    ['Routed as a person would (filed iff complete)', ...SPLITS.map((name) => routed(split(name))), routed(scores)],
  ];
};

/** Every field not right, for the one who improves the extraction. */
export const misses = (scores: DocumentScore[]): string[] => scores.flatMap((score) => [
  ...(score.classRight ? [] : [`${score.document.id}: class ${score.reading.class}, expected ${score.document.class} (${score.document.description})`]),
  ...score.fields.filter((item) => !isRight(item.outcome)).map((item) =>
    `${score.document.id} ${item.field}: ${item.outcome}; printed ${JSON.stringify(item.truth)}, got ${JSON.stringify(item.got)}  [${score.document.description}]`),
]);
