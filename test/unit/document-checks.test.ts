import { DEFAULT_PROHIBITED_TERMS, parseProhibitedTerms, prohibitedTermsCheck, requiredFieldsCheck } from '../../functions/shared/documents/checks.js';
import { classify, MIN_SCORE } from '../../functions/shared/documents/classify.js';
import { documentTextOf } from '../../functions/shared/documents/document-text.js';
import { extractFields } from '../../functions/shared/documents/fields.js';
import {
  BLANK, CONTRACT, CONTRACT_COVER_AS_OCR_READ_IT, CONTRACT_UNSIGNED, CONTRACT_WITH_PROHIBITED_CLAUSE, INVOICE, INVOICE_AS_OCR_READ_IT, LETTER, RECEIPT, RECEIPT_AS_OCR_READ_IT, textOf,
} from './support/document-texts.js';

describe('classify', () => {
  it.each([
    ['an invoice', INVOICE, 'INVOICE'],
    ['a receipt', RECEIPT, 'RECEIPT'],
    ['a contract over three pages', CONTRACT, 'CONTRACT'],
    ['a contract with a prohibited clause', CONTRACT_WITH_PROHIBITED_CLAUSE, 'CONTRACT'],
    ['an unsigned contract', CONTRACT_UNSIGNED, 'CONTRACT'],
    ['a letter', LETTER, 'OTHER'],
    ['a blank page', BLANK, 'OTHER'],
  ])('reads %s as %s', (_, text, expected) => {
    expect(classify(text).class).toBe(expected);
  });

  it('is confident about a clear invoice, between 0 and 1', () => {
    const { confidence } = classify(INVOICE);

    expect(confidence).toBeGreaterThan(0.7);
    expect(confidence).toBeLessThanOrEqual(1);
  });

  it('has no confidence at all in a blank page', () => {
    expect(classify(BLANK).confidence).toBe(0);
  });

  it('is less confident when the OCR was unsure of the words', () => {
    const legible = classify(INVOICE).confidence;
    const smudged = classify({ ...INVOICE, lines: INVOICE.lines.map((line) => ({ ...line, confidence: 45 })) }).confidence;

    expect(smudged).toBeLessThan(legible / 2 + 0.01);
  });

  it('is less confident when two kinds score alike than when one stands out', () => {
    const mixed = textOf([['Invoice and receipt', 'Invoice number 17', 'Amount paid 10.00', 'Receipt', 'Bill to Ada']]);

    expect(classify(mixed).confidence).toBeLessThan(classify(INVOICE).confidence);
  });

  it(`calls a document with one weak signal OTHER (it needs a score of ${MIN_SCORE})`, () => {
    expect(classify(textOf([['Invoice']])).class).toBe('OTHER');
  });
});

describe('extractFields', () => {
  it('reads an invoice number, date and the total (not the subtotal), and who billed whom with the subtotal and tax', () => {
    expect(extractFields('INVOICE', INVOICE)).toEqual({
      invoiceNumber: 'INV-2026-0042', invoiceDate: '2026-11-02', total: 'EUR 960.00',
      supplier: 'Northwind Supplies Ltd', customer: 'Acme Limited', subtotal: '800.00', tax: '160.00',
    });
  });

  it('reads a receipt merchant, date, subtotal and total', () => {
    expect(extractFields('RECEIPT', RECEIPT)).toEqual({ merchant: 'Corner Bakery', date: '24/11/2026', subtotal: '4.20', total: '4.20' });
  });

  it('reads the title, the parties, the term, the liability clause and every signature of a contract, across pages', () => {
    expect(extractFields('CONTRACT', CONTRACT)).toEqual({
      title: 'SERVICES AGREEMENT',
      parties: 'Acme Limited; Globex Corporation',
      term: 'twelve months',
      liability: 'Each party shall be liable for direct damages only.',
      signature: 'Ada Lovelace; Charles Babbage',
    });
  });

  it('finds no signature on a blank signature line', () => {
    expect(extractFields('CONTRACT', CONTRACT_UNSIGNED)).toEqual({ title: 'CONSULTING AGREEMENT', parties: 'Hooli Inc; Pied Piper Ltd' });
  });

  it('extracts nothing from OTHER', () => {
    expect(extractFields('OTHER', LETTER)).toEqual({});
  });

  it('reads the text of Textract blocks, LINEs only, with their pages', () => {
    const text = documentTextOf([
      { BlockType: 'PAGE', Page: 1 },
      { BlockType: 'LINE', Text: 'Invoice No. A-17', Page: 1, Confidence: 90 },
      { BlockType: 'WORD', Text: 'Invoice', Page: 1, Confidence: 90 },
      { BlockType: 'PAGE', Page: 2 },
      { BlockType: 'LINE', Text: 'Total: 12.00 EUR', Page: 2, Confidence: 80 },
    ]);

    expect(text).toEqual({ pages: 2, lines: [{ page: 1, text: 'Invoice No. A-17', confidence: 90 }, { page: 2, text: 'Total: 12.00 EUR', confidence: 80 }] });
    expect(extractFields('INVOICE', text)).toEqual({ invoiceNumber: 'A-17', total: '12.00 EUR' });
  });
});

describe('requiredFieldsCheck', () => {
  it('passes an invoice with number, date and total', () => {
    expect(requiredFieldsCheck('INVOICE', extractFields('INVOICE', INVOICE))).toEqual({ name: 'required-fields', passed: true, detail: 'found invoiceNumber, invoiceDate, total' });
  });

  it('fails an invoice without a date, naming it', () => {
    expect(requiredFieldsCheck('INVOICE', { invoiceNumber: 'A-1', total: '5.00' })).toEqual({ name: 'required-fields', passed: false, detail: 'missing invoiceDate' });
  });

  it('fails a services contract without a term or a liability clause, naming both and the rule', () => {
    expect(requiredFieldsCheck('CONTRACT', extractFields('CONTRACT', CONTRACT_UNSIGNED), 'SERVICE_AGREEMENT')).toEqual({
      name: 'required-fields', passed: false, detail: 'missing term, liability (a service agreement needs parties, term, liability)',
    });
  });

  it('passes a complete services contract, signed or not', () => {
    const fields = extractFields('CONTRACT', CONTRACT);
    const { signature: _, ...unsigned } = fields;

    expect(requiredFieldsCheck('CONTRACT', fields, 'SERVICE_AGREEMENT')).toEqual({
      name: 'required-fields', passed: true, detail: 'found parties, term, liability (a service agreement needs parties, term, liability)',
    });
    expect(requiredFieldsCheck('CONTRACT', unsigned, 'SERVICE_AGREEMENT').passed).toBe(true);
  });

  it('requires date and total of a receipt, nothing of OTHER', () => {
    expect(requiredFieldsCheck('RECEIPT', { date: '24/11/2026', total: '4.20' })).toEqual({ name: 'required-fields', passed: true, detail: 'found date, total' });
    expect(requiredFieldsCheck('RECEIPT', { merchant: 'Corner Bakery', total: '4.20' })).toEqual({ name: 'required-fields', passed: false, detail: 'missing date' });
    expect(requiredFieldsCheck('OTHER', {}).passed).toBe(true);
  });
});

describe('prohibitedTermsCheck', () => {
  const terms = parseProhibitedTerms(DEFAULT_PROHIBITED_TERMS);

  it('finds a prohibited clause that wraps over two lines, with its page', () => {
    expect(prohibitedTermsCheck(CONTRACT_WITH_PROHIBITED_CLAUSE, terms)).toEqual({ name: 'prohibited-terms', passed: false, detail: 'found "unlimited liability" on page 1' });
  });

  it('passes a contract without any', () => {
    expect(prohibitedTermsCheck(CONTRACT, terms)).toEqual({ name: 'prohibited-terms', passed: true, detail: `none of ${terms.length} prohibited terms found` });
  });

  it('ignores case, punctuation and spacing, but not word boundaries', () => {
    const text = textOf([['No limits: UNLIMITED   Liability, as agreed.'], ['unlimited liabilityless']]);

    expect(prohibitedTermsCheck(text, ['unlimited liability']).detail).toBe('found "unlimited liability" on page 1');
    expect(prohibitedTermsCheck(textOf([['unlimited liabilityless']]), ['unlimited liability']).passed).toBe(true);
  });

  it('reads the list from its setting: ";" separated, trimmed, lower-cased, without repeats', () => {
    expect(parseProhibitedTerms(' Unlimited  Liability ; automatic renewal;;unlimited liability ')).toEqual(['unlimited liability', 'automatic renewal']);
  });

  it('checks whatever list it is given', () => {
    const text = textOf([['This contract renews by automatic renewal each year.']]);

    expect(prohibitedTermsCheck(text, ['automatic renewal']).passed).toBe(false);
    expect(prohibitedTermsCheck(text, terms).passed).toBe(true);
  });
});

describe('on text as OCR reads a scan', () => {
  const terms = parseProhibitedTerms(DEFAULT_PROHIBITED_TERMS);

  it('reads a receipt whose columns came apart, taking the total (not a specked subtotal) and ignoring the stray amounts', () => {
    const { class: documentClass, confidence } = classify(RECEIPT_AS_OCR_READ_IT);

    expect(documentClass).toBe('RECEIPT');
    expect(confidence).toBeGreaterThan(0.8);
    expect(extractFields('RECEIPT', RECEIPT_AS_OCR_READ_IT)).toEqual({ merchant: 'Corner Bakery', date: '24/11/2026', subtotal: '7.45', total: '7.45' });
  });

  it('reads an invoice with a misread address line: fields intact, required-fields passed', () => {
    const fields = extractFields('INVOICE', INVOICE_AS_OCR_READ_IT);

    expect(classify(INVOICE_AS_OCR_READ_IT).class).toBe('INVOICE');
    expect(fields).toEqual({
      invoiceNumber: 'INV-2026-0117', invoiceDate: '2026-11-03', total: 'EUR 1,416.00',
      supplier: 'Northwind Supplies Ltd', customer: 'Acme Limited', subtotal: 'EUR 1,180.00', tax: 'EUR 236.00',
    });
    expect(requiredFieldsCheck('INVOICE', fields).passed).toBe(true);
  });

  it('reads the parties from a cover line, the date, the term, both signatures, and the clause wrapped over two lines', () => {
    expect(classify(CONTRACT_COVER_AS_OCR_READ_IT).class).toBe('CONTRACT');
    expect(extractFields('CONTRACT', CONTRACT_COVER_AS_OCR_READ_IT)).toMatchObject({
      title: 'MASTER SERVICES CONTRACT', parties: 'Initech LLC; Umbrella Corporation', effectiveDate: '1 December 2026', term: '24 months', signature: 'Bill Lumbergh; Peter Gibbons',
      liability: expect.stringContaining('the Supplier accepts unlimited liability for any loss'),
    });
    expect(prohibitedTermsCheck(CONTRACT_COVER_AS_OCR_READ_IT, terms)).toMatchObject({ passed: false, detail: 'found "unlimited liability" on page 1' });
  });

  it('finds a clause split over a page break, on the page where it starts', () => {
    const split = textOf([['Cover page'], ['The Supplier accepts unlimited'], ['liability for any loss.']]);

    expect(prohibitedTermsCheck(split, terms)).toMatchObject({ passed: false, detail: 'found "unlimited liability" on page 2' });
  });
});
