import type { DocumentClass } from './document.js';
import type { DocumentText } from './document-text.js';
import { contractFields } from './contract-fields.js';
import { invoiceFields, receiptFields } from './form-fields.js';

/**
 * The fields a person files a document by, read from its structure: an invoice or a receipt as a
 * form (form-fields.ts: a label's value beside or under it), a contract as sentences and clauses
 * (contract-fields.ts). A field not found is absent, never guessed; a value is returned as printed.
 */
export type Fields = Record<string, string>;

export const extractFields = (documentClass: DocumentClass, text: DocumentText): Fields => {
  switch (documentClass) {
    case 'INVOICE':
      return invoiceFields(text);
    case 'RECEIPT':
      return receiptFields(text);
    case 'CONTRACT':
      return contractFields(text);
    case 'OTHER':
      return {};
  }
};
