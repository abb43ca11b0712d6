import type { CheckResult, ContractType, DocumentClass } from './document.js';
import type { DocumentText } from './document-text.js';
import type { Fields } from './fields.js';

/**
 * What each kind of document must carry to be filed without a person looking at it. A contract's
 * depend on its type, as in a legal pipeline: an NDA binds named parties for a term to keep
 * information confidential; a service agreement binds them for a term and limits their liability;
 * any other contract at least names its parties. A signature is read, never required: a scan of
 * the signed copy and the final draft are filed alike.
 */
export const REQUIRED_FIELDS: Record<Exclude<DocumentClass, 'CONTRACT'>, string[]> & { CONTRACT: Record<ContractType, string[]> } = {
  INVOICE: ['invoiceNumber', 'invoiceDate', 'total'],
  RECEIPT: ['date', 'total'],
  CONTRACT: {
    NDA: ['parties', 'term', 'confidentiality'],
    SERVICE_AGREEMENT: ['parties', 'term', 'liability'],
    OTHER: ['parties'],
  },
  OTHER: [],
};

export const requiredFieldsOf = (documentClass: DocumentClass, contractType?: ContractType | null): string[] =>
  documentClass === 'CONTRACT' ? REQUIRED_FIELDS.CONTRACT[contractType ?? 'OTHER'] : REQUIRED_FIELDS[documentClass];

const CONTRACT_NAMES: Record<ContractType, string> = { NDA: 'an NDA', SERVICE_AGREEMENT: 'a service agreement', OTHER: 'a contract' };

export const requiredFieldsCheck = (documentClass: DocumentClass, fields: Fields, contractType?: ContractType | null): CheckResult => {
  const required = requiredFieldsOf(documentClass, contractType);
  const missing = required.filter((field) => !fields[field]);
  if (required.length === 0) return { name: 'required-fields', passed: true, detail: `nothing is required of ${documentClass}` };
  // A contract's detail says which rule applied: the same missing term fails an NDA and not a lease.
  const rule = documentClass === 'CONTRACT' ? ` (${CONTRACT_NAMES[contractType ?? 'OTHER']} needs ${required.join(', ')})` : '';
  return missing.length === 0
    ? { name: 'required-fields', passed: true, detail: `found ${required.join(', ')}${rule}` }
    : { name: 'required-fields', passed: false, detail: `missing ${missing.join(', ')}${rule}` };
};

/**
 * The prohibited terms as configured: phrases separated by ";" (a stage parameter, so legal can
 * change the list without a release). Case and spacing do not matter.
 */
export const parseProhibitedTerms = (setting: string): string[] =>
  [...new Set(setting.split(';').map((term) => term.trim().toLowerCase().replace(/\s+/g, ' ')).filter((term) => term.length > 0))];

export const DEFAULT_PROHIBITED_TERMS = 'unlimited liability; uncapped liability; unlimited indemnity; liability shall not be limited';

const normalised = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * Every prohibited term found, with the page it starts on. The lines are read as one run of text,
 * since a clause wraps: "unlimited" at the end of one line (or page), "liability" on the next. A
 * term found is a flag for a person, not a verdict ("no unlimited liability" is flagged too, on purpose).
 */
export const prohibitedTermsCheck = (text: DocumentText, terms: string[]): CheckResult => {
  let content = ' ';
  const lineStarts: { at: number; page: number }[] = [];
  for (const line of text.lines) {
    lineStarts.push({ at: content.length, page: line.page });
    content += `${normalised(line.text)} `;
  }
  const pageAt = (offset: number) => lineStarts.findLast((line) => line.at <= offset)?.page;
  const found: string[] = [];
  for (const term of terms) {
    // The match starts at the space before the term: its first letter is one further on.
    const offset = content.indexOf(` ${normalised(term)} `);
    if (offset >= 0) found.push(`"${term}" on page ${pageAt(offset + 1)}`);
  }
  return found.length === 0
    ? { name: 'prohibited-terms', passed: true, detail: `none of ${terms.length} prohibited terms found` }
    : { name: 'prohibited-terms', passed: false, detail: `found ${found.join(', ')}` };
};
