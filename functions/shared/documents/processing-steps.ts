import { prohibitedTermsCheck, requiredFieldsCheck } from './checks.js';
import { classify } from './classify.js';
import { contractTypeOf } from './contract-fields.js';
import type { CheckResult, ContractType, DocumentClass } from './document.js';
import type { DocumentArtefacts } from './document-artefacts.js';
import { documentTextOf, type DocumentText } from './document-text.js';
import { extractFields, type Fields } from './fields.js';

/** One iteration of the Map over pages: the page's LINE blocks become its text, in S3. */
export const extractPageText = (artefacts: DocumentArtefacts) =>
  async (input: { documentId: string; page: number }): Promise<{ page: number; lines: number }> => {
    const { lines } = documentTextOf(await artefacts.getPageBlocks(input.documentId, input.page));
    const onThisPage = lines.map((line) => ({ ...line, page: input.page }));
    await artefacts.putPageText(input.documentId, input.page, onThisPage);
    return { page: input.page, lines: onThisPage.length };
  };

/** The whole document's text, page by page, from what the Map wrote. */
export const readDocumentText = async (artefacts: DocumentArtefacts, documentId: string, pageCount: number): Promise<DocumentText> => {
  const lines = [];
  for (let page = 1; page <= pageCount; page += 1) lines.push(...await artefacts.getPageText(documentId, page));
  return { pages: pageCount, lines };
};

export interface DocumentClassification {
  class: DocumentClass;
  /** A CONTRACT's type; null for any other class (the state machine's paths need the key). */
  contractType: ContractType | null;
  confidence: number;
  fields: Fields;
}

/** What a document is and what it says, from its text alone: the classification step, without S3. */
export const readDocument = (text: DocumentText): DocumentClassification => {
  const { class: documentClass, confidence } = classify(text);
  return {
    class: documentClass,
    contractType: documentClass === 'CONTRACT' ? contractTypeOf(text) : null,
    confidence,
    fields: extractFields(documentClass, text),
  };
};

export const classifyDocument = (artefacts: DocumentArtefacts) =>
  async (input: { documentId: string; pageCount: number }): Promise<DocumentClassification> =>
    readDocument(await readDocumentText(artefacts, input.documentId, input.pageCount));

export const checkRequiredFields = async (input: { documentId?: string; class: DocumentClass; contractType?: ContractType | null; fields: Fields }): Promise<CheckResult> =>
  requiredFieldsCheck(input.class, input.fields, input.contractType);

export const checkProhibitedTerms = (artefacts: DocumentArtefacts, terms: string[]) =>
  async (input: { documentId: string; pageCount: number }): Promise<CheckResult> =>
    prohibitedTermsCheck(await readDocumentText(artefacts, input.documentId, input.pageCount), terms);
