import { requiredFieldsCheck } from '../../functions/shared/documents/checks.js';
import { contractTypeOf } from '../../functions/shared/documents/contract-fields.js';
import { documentTextOf, type DocumentText, type TextBlock, type TextLine } from '../../functions/shared/documents/document-text.js';
import { toDocumentView, type DocumentRow } from '../../functions/shared/documents/document.js';
import { extractFields } from '../../functions/shared/documents/fields.js';
import { Labels } from '../../functions/shared/documents/labels.js';
import { readDocument } from '../../functions/shared/documents/processing-steps.js';
import { findAmount, findDate, readName } from '../../functions/shared/documents/values.js';
import { textOf } from './support/document-texts.js';

/** Lines with where they are on the page: [text, left, top] as fractions of the page, 1.5% tall. */
const placed = (rows: [string, number, number][], page = 1): DocumentText => ({
  pages: page,
  lines: rows.map(([text, left, top]): TextLine => ({ page, text, confidence: 95, box: { left, top, width: text.length * 0.009, height: 0.015 } })),
});

/**
 * A LINE and its WORDs as Textract answers them: words at the given left edges on a line at `top`;
 * on a crooked page (`tilt`) each word lower the further right it is, the LINE around them all.
 */
const lineBlocks = (id: string, words: [string, number][], top = 0.1, tilt = 0): TextBlock[] => [
  {
    BlockType: 'LINE', Id: id, Page: 1, Confidence: 90, Text: words.map(([text]) => text).join(' '),
    Geometry: { BoundingBox: { Left: words[0]![1], Top: top + tilt * words[0]![1], Width: words.at(-1)![1] + 0.05 - words[0]![1], Height: 0.012 + tilt * (words.at(-1)![1] - words[0]![1]) } },
    Relationships: [{ Type: 'CHILD', Ids: words.map((_, index) => `${id}-${index}`) }],
  },
  ...words.map(([text, left], index): TextBlock => ({
    BlockType: 'WORD', Id: `${id}-${index}`, Page: 1, Confidence: 90, Text: text,
    Geometry: { BoundingBox: { Left: left, Top: top + tilt * left, Width: text.length * 0.008, Height: 0.012 } },
  })),
];

describe('dates and amounts as printed', () => {
  it.each([
    ['Invoice date 2026-11-02', '2026-11-02'],
    ['Issued: 02/11/2026', '02/11/2026'],
    ['Date 02.11.26 09:14', '02.11.26'],
    ['dated 2 November 2026', '2 November 2026'],
    ['on Nov 2, 2026 at noon', 'Nov 2, 2026'],
    ['Tax point 02-Nov-2026', '02-Nov-2026'],
    ['made on the 2nd day of November 2026', '2nd day of November 2026'],
  ])('finds the date in %j', (text, date) => {
    expect(findDate(text)?.text).toBe(date);
  });

  it.each([
    ['Total due: EUR 1,416.00', 'EUR 1,416.00'],
    ['Total 1.416,00 €', '1.416,00 €'],
    ['Amount due CHF 4\'212.30', 'CHF 4\'212.30'],
    ['Grand total 10 761,30 USD', '10 761,30 USD'],
    ['Balance Due —USD 6,363.09', 'USD 6,363.09'],
    ['VAT 20% 160.00', '160.00'],
    ['Net Amount €7, 694.00', '€7, 694.00'],
  ])('finds the amount in %j', (text, amount) => {
    expect(findAmount(text)?.text).toBe(amount);
  });

  it('takes no quantity, rate, year or house number for an amount', () => {
    expect(findAmount('Qty 12')).toBeUndefined();
    expect(findAmount('VAT 20%')).toBeUndefined();
    expect(findAmount('Since 2026')).toBeUndefined();
    expect(findAmount('Flat 3, 19 Bedford Place')).toBeUndefined();
  });

  it('ends a name where its description starts, keeping "Inc." but not a full stop', () => {
    expect(readName('Pinecrest Software Inc., a Delaware corporation')).toBe('Pinecrest Software Inc.');
    expect(readName('Pied Piper Ltd.')).toBe('Pied Piper Ltd');
    expect(readName('Umbrella Corporation Dated 1 December 2026')).toBe('Umbrella Corporation');
    expect(readName('Priya Raman, of 14 Cedar Close')).toBe('Priya Raman');
    expect(readName('Bank of Ireland plc ("the Lender")')).toBe('Bank of Ireland plc');
  });
});

describe('labels as the OCR reads them', () => {
  const labels = new Labels([
    { field: 'invoiceNumber', text: 'Invoice Number' }, { field: 'customer', text: 'Billed To' }, { field: 'dueDate', text: 'Date Due' },
    { field: 'total', text: 'Total' }, { field: 'subtotal', text: 'Total excl. VAT' }, { field: 'supplier', text: 'Supplier' },
  ]);
  const fields = (text: string) => labels.find(text).map((hit) => hit.label.field);

  it('finds a label whose first letter fell off the page, or was misread', () => {
    expect(fields('nvoice Number: INV-20931')).toEqual(['invoiceNumber']);
    expect(fields('3illed to')).toEqual(['customer']);
  });

  it('finds a label the OCR ran together', () => {
    expect(fields('DateDue 25-Dec-2027')).toEqual(['dueDate']);
  });

  it('reads the longer label where two start at one place', () => {
    expect(fields('Total excl. VAT 8.695,75 £')).toEqual(['subtotal']);
  });

  it('does not take a near miss in the middle of prose for a label', () => {
    expect(fields('Dental supplies, assorted')).toEqual([]);
  });
});

describe('document text with positions', () => {
  it('splits an OCR line that spans columns into one line per column, keeping where each is', () => {
    const text = documentTextOf([{ BlockType: 'PAGE', Page: 1 }, ...lineBlocks('l1', [['Germany', 0.06], ['Tax', 0.72], ['Point', 0.755], ['26-Oct-2027', 0.82]])]);

    expect(text.lines.map((line) => line.text)).toEqual(['Germany', 'Tax Point', '26-Oct-2027']);
    expect(text.lines[2]?.box?.left).toBeCloseTo(0.82);
  });

  it('splits at a table rule the OCR read as "|"', () => {
    const text = documentTextOf(lineBlocks('l1', [['14', 0.25], ['Sep', 0.27], ['2025', 0.3], ['|', 0.34], ['£6,374.70', 0.36]]));

    expect(text.lines.map((line) => line.text)).toEqual(['14 Sep 2025', '£6,374.70']);
  });

  it('takes a crooked page\'s tilt out, so a label and its value share a row again', () => {
    // Falling 0.05 of the page's height across its width: the value at the right is a line lower than its label.
    const sentence: [string, number][] = ['The', 'receipt', 'was', 'photographed', 'at', 'an', 'angle', 'by', 'a', 'customer', 'in', 'a', 'hurry'].map((word, index) => [word, 0.1 + index * 0.06]);
    const blocks = [...lineBlocks('a', sentence, 0.1, 0.05), ...lineBlocks('b', [['Total', 0.1]], 0.5, 0.05), ...lineBlocks('c', [['€99.92', 0.8]], 0.5, 0.05), ...lineBlocks('d', [['Change', 0.1]], 0.535, 0.05)];
    const text = documentTextOf(blocks);

    const boxOf = (words: string) => text.lines.find((line) => line.text === words)!.box!;
    expect(Math.abs(boxOf('Total').top - boxOf('€99.92').top)).toBeLessThan(0.003);
    expect(extractFields('RECEIPT', text).total).toBe('€99.92');
  });
});

describe('invoices read as forms', () => {
  it('reads "nvoice Number" that lost its first letter at the page edge, and files the invoice', () => {
    const text = textOf([['Northwind Supplies Ltd', 'nvoice Number: INV-20931', 'Invoice Date: 2026-11-02', 'Bill To: Acme Limited', 'Total due: EUR 960.00']]);

    const reading = readDocument(text);

    expect(reading.class).toBe('INVOICE');
    expect(reading.fields).toMatchObject({ invoiceNumber: 'INV-20931', invoiceDate: '2026-11-02', total: 'EUR 960.00' });
    expect(requiredFieldsCheck(reading.class, reading.fields).passed).toBe(true);
  });

  it('reads a value in the next column of its label\'s row, and one under its label', () => {
    const text = placed([
      ['Meridian Logistics GmbH', 0.06, 0.03], ['INVOICE', 0.8, 0.03],
      ['Invoice #', 0.7, 0.07], ['3408', 0.9, 0.07],
      ['Date', 0.7, 0.09], ['26-Oct-2027', 0.85, 0.09],
      ['CUSTOMER', 0.06, 0.16], ['Grace Mbeki', 0.06, 0.18], ['101 Long Street', 0.06, 0.2],
      ['Description', 0.06, 0.24], ['Amount', 0.88, 0.24],
      ['Net Total', 0.7, 0.36], ['5,891.75', 0.88, 0.36],
      ['VAT (8%)', 0.7, 0.38], ['471.34', 0.88, 0.38],
      ['Balance Due', 0.7, 0.4], ['USD 6,363.09', 0.85, 0.4],
    ]);

    expect(extractFields('INVOICE', text)).toEqual({
      invoiceNumber: '3408', invoiceDate: '26-Oct-2027', supplier: 'Meridian Logistics GmbH', customer: 'Grace Mbeki',
      subtotal: '5,891.75', tax: '471.34', total: 'USD 6,363.09',
    });
  });

  it('reads a row of labels over a row of values, each value under its own label', () => {
    const text = placed([
      ['Saffron Print House', 0.06, 0.03],
      ['INVOICE NO', 0.07, 0.13], ['ISSUED', 0.26, 0.13], ['DATE DUE', 0.44, 0.13], ['AMOUNT DUE', 0.63, 0.13],
      ['INV-2208', 0.07, 0.15], ['03/11/2025', 0.26, 0.15], ['02/01/2026', 0.44, 0.15], ['7,381.87 EUR', 0.63, 0.15],
    ]);

    expect(extractFields('INVOICE', text)).toMatchObject({ invoiceNumber: 'INV-2208', invoiceDate: '03/11/2025', dueDate: '02/01/2026', total: '7,381.87 EUR' });
  });

  it('takes the amount due, not the subtotal, and never a tax rate for the tax', () => {
    const text = textOf([['INVOICE', 'Invoice No. A/2026/311', 'Subtotal: 1.180,00 €', 'VAT 20%: 236,00 €', 'Amount due: 1.416,00 €']]);

    expect(extractFields('INVOICE', text)).toMatchObject({ subtotal: '1.180,00 €', tax: '236,00 €', total: '1.416,00 €' });
  });

  it('finds the customer of a window envelope, printed without a label under the sender line', () => {
    const text = textOf([['Quayside Catering Co.', '3 Harbour Walk, Cork', 'Quayside Catering Co. · 3 Harbour Walk', 'Brightwater Energy AG', 'Bahnhofstrasse 45', 'Invoice', 'Invoice No: INV2025547   Date: 10/25/2025']]);

    expect(extractFields('INVOICE', text)).toMatchObject({ supplier: 'Quayside Catering Co.', customer: 'Brightwater Energy AG', invoiceNumber: 'INV2025547', invoiceDate: '10/25/2025' });
  });

  it('reads a receipt that never says "receipt": a till roll paid by card', () => {
    const text = textOf([['Orchard Street Bakery', '5 Orchard Street', 'Feb 17, 2025 20:48', 'Sourdough loaf 4.20', 'TOTAL 40,69 €', 'incl. VAT 20% 6,78', 'CARD 40,69', 'Thank you for shopping with us']]);

    const reading = readDocument(text);

    expect(reading.class).toBe('RECEIPT');
    expect(reading.fields).toEqual({ merchant: 'Orchard Street Bakery', date: 'Feb 17, 2025', tax: '6,78', total: '40,69 €' });
    expect(requiredFieldsCheck('RECEIPT', reading.fields).passed).toBe(true);
  });
});

describe('contracts read as sentences', () => {
  it('reads parties described at length over several lines, and the term wrapped between two lines', () => {
    const text = textOf([[
      'SERVICES AGREEMENT',
      'This Services Agreement (the "Agreement") is entered into as of March 3, 2026 (the "Effective Date") by and between',
      'Bluefin Analytics Ltd, a company registered in England and Wales under number 08812345 ("Supplier"), and Globex',
      'Corporation, a Delaware corporation ("Customer").',
      '1. Term. This Agreement shall continue for a period of twelve',
      '(12) months from the Effective Date.',
      '2. Liability. Neither party\'s total liability shall exceed the fees paid in the twelve months preceding the claim.',
      '3. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State of New York, without regard to its conflict of laws principles.',
    ]]);

    expect(extractFields('CONTRACT', text)).toMatchObject({
      title: 'SERVICES AGREEMENT',
      parties: 'Bluefin Analytics Ltd; Globex Corporation',
      effectiveDate: 'March 3, 2026',
      term: 'twelve (12) months',
      governingLaw: 'State of New York',
      liability: 'Neither party\'s total liability shall exceed the fees paid in the twelve months preceding the claim.',
    });
  });

  it.each([
    ['BETWEEN and AND in capitals', ['This Agreement is made on 5 December 2027', 'BETWEEN:', 'YELLOWSTONE OUTFITTERS INC, a Montana corporation ("Disclosing Party")', 'AND:', 'PINECREST SOFTWARE INC., a Delaware corporation ("Receiving Party")'], 'YELLOWSTONE OUTFITTERS INC; PINECREST SOFTWARE INC.'],
    ['a numbered PARTIES list', ['THIS AGREEMENT is dated 1 May 2026', 'PARTIES', '(1) Tidewater Marine Supplies Ltd, a private limited company (the "Discloser"); and', '(2) Meridian Logistics GmbH, a limited liability company (the "Recipient").'], 'Tidewater Marine Supplies Ltd; Meridian Logistics GmbH'],
    ['role labels', ['Landlord: Harbourview Property Management Ltd, 18 Custom House Quay, Dublin 1', 'Tenant: Priya Raman, 14 Cedar Close, Reading'], 'Harbourview Property Management Ltd; Priya Raman'],
    ['a cover line', ['MUTUAL NON-DISCLOSURE AGREEMENT', 'between Copperleaf Media B.V. and Umber & Ash Architects', 'Dated 8 July 2025'], 'Copperleaf Media B.V.; Umber & Ash Architects'],
    ['a short sentence, a name ending in an abbreviation', ['This NDA is entered into between Acme Corp. and John Smith.'], 'Acme Corp; John Smith'],
  ])('reads the parties from %s', (_, lines, parties) => {
    expect(extractFields('CONTRACT', textOf([lines])).parties).toBe(parties);
  });

  it.each([
    ['Term: 24 months.', '24 months'],
    ['It runs for a 36-month term starting on the Effective Date.', '36 months'],
    ['This Agreement begins on the Effective Date and ends on 31 December 2027, unless extended.', 'until 31 December 2027'],
    ['The obligations of each party shall remain in force for five (5) years from the Effective Date.', 'five (5) years'],
    ['The Receiving Party agrees to hold all Confidential Information in confidence for five years.', 'five years'],
  ])('reads the term from %j', (sentence, term) => {
    expect(extractFields('CONTRACT', textOf([['AGREEMENT', sentence]])).term).toBe(term);
  });

  it('takes no payment or notice period for the term', () => {
    const text = textOf([['AGREEMENT', 'Payment. Invoices are payable within thirty days of receipt.', 'Notices take effect two business days after posting.']]);

    expect(extractFields('CONTRACT', text).term).toBeUndefined();
  });

  it('reads the confidentiality obligation, not the definition of Confidential Information', () => {
    const text = textOf([['NON-DISCLOSURE AGREEMENT', '1. Definitions. "Confidential Information" means all information of a confidential nature disclosed by one party.', '2. Confidentiality. The Receiving Party shall hold the Confidential Information in strict confidence and shall not disclose it.']]);

    expect(extractFields('CONTRACT', text).confidentiality).toBe('The Receiving Party shall hold the Confidential Information in strict confidence and shall not disclose it.');
  });

  it('takes "a limited liability company" for a description of a party, not a liability clause', () => {
    const text = textOf([['SUPPLY AGREEMENT', 'between Oakridge Dental LLC, an Oregon limited liability company, and Meridian Logistics GmbH, a company with limited liability under German law.']]);

    expect(extractFields('CONTRACT', text).liability).toBeUndefined();
  });

  it.each([
    ['"Signed by" lines', ['Signed by Ada Lovelace', 'Signed by Charles Babbage']],
    ['a two-column By/Name/Title block', ['IN WITNESS WHEREOF, the parties have executed this Agreement.', 'By:', 'By:', 'Name: Ada Lovelace', 'Name: Charles Babbage', 'Title: Director', 'Title: CFO']],
    ['conformed signatures the OCR half misread', ['Agreed and accepted:', 'Is! Ada Lovelace', 'Ada Lovelace, Director', '/s/ Charles Babbage', 'Charles Babbage, Chief Financial Officer']],
  ])('reads every signatory from %s', (_, lines) => {
    expect(extractFields('CONTRACT', textOf([['AGREEMENT'], lines])).signature).toBe('Ada Lovelace; Charles Babbage');
  });

  it('reads "By: By:" across two columns as nobody', () => {
    expect(extractFields('CONTRACT', textOf([['AGREEMENT'], ['IN WITNESS WHEREOF', 'By By', 'Date: Date:']])).signature).toBeUndefined();
  });

  it('finds parties in a long run of spaces and clauses at once: linear, whatever the text', () => {
    const noise = `between ${' '.repeat(50_000)}and ${'( ; and '.repeat(5_000)}`;
    const started = performance.now();

    extractFields('CONTRACT', textOf([['AGREEMENT', noise, `The term ${'of '.repeat(20_000)}`]]));
    contractTypeOf(textOf([[`This ${'very '.repeat(20_000)}`, noise]]));

    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('contract types', () => {
  it.each([
    ['MUTUAL NON-DISCLOSURE AGREEMENT', 'NDA'],
    ['Confidentiality Agreement', 'NDA'],
    ['Master Services Agreement', 'SERVICE_AGREEMENT'],
    ['CONSULTING AGREEMENT', 'SERVICE_AGREEMENT'],
    ['RESIDENTIAL TENANCY AGREEMENT', 'OTHER'],
    ['Software Licence Agreement', 'OTHER'],
  ])('files "%s" as %s by its title', (title, type) => {
    expect(contractTypeOf(textOf([[title, 'This Agreement is made between Acme Ltd and Globex Inc.']]))).toBe(type);
  });

  it('reads the type from the opening sentence when the title says only "Agreement"', () => {
    expect(contractTypeOf(textOf([['AGREEMENT', 'This End User Licence Agreement (the "Agreement") is made between Acme Ltd and Globex Inc.']]))).toBe('OTHER');
    expect(contractTypeOf(textOf([['AGREEMENT', 'This Non-Disclosure Agreement is made between Acme Ltd and Globex Inc.']]))).toBe('NDA');
  });

  it('reads the type from what an untitled contract is about', () => {
    const nda = textOf([['The Disclosing Party may disclose Confidential Information to the Receiving Party.', 'The Receiving Party shall keep the Confidential Information confidential.', 'Confidential Information excludes public information.']]);
    const services = textOf([['The Service Provider shall perform the Services.', 'The Services are described in the Statement of Work.', 'The Client pays for the Services monthly.']]);

    expect(contractTypeOf(nda)).toBe('NDA');
    expect(contractTypeOf(services)).toBe('SERVICE_AGREEMENT');
  });

  it('classifies a contract and tells its type in one reading; other classes have no type', () => {
    const contract = readDocument(textOf([['MUTUAL NON-DISCLOSURE AGREEMENT', 'This Agreement is made between Acme Ltd and Globex Inc.', 'The parties shall keep each other\'s information confidential.', 'Signed by Ada Lovelace']]));
    const invoice = readDocument(textOf([['INVOICE', 'Invoice Number: 17', 'Bill To: Acme', 'Total due: EUR 9.00']]));

    expect(contract).toMatchObject({ class: 'CONTRACT', contractType: 'NDA' });
    expect(invoice).toMatchObject({ class: 'INVOICE', contractType: null });
  });
});

describe('what each contract type must carry', () => {
  const parties = 'Acme Ltd; Globex Inc';

  it('asks of an NDA its parties, term and confidentiality obligation, not a liability clause or a signature', () => {
    expect(requiredFieldsCheck('CONTRACT', { parties, term: '2 years', confidentiality: 'shall keep … confidential' }, 'NDA').passed).toBe(true);
    expect(requiredFieldsCheck('CONTRACT', { parties, term: '2 years', liability: 'capped' }, 'NDA'))
      .toEqual({ name: 'required-fields', passed: false, detail: 'missing confidentiality (an NDA needs parties, term, confidentiality)' });
  });

  it('asks of a service agreement its parties, term and liability clause', () => {
    expect(requiredFieldsCheck('CONTRACT', { parties, term: '2 years', liability: 'capped' }, 'SERVICE_AGREEMENT').passed).toBe(true);
    expect(requiredFieldsCheck('CONTRACT', { parties, liability: 'capped' }, 'SERVICE_AGREEMENT').detail).toBe('missing term (a service agreement needs parties, term, liability)');
  });

  it('asks of any other contract its parties only', () => {
    expect(requiredFieldsCheck('CONTRACT', { parties }, 'OTHER').passed).toBe(true);
    expect(requiredFieldsCheck('CONTRACT', { term: '2 years', signature: 'Ada Lovelace' }, 'OTHER').detail).toBe('missing parties (a contract needs parties)');
  });
});

describe('GET /documents/{id} view', () => {
  const row = (overrides: Partial<DocumentRow>): DocumentRow => ({
    documentId: `doc_${'d'.repeat(32)}`, customerId: 'alice', status: 'FILED', filename: 'a.pdf', contentType: 'application/pdf', size: 1,
    objectKey: 'uploads/x', createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z', ...overrides,
  });

  it("shows a contract's type, and no type for any other class", () => {
    expect(toDocumentView(row({ class: 'CONTRACT', contractType: 'NDA' }))).toMatchObject({ class: 'CONTRACT', contractType: 'NDA' });
    expect(toDocumentView(row({ class: 'INVOICE' }))).not.toHaveProperty('contractType');
  });
});
