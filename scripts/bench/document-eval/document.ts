/**
 * One document of the evaluation set: how to make it (HTML, rendered to a PNG or a PDF) and what a
 * careful person reads on it (the truth), field by field.
 *
 * Truth values:
 * - a string: the field as printed;
 * - a list: several names (parties, signatories), in any order;
 * - `{ anyOf }`: any of these readings is right (a jurisdiction with or without "the State of");
 * - `{ mentions }`: a clause: right when something is extracted and it mentions this word;
 * - null: the document does not carry the field, and nothing must be extracted for it.
 */
export type Truth = string | string[] | { anyOf: string[] } | { mentions: string } | null;

export type EvalClass = 'INVOICE' | 'RECEIPT' | 'CONTRACT';
export type ContractType = 'NDA' | 'SERVICE_AGREEMENT' | 'OTHER';

export type Output = { format: 'png'; width: number; height: number } | { format: 'pdf' };

export interface EvalDocument {
  id: string;
  /**
   * `dev` documents were studied while the extraction was written; `fresh` ones come from the same
   * layouts with other seeds and were only scored; `unseen` ones are layouts written after the
   * extraction was finished, scored and never tuned on: how it does on what its author never saw.
   */
  split: 'dev' | 'fresh' | 'unseen';
  /** What varies: layout, labels, formats, typeface, noise, pages. */
  description: string;
  class: EvalClass;
  output: Output;
  html: string;
  truth: Record<string, Truth>;
}

/** The fields scored for each class: every field a person filing the document would read. */
export const FIELDS: Record<EvalClass, string[]> = {
  INVOICE: ['invoiceNumber', 'invoiceDate', 'dueDate', 'supplier', 'customer', 'subtotal', 'tax', 'total'],
  RECEIPT: ['merchant', 'date', 'subtotal', 'tax', 'total'],
  CONTRACT: ['contractType', 'title', 'parties', 'effectiveDate', 'term', 'governingLaw', 'confidentiality', 'liability', 'signature'],
};
