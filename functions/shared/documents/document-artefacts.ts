import type { CheckResult, ContractType, DocumentClass } from './document.js';
import type { TextBlock, TextLine } from './document-text.js';
import type { Fields } from './fields.js';

/**
 * What the workflow keeps of a document outside its state: Textract's blocks and the text of each
 * page can be megabytes (a state holds 256 KB), so they live in S3 and the state carries keys.
 */
export interface DocumentArtefacts {
  putPageBlocks(documentId: string, page: number, blocks: TextBlock[]): Promise<string>;
  getPageBlocks(documentId: string, page: number): Promise<TextBlock[]>;
  putPageText(documentId: string, page: number, lines: TextLine[]): Promise<string>;
  getPageText(documentId: string, page: number): Promise<TextLine[]>;
  putResult(documentId: string, result: FiledDocument): Promise<string>;
}

/** What filing keeps for good: the document's reading, next to its upload. */
export interface FiledDocument {
  documentId: string;
  class: DocumentClass;
  contractType?: ContractType;
  confidence: number;
  fields: Fields;
  checks: CheckResult[];
  approval: Record<string, unknown> | null;
  pages: number;
  filedAt: string;
}

// Zero-padded so a listing of a 3,000-page document sorts in page order.
const pageName = (page: number) => `page-${String(page).padStart(5, '0')}.json`;

export const ARTEFACT_KEYS = {
  pageBlocks: (documentId: string, page: number) => `processing/${documentId}/blocks/${pageName(page)}`,
  pageText: (documentId: string, page: number) => `processing/${documentId}/text/${pageName(page)}`,
  result: (documentId: string) => `filed/${documentId}.json`,
};
