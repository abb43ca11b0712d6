import type { DocumentArtefacts, FiledDocument } from '../../../functions/shared/documents/document-artefacts.js';
import { ARTEFACT_KEYS } from '../../../functions/shared/documents/document-artefacts.js';
import type { TextBlock, TextLine } from '../../../functions/shared/documents/document-text.js';

/** The documents bucket's artefacts in memory: what a step wrote is what the next step reads. */
export const memoryArtefacts = () => {
  const objects = new Map<string, unknown>();
  const read = <T>(key: string): T => {
    if (!objects.has(key)) throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: 'NoSuchKey' });
    return structuredClone(objects.get(key)) as T;
  };
  const write = (key: string, value: unknown) => {
    objects.set(key, structuredClone(value));
    return Promise.resolve(key);
  };
  const artefacts: DocumentArtefacts = {
    putPageBlocks: (documentId, page, blocks) => write(ARTEFACT_KEYS.pageBlocks(documentId, page), blocks),
    getPageBlocks: async (documentId, page) => read<TextBlock[]>(ARTEFACT_KEYS.pageBlocks(documentId, page)),
    putPageText: (documentId, page, lines) => write(ARTEFACT_KEYS.pageText(documentId, page), lines),
    getPageText: async (documentId, page) => read<TextLine[]>(ARTEFACT_KEYS.pageText(documentId, page)),
    putResult: (documentId, result: FiledDocument) => write(ARTEFACT_KEYS.result(documentId), result),
  };
  return { objects, artefacts };
};

/** Textract-shaped blocks for lines of text on pages: a PAGE block per page, a LINE per line. */
export const blocksOf = (pages: string[][], confidence = 96): TextBlock[] =>
  pages.flatMap((lines, index) => [
    { BlockType: 'PAGE', Page: index + 1 },
    ...lines.map((text) => ({ BlockType: 'LINE', Page: index + 1, Text: text, Confidence: confidence })),
    ...lines.flatMap((text) => text.split(' ').map((word) => ({ BlockType: 'WORD', Page: index + 1, Text: word, Confidence: confidence }))),
  ]);
