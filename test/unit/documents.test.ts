import { createDocument, UPLOAD_URL_LIFETIME_SECONDS, type DocumentStore, type PutToSign, type UploadUrls } from '../../functions/shared/documents/create-document.js';
import { getDocument, type DocumentRow } from '../../functions/shared/documents/document.js';
import { parseUploadRequest } from '../../functions/shared/documents/upload-request.js';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const DOCUMENT_ID = `doc_${'a'.repeat(32)}`;

const memoryStore = () => {
  const rows = new Map<string, DocumentRow>();
  const store: DocumentStore & { find(id: string): Promise<DocumentRow | undefined> } = {
    async create(row) {
      if (rows.has(row.documentId)) return false;
      rows.set(row.documentId, row);
      return true;
    },
    find: async (documentId) => rows.get(documentId),
  };
  return { rows, store };
};

const signingUrls = (): UploadUrls & { signed: PutToSign[] } => {
  const signed: PutToSign[] = [];
  return {
    signed,
    async presignPut(put) {
      signed.push(put);
      return `https://bucket.example/${put.objectKey}?signature=x`;
    },
  };
};

describe('parseUploadRequest', () => {
  it('takes a filename, a supported content type (any case) and a size', () => {
    expect(parseUploadRequest({ filename: 'Scan 01.TIFF', contentType: 'Image/TIFF', size: 5 })).toEqual({ filename: 'Scan 01.TIFF', contentType: 'image/tiff', size: 5 });
  });

  it('names every malformed field at once', () => {
    expect(() => parseUploadRequest({ filename: '', contentType: 7, size: -1, owner: 'x' })).toThrow(expect.objectContaining({
      name: 'InvalidDocumentRequest',
      problems: [
        { field: 'owner', problem: 'is not a recognised field' },
        { field: 'filename', problem: 'is required and must be a non-empty string' },
        { field: 'contentType', problem: 'is required and must be a media type such as "application/pdf"' },
        { field: 'size', problem: 'is required and must be a whole number of bytes, at least 1' },
      ],
    }));
  });

  it.each(['a/b.pdf', 'a\\b.pdf', 'line\nbreak.pdf', 'x'.repeat(256)])('refuses the filename %j', (filename) => {
    expect(() => parseUploadRequest({ filename, contentType: 'application/pdf', size: 1 })).toThrow(expect.objectContaining({ name: 'InvalidDocumentRequest' }));
  });

  it('refuses a well-formed but unsupported type with UnsupportedDocumentType, before looking at the size', () => {
    expect(() => parseUploadRequest({ filename: 'a.gif', contentType: 'image/gif', size: 50 * 1024 * 1024 })).toThrow(expect.objectContaining({ name: 'UnsupportedDocumentType' }));
  });

  it('takes 10 MB and refuses a byte more with DocumentTooLarge', () => {
    expect(parseUploadRequest({ filename: 'a.pdf', contentType: 'application/pdf', size: 10_485_760 }).size).toBe(10_485_760);
    expect(() => parseUploadRequest({ filename: 'a.pdf', contentType: 'application/pdf', size: 10_485_761 })).toThrow(expect.objectContaining({ name: 'DocumentTooLarge' }));
  });

  it('refuses a body that is not an object', () => {
    expect(() => parseUploadRequest(['a.pdf'])).toThrow(expect.objectContaining({ name: 'InvalidDocumentRequest' }));
  });
});

describe('createDocument', () => {
  it('records an UPLOAD_PENDING row owned by the caller and signs a PUT for its key, content type and size', async () => {
    const { rows, store } = memoryStore();
    const urls = signingUrls();

    const ticket = await createDocument(store, urls, () => NOW, () => DOCUMENT_ID)('alice', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 });

    expect(ticket).toEqual({
      documentId: DOCUMENT_ID,
      uploadUrl: `https://bucket.example/uploads/${DOCUMENT_ID}?signature=x`,
      expiresAt: new Date(NOW.getTime() + UPLOAD_URL_LIFETIME_SECONDS * 1000).toISOString(),
    });
    expect(urls.signed).toEqual([{ objectKey: `uploads/${DOCUMENT_ID}`, contentType: 'application/pdf', size: 10, signedAt: NOW, expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS }]);
    expect(rows.get(DOCUMENT_ID)).toMatchObject({ customerId: 'alice', status: 'UPLOAD_PENDING', objectKey: `uploads/${DOCUMENT_ID}`, filename: 'a.pdf', size: 10 });
  });

  it('writes nothing when signing fails', async () => {
    const { rows, store } = memoryStore();
    const failing: UploadUrls = { presignPut: () => Promise.reject(new Error('no credentials')) };

    await expect(createDocument(store, failing, () => NOW, () => DOCUMENT_ID)('alice', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 })).rejects.toThrow('no credentials');
    expect(rows.size).toBe(0);
  });

  it('never overwrites a document whose id is taken', async () => {
    const { store } = memoryStore();
    const create = createDocument(store, signingUrls(), () => NOW, () => DOCUMENT_ID);
    await create('alice', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 });

    await expect(create('mallory', { filename: 'b.pdf', contentType: 'application/pdf', size: 10 })).rejects.toThrow(/already exists/);
    expect((await store.find(DOCUMENT_ID))?.customerId).toBe('alice');
  });
});

describe('getDocument', () => {
  const row: DocumentRow = {
    documentId: DOCUMENT_ID, customerId: 'alice', status: 'FILED', filename: 'a.pdf', contentType: 'application/pdf', size: 10,
    objectKey: `uploads/${DOCUMENT_ID}`, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
    class: 'INVOICE', confidence: 0.9, fields: { invoiceNumber: 'INV-1' }, checks: [{ name: 'required-fields', passed: true, detail: 'all present' }],
  };
  const reader = { find: async (id: string) => (id === DOCUMENT_ID ? row : undefined) };

  it('shows its uploader the document, with nulls for what is not known', async () => {
    expect(await getDocument(reader)(DOCUMENT_ID, 'alice')).toMatchObject({
      documentId: DOCUMENT_ID, status: 'FILED', class: 'INVOICE', confidence: 0.9, fields: { invoiceNumber: 'INV-1' }, approval: null, failure: null,
    });
  });

  it('shows no execution ARN, account id, object key or version: what operators find by the document id', async () => {
    const withInternals = { ...row, executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:sfn-orders-prod-document-processing:x', uploadVersionId: 'v1', resultKey: `filed/${DOCUMENT_ID}.json` };

    const view = await getDocument({ find: async () => withInternals })(DOCUMENT_ID, 'alice');

    expect(JSON.stringify(view)).not.toMatch(/arn:|123456789012|uploads\/|filed\/|v1/);
  });

  it("answers DocumentNotFound for someone else's document, as for an unknown one", async () => {
    await expect(getDocument(reader)(DOCUMENT_ID, 'mallory')).rejects.toMatchObject({ name: 'DocumentNotFound' });
    await expect(getDocument(reader)(`doc_${'b'.repeat(32)}`, 'alice')).rejects.toMatchObject({ name: 'DocumentNotFound' });
  });

  it('refuses a malformed id with InvalidDocumentId', async () => {
    await expect(getDocument(reader)('ord_123', 'alice')).rejects.toMatchObject({ name: 'InvalidDocumentId' });
    await expect(getDocument(reader)(undefined, 'alice')).rejects.toMatchObject({ name: 'InvalidDocumentId' });
  });
});
