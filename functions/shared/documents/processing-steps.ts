import { prohibitedTermsCheck, requiredFieldsCheck } from './checks.js';
import { classify } from './classify.js';
import type { CheckResult, DocumentClass } from './document.js';
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
  confidence: number;
  fields: Fields;
}

export const classifyDocument = (artefacts: DocumentArtefacts) =>
  async (input: { documentId: string; pageCount: number }): Promise<DocumentClassification> => {
    const text = await readDocumentText(artefacts, input.documentId, input.pageCount);
    const { class: documentClass, confidence } = classify(text);
    return { class: documentClass, confidence, fields: extractFields(documentClass, text) };
  };

export const checkRequiredFields = async (input: { documentId?: string; class: DocumentClass; fields: Fields }): Promise<CheckResult> =>
  requiredFieldsCheck(input.class, input.fields);

export const checkProhibitedTerms = (artefacts: DocumentArtefacts, terms: string[]) =>
  async (input: { documentId: string; pageCount: number }): Promise<CheckResult> =>
    prohibitedTermsCheck(await readDocumentText(artefacts, input.documentId, input.pageCount), terms);
