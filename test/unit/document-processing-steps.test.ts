import { ARTEFACT_KEYS } from '../../functions/shared/documents/document-artefacts.js';
import { checkProhibitedTerms, checkRequiredFields, classifyDocument, extractPageText } from '../../functions/shared/documents/processing-steps.js';
import { recordDocumentResult, type DocumentResult, type DocumentResultStore } from '../../functions/shared/documents/record-result.js';
import { blocksOf, memoryArtefacts } from './support/document-artefacts.js';

const DOCUMENT_ID = `doc_${'c'.repeat(32)}`;
const NOW = new Date('2026-11-24T12:00:00.000Z');

/** Runs the Map's step over every page, as the workflow does, after text detection stored the blocks. */
const extracted = async (pages: string[][]) => {
  const memory = memoryArtefacts();
  const blocks = blocksOf(pages);
  for (const [index] of pages.entries()) {
    await memory.artefacts.putPageBlocks(DOCUMENT_ID, index + 1, blocks.filter((block) => block.Page === index + 1));
  }
  for (const [index] of pages.entries()) await extractPageText(memory.artefacts)({ documentId: DOCUMENT_ID, page: index + 1 });
  return memory;
};

describe('extractPageText', () => {
  it('writes the lines of one page, in reading order, and answers how many', async () => {
    const { artefacts, objects } = memoryArtefacts();
    await artefacts.putPageBlocks(DOCUMENT_ID, 2, blocksOf([[], ['Term: twelve months', 'Signed by Ada Lovelace']]).filter((block) => block.Page === 2));

    const answer = await extractPageText(artefacts)({ documentId: DOCUMENT_ID, page: 2 });

    expect(answer).toEqual({ page: 2, lines: 2 });
    expect(objects.get(ARTEFACT_KEYS.pageText(DOCUMENT_ID, 2))).toEqual([
      { page: 2, text: 'Term: twelve months', confidence: 96 },
      { page: 2, text: 'Signed by Ada Lovelace', confidence: 96 },
    ]);
  });
});

describe('classifyDocument', () => {
  it('classifies the whole text of a multi-page contract and extracts its fields across pages', async () => {
    const { artefacts } = await extracted([
      ['SERVICES AGREEMENT', 'This Agreement is made between Acme Limited and Globex Corporation.'],
      ['1. Term. This Agreement has a term of twelve months from the date of signature.', 'The parties shall act in good faith.'],
      ['Signed by Ada Lovelace'],
    ]);

    const classification = await classifyDocument(artefacts)({ documentId: DOCUMENT_ID, pageCount: 3 });

    expect(classification.class).toBe('CONTRACT');
    expect(classification.contractType).toBe('SERVICE_AGREEMENT');
    expect(classification.confidence).toBeGreaterThan(0.5);
    expect(classification.fields).toEqual({ title: 'SERVICES AGREEMENT', parties: 'Acme Limited; Globex Corporation', term: 'twelve months', signature: 'Ada Lovelace' });
  });
});

describe('the checks as workflow steps', () => {
  it('finds a prohibited clause that wraps onto the next line, naming its page', async () => {
    const { artefacts } = await extracted([['MASTER SERVICES CONTRACT'], ['The Supplier accepts unlimited', 'liability for any loss.']]);

    const check = await checkProhibitedTerms(artefacts, ['unlimited liability'])({ documentId: DOCUMENT_ID, pageCount: 2 });

    expect(check).toEqual({ name: 'prohibited-terms', passed: false, detail: 'found "unlimited liability" on page 2' });
  });

  it('checks the fields its class requires', async () => {
    expect(await checkRequiredFields({ class: 'INVOICE', contractType: null, fields: { invoiceNumber: 'INV-1', total: '9.00' } }))
      .toEqual({ name: 'required-fields', passed: false, detail: 'missing invoiceDate' });
  });

  it("checks what a contract's type requires: an NDA its confidentiality obligation, another contract only its parties", async () => {
    const fields = { parties: 'Acme Ltd; Globex Inc', term: 'two years' };

    expect(await checkRequiredFields({ class: 'CONTRACT', contractType: 'NDA', fields }))
      .toEqual({ name: 'required-fields', passed: false, detail: 'missing confidentiality (an NDA needs parties, term, confidentiality)' });
    expect(await checkRequiredFields({ class: 'CONTRACT', contractType: 'OTHER', fields: { parties: fields.parties } }))
      .toEqual({ name: 'required-fields', passed: true, detail: 'found parties (a contract needs parties)' });
  });
});

describe('recordDocumentResult', () => {
  const recordingStore = (applies = true) => {
    const updates: { documentId: string; update: Record<string, unknown> }[] = [];
    const store: DocumentResultStore = {
      async recordResult(documentId, update) {
        updates.push({ documentId, update });
        return applies;
      },
    };
    return { store, updates };
  };
  const result = (overrides: Partial<DocumentResult> = {}): DocumentResult => ({
    documentId: DOCUMENT_ID,
    status: 'FILED',
    classification: { class: 'INVOICE', contractType: null, confidence: 0.91, fields: { invoiceNumber: 'INV-1', invoiceDate: '2026-11-02', total: 'EUR 9.00' } },
    checks: [{ name: 'required-fields', passed: true, detail: 'found invoiceNumber, invoiceDate, total' }, { name: 'prohibited-terms', passed: true, detail: 'none found' }],
    approval: null,
    pageCount: 1,
    ...overrides,
  });

  it('files: the result as JSON in S3 first, then the row with its key', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const { store, updates } = recordingStore();

    const answer = await recordDocumentResult(store, artefacts, () => NOW)(result());

    expect(answer).toEqual({ status: 'FILED', recorded: true, resultKey: `filed/${DOCUMENT_ID}.json` });
    expect(objects.get(`filed/${DOCUMENT_ID}.json`)).toEqual({
      documentId: DOCUMENT_ID, class: 'INVOICE', confidence: 0.91, fields: result().classification.fields, checks: result().checks, approval: null, pages: 1, filedAt: NOW.toISOString(),
    });
    expect(updates).toEqual([{ documentId: DOCUMENT_ID, update: {
      status: 'FILED', class: 'INVOICE', confidence: 0.91, fields: result().classification.fields, checks: result().checks, resultKey: `filed/${DOCUMENT_ID}.json`, updatedAt: NOW.toISOString(),
    } }]);
  });

  it("keeps a contract's type on the row and in the filed result; no other class gets the key", async () => {
    const { artefacts, objects } = memoryArtefacts();
    const { store, updates } = recordingStore();
    const contract = { class: 'CONTRACT' as const, contractType: 'NDA' as const, confidence: 0.9, fields: { parties: 'A Ltd; B Inc', term: 'two years', confidentiality: 'Each party shall keep…' } };

    await recordDocumentResult(store, artefacts, () => NOW)(result({ classification: contract }));
    await recordDocumentResult(store, artefacts, () => NOW)(result({ status: 'AWAITING_APPROVAL' }));

    expect(updates[0]?.update).toMatchObject({ class: 'CONTRACT', contractType: 'NDA' });
    expect(objects.get(`filed/${DOCUMENT_ID}.json`)).toMatchObject({ class: 'CONTRACT', contractType: 'NDA' });
    expect(updates[1]?.update).not.toHaveProperty('contractType');
  });

  it('records who approved a filed document', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const { store, updates } = recordingStore();
    const approval = { approvalId: `approve-${DOCUMENT_ID}`, status: 'APPROVED', decidedBy: 'legal@example.com', decidedAt: NOW.toISOString(), comment: 'ok' };

    await recordDocumentResult(store, artefacts, () => NOW)(result({ approval }));

    expect(updates[0]?.update.approval).toEqual(approval);
    expect((objects.get(`filed/${DOCUMENT_ID}.json`) as { approval: unknown }).approval).toEqual(approval);
  });

  it('writes nothing to S3 for a document that waits (its approval PENDING) or needs review, and keeps the reason', async () => {
    const { artefacts, objects } = memoryArtefacts();
    const { store, updates } = recordingStore();

    await recordDocumentResult(store, artefacts, () => NOW)(result({ status: 'AWAITING_APPROVAL' }));
    await recordDocumentResult(store, artefacts, () => NOW)(result({ status: 'NEEDS_REVIEW', reason: 'Nobody decided in time.' }));

    expect(objects.size).toBe(0);
    expect(updates.map(({ update }) => [update.status, update.failureReason, update.resultKey, update.approval])).toEqual([
      ['AWAITING_APPROVAL', undefined, undefined, { status: 'PENDING', decidedBy: null, decidedAt: null, comment: null }],
      ['NEEDS_REVIEW', 'Nobody decided in time.', undefined, undefined],
    ]);
  });

  it('answers recorded: false when the document had already finished, changing nothing', async () => {
    const { store } = recordingStore(false);

    const answer = await recordDocumentResult(store, memoryArtefacts().artefacts, () => NOW)(result({ status: 'REJECTED' }));

    expect(answer).toEqual({ status: 'REJECTED', recorded: false });
  });

  it('refuses a status the workflow does not write this way', async () => {
    const { store, updates } = recordingStore();

    await expect(recordDocumentResult(store, memoryArtefacts().artefacts)(result({ status: 'FAILED' as never }))).rejects.toThrow('cannot record status FAILED');
    expect(updates).toEqual([]);
  });
});
