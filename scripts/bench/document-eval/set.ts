import { contracts } from './contracts.js';
import type { ContractType, EvalDocument } from './document.js';
import { invoices } from './invoices.js';
import { newLayouts } from './new-layouts.js';
import { Random } from './random.js';
import { receipts } from './receipts.js';

/**
 * The evaluation set: made from seeds, so it is the same on every run. `dev` was in view while the
 * extraction was written; `fresh` comes from other seeds and was only scored, never studied;
 * `unseen` are layouts written once the extraction was done. The gaps say how much the extraction
 * was fitted to what its author saw.
 */
const types = (count: number): ContractType[] => Array.from({ length: count }, (_, index) => (['NDA', 'SERVICE_AGREEMENT', 'OTHER'] as const)[index % 3]!);

export const evaluationSet = (): EvalDocument[] => [
  ...invoices(new Random(2201), 24, 'dev'),
  ...receipts(new Random(2202), 16, 'dev'),
  ...contracts(new Random(2203), types(24), 'dev'),
  ...invoices(new Random(9101), 12, 'fresh', 25),
  ...receipts(new Random(9102), 8, 'fresh', 17),
  ...contracts(new Random(9103), types(12), 'fresh', 25),
  ...newLayouts(new Random(6101), 3),
];
