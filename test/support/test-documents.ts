import { createHash } from 'node:crypto';
import { renderPdf, renderPng } from './render.js';

/**
 * The document set the document tests send through OCR and the pipeline, made the way people
 * make such files: HTML printed to PDF or photographed to PNG by headless Chromium, with the
 * blemishes of a scan where a scan is what arrives. What each document says is exported next to
 * it (`printed`), so a test compares what came out of the pixels with what went onto the page.
 */
export interface TestDocument {
  /** What the file is, in a test's name. */
  name: string;
  filename: string;
  /** What the client declares when it uploads it (not necessarily what the bytes are). */
  contentType: 'application/pdf' | 'image/png';
  bytes: Buffer;
}

export const INVOICE_PRINTED = { invoiceNumber: 'INV-2026-0117', invoiceDate: '2026-11-03', total: 'EUR 1,416.00' };
export const RECEIPT_PRINTED = { merchant: 'Corner Bakery', date: '24/11/2026', total: '7.45' };
export const FLAGGED_CONTRACT_PRINTED = { parties: 'Initech LLC; Umbrella Corporation', term: '24 months', signature: 'Bill Lumbergh; Peter Gibbons', prohibitedTerm: 'unlimited liability' };
export const CLEAN_CONTRACT_PRINTED = { parties: 'Acme Limited; Globex Corporation', term: 'twelve months', signature: 'Ada Lovelace; Charles Babbage' };
export const LONG_CONTRACT_PRINTED = { parties: 'Northwind Traders Ltd; Contoso Pharmaceuticals plc', term: 'thirty-six months', signature: 'Alan Turing; Grace Hopper', pages: 30 };
export const CLEAN_NDA_PRINTED = { parties: 'Hooli Inc.; Pied Piper Ltd', effectiveDate: '2 February 2027', term: 'three (3) years', signature: 'Gavin Belson; Richard Hendricks' };
/** Each contract's type, as a legal pipeline files it: what decides the fields it must carry. */
export const CONTRACT_TYPES = { flaggedContract: 'SERVICE_AGREEMENT', cleanContract: 'SERVICE_AGREEMENT', longContract: 'OTHER', cleanNda: 'NDA' } as const;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Scanner grain: fractal noise at low opacity, as a background the text sits on. */
const GRAIN = `url("data:image/svg+xml;utf8,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' width='300' height='300'><filter id='g'><feTurbulence type='fractalNoise' baseFrequency='0.9' numOctaves='2' seed='7'/><feColorMatrix values='0 0 0 0 0.45  0 0 0 0 0.42  0 0 0 0 0.38  0 0 0 0.6 0'/></filter><rect width='300' height='300' filter='url(#g)'/></svg>",
)}")`;

/**
 * A page as a flatbed scanner returns it: off-white and grainy paper, ink that is not quite
 * black, the sheet a little crooked on the glass and the image a little soft.
 */
const scanned = (body: string, { width, font }: { width: number; font: string }) => `<!doctype html><html><body style="margin: 0; background: #f3efe6 ${GRAIN}">
<div style="width: ${width - 120}px; margin: 40px 60px; font-family: ${font}; color: #262626; transform: rotate(-1.2deg); transform-origin: 0 0; filter: blur(0.6px)">${body}</div>
</body></html>`;

const rows = (items: [string, string][]) =>
  items.map(([label, value]) => `<tr><td style="padding: 4px 0">${escape(label)}</td><td style="text-align: right; padding: 4px 0">${escape(value)}</td></tr>`).join('');

/** A supplier's invoice, scanned: letterhead, number and date, a table of items, the total due. */
export const invoiceHtml = (): string => scanned(`
<div style="font-size: 30px; font-weight: bold">Northwind Supplies Ltd</div>
<div style="font-size: 18px">14 Harbour Road, Bristol BS1 5TT · VAT GB 123 4567 89</div>
<div style="font-size: 40px; font-weight: bold; margin-top: 28px">INVOICE</div>
<p style="font-size: 22px; line-height: 1.5">Invoice Number: ${INVOICE_PRINTED.invoiceNumber}<br>Invoice Date: ${INVOICE_PRINTED.invoiceDate}<br>Bill To: Acme Limited, 1 High Street, London</p>
<table style="width: 100%; font-size: 22px; border-collapse: collapse; margin-top: 12px">
<tr style="font-weight: bold; border-bottom: 2px solid #333"><td>Description</td><td style="text-align: right">Amount</td></tr>
${rows([['Widget, large (2 x 400.00)', '800.00'], ['Installation, half a day', '380.00']])}
</table>
<p style="font-size: 22px; line-height: 1.6; margin-top: 18px">Subtotal: EUR 1,180.00<br>VAT 20%: EUR 236.00<br><b>Total due: ${INVOICE_PRINTED.total}</b></p>
<p style="font-size: 18px">Payment terms: 30 days. IBAN GB29 NWBK 6016 1331 9268 19</p>`, { width: 1000, font: "'DejaVu Serif', serif" });

/** A till receipt: narrow, monospaced, what was bought and how it was paid. */
export const receiptHtml = (): string => scanned(`
<div style="font-size: 30px; font-weight: bold; text-align: center">${RECEIPT_PRINTED.merchant}</div>
<div style="font-size: 20px; text-align: center">12 Market Square, Bath</div>
<div style="font-size: 24px; text-align: center; margin: 16px 0">RECEIPT</div>
<div style="font-size: 20px">Date: ${RECEIPT_PRINTED.date} 09:14</div>
<table style="width: 100%; font-size: 20px; margin-top: 12px">
${rows([['Sourdough loaf', '4.20'], ['Croissant', '1.85'], ['Flat white', '1.40']])}
</table>
<div style="font-size: 20px; margin-top: 12px">Subtotal ${RECEIPT_PRINTED.total}</div>
<div style="font-size: 26px; font-weight: bold">Total ${RECEIPT_PRINTED.total}</div>
<div style="font-size: 20px; margin-top: 12px">Paid by card ending 4242</div>
<div style="font-size: 20px; text-align: center; margin-top: 16px">Thank you for your visit</div>`, { width: 560, font: "'DejaVu Sans Mono', monospace" });

/** A printed page: black on white, margins, a serif text face. */
const printed = (pages: string[]) => `<!doctype html><html><body style="margin: 0; font-family: 'DejaVu Serif', serif; font-size: 17px; line-height: 1.45; color: #000">${
  pages.map((page) => `<section style="page-break-after: always; padding: 8px 4px">${page}</section>`).join('')}</body></html>`;

const paragraphs = (texts: string[]) => texts.map((text) => `<p>${escape(text)}</p>`).join('');

/** A title block, as a contract's cover has it: what it is, between whom, dated. */
const cover = (title: string, [first, second]: [string, string]) =>
  `<h1 style="text-align: center; font-size: 30px">${escape(title)}</h1><p style="text-align: center; font-size: 20px">between ${escape(first)} and ${escape(second)}</p><p style="text-align: center">Dated 1 December 2026</p>`;

const signatures = (names: string[]) =>
  `<p style="margin-top: 40px">Signed for and on behalf of the parties:</p>${names.map((name) => `<p style="margin-top: 28px">Signed by ${escape(name)}</p>`).join('')}`;

/** A contract a person must look at: complete, but the Supplier accepts unlimited liability. */
export const flaggedContractHtml = (): string => printed([
  cover('MASTER SERVICES CONTRACT', ['Initech LLC', 'Umbrella Corporation']) + paragraphs([
    'WHEREAS Umbrella Corporation wishes to obtain, and Initech LLC wishes to provide, software maintenance services on the terms of this contract;',
    `1. Term: ${FLAGGED_CONTRACT_PRINTED.term} from the date of signature.`,
    '2. Services. The Supplier shall maintain the Customer\'s billing systems with reasonable skill and care and shall answer incidents within four hours.',
    '3. Liability. Notwithstanding anything else in this contract, the Supplier accepts unlimited liability for any loss, damage or expense the Customer suffers arising out of or in connection with the Services.',
  ]),
  paragraphs([
    '4. Confidentiality. Each party shall keep the other party\'s confidential information secret and use it only to perform this contract.',
    '5. Governing law. This contract is governed by the laws of England and Wales.',
  ]) + signatures(['Bill Lumbergh', 'Peter Gibbons']),
]);

/** A contract that can be filed as it is: parties, term, signatures, and liability capped. */
export const cleanContractHtml = (): string => printed([
  cover('SERVICES AGREEMENT', ['Acme Limited', 'Globex Corporation']) + paragraphs([
    'WHEREAS the parties wish to set out the terms on which Acme Limited provides consulting services to Globex Corporation;',
    `1. Term. This Agreement has a term of ${CLEAN_CONTRACT_PRINTED.term} from the date of signature.`,
    '2. Liability. Each party\'s total liability under this Agreement is limited to the fees paid in the year before the claim.',
  ]),
  paragraphs(['3. Governing law. This Agreement is governed by the laws of England and Wales.']) + signatures(['Ada Lovelace', 'Charles Babbage']),
]);

/**
 * An NDA that can be filed as it is: its parties introduced at length in one sentence that wraps
 * over several lines, a term, and the obligation to keep the other's information confidential.
 */
export const cleanNdaHtml = (): string => printed([
  `<h1 style="text-align: center; font-size: 28px">MUTUAL NON-DISCLOSURE AGREEMENT</h1>${paragraphs([
    'This Mutual Non-Disclosure Agreement (the "Agreement") is entered into as of 2 February 2027 (the "Effective Date") by and between Hooli Inc., a California corporation with offices at 1 Hacker Way, Palo Alto ("Hooli"), and Pied Piper Ltd, a company registered in England and Wales under number 09876543 ("Pied Piper").',
    '1. Purpose. The parties wish to exchange information to evaluate a possible partnership in data compression (the "Purpose").',
    '2. Definitions. "Confidential Information" means all information of a confidential nature that one party discloses to the other for the Purpose.',
    `3. Term. This Agreement shall remain in force for ${CLEAN_NDA_PRINTED.term} from the Effective Date.`,
    '4. Confidentiality. Each party shall keep the other party\'s Confidential Information confidential, shall use it only for the Purpose and shall not disclose it to any third party without the other party\'s prior written consent.',
    '5. Governing law. This Agreement is governed by the laws of England and Wales.',
  ])}${signatures(['Gavin Belson', 'Richard Hendricks'])}`,
]);

const SUBJECTS = ['the delivery of goods', 'the acceptance of deliverables', 'the change control procedure', 'the service levels', 'business continuity',
  'the protection of personal data', 'audits and records', 'subcontracting', 'the transfer of employees', 'intellectual property'];

/** One page of a long agreement: numbered clauses, dense like the real thing, each page a little different. */
const clausePage = (page: number) => paragraphs(Array.from({ length: 1 }, (_, index) => {
  const clause = `${page}.${index + 1}`;
  const subject = SUBJECTS[(page + index) % SUBJECTS.length];
  return `${clause} As regards ${subject}, the Supplier shall act in accordance with Schedule ${page} and with good industry practice, keep complete records for at least ${index + 2} years, and give the Customer written notice within ${10 + index} business days of any event that affects ${subject}. The Customer shall cooperate in good faith and shall not unreasonably withhold its consent.`;
}));

/**
 * Thirty dense pages: its Textract answer is well over the 256 KB a state may hold, so it proves
 * the pipeline moves pointers, not text. A clean contract: it is filed without a person.
 */
export const longContractHtml = (): string => printed([
  cover('MASTER SUPPLY AGREEMENT', ['Northwind Traders Ltd', 'Contoso Pharmaceuticals plc']) + paragraphs([
    'WHEREAS the parties wish to set out the terms on which Northwind Traders Ltd supplies laboratory equipment to Contoso Pharmaceuticals plc;',
    `1. Term. This Agreement has a term of ${LONG_CONTRACT_PRINTED.term} from the date of signature.`,
    '2. Liability. Each party\'s total liability under this Agreement is limited to the fees paid in the year before the claim.',
  ]),
  ...Array.from({ length: LONG_CONTRACT_PRINTED.pages - 2 }, (_, index) => clausePage(index + 3)),
  paragraphs(['30. Governing law. This Agreement is governed by the laws of England and Wales.']) + signatures(['Alan Turing', 'Grace Hopper']),
]);

/** A sheet fed through the scanner with nothing on it. */
export const blankPageHtml = (): string => scanned('', { width: 1000, font: 'serif' });

/** Bytes that look random but are the same on every run. */
const noise = (length: number, seed: string): Buffer => {
  const chunks: Buffer[] = [];
  for (let block = createHash('sha256').update(seed).digest(); chunks.length * 32 < length; block = createHash('sha256').update(block).digest()) chunks.push(block);
  return Buffer.concat(chunks).subarray(0, length);
};

/** A PDF broken in transfer: its first part, then garbage where the rest should be. */
export const corruptPdf = (pdf: Buffer): Buffer => Buffer.concat([pdf.subarray(0, 400), noise(4000, 'corrupt pdf')]);

export const TEXT_SENT_AS_PDF = 'Meeting notes, 24 November\n- call the supplier on Monday\n- send the signed contract to legal\n';

let set: Promise<TestDocuments> | undefined;

export interface TestDocuments {
  invoice: TestDocument;
  receipt: TestDocument;
  flaggedContract: TestDocument;
  cleanContract: TestDocument;
  longContract: TestDocument;
  cleanNda: TestDocument;
  blankPage: TestDocument;
  corruptPdf: TestDocument;
  textAsPdf: TestDocument;
}

/** Every document of the set, rendered once per test file (Chromium takes a second or two a file). */
export const testDocuments = (): Promise<TestDocuments> => (set ??= renderAll());

const renderAll = async (): Promise<TestDocuments> => {
  // One after the other: each Chromium is a few hundred MB and other tests share the machine.
  const invoice = await renderPng(invoiceHtml(), { width: 1000, height: 1000 });
  const receipt = await renderPng(receiptHtml(), { width: 560, height: 820 });
  const flaggedContract = await renderPdf(flaggedContractHtml());
  const cleanContract = await renderPdf(cleanContractHtml());
  const longContract = await renderPdf(longContractHtml());
  const cleanNda = await renderPdf(cleanNdaHtml());
  const blankPage = await renderPng(blankPageHtml(), { width: 1000, height: 1000 });
  return {
    invoice: { name: 'a scanned invoice', filename: 'invoice-scan.png', contentType: 'image/png', bytes: invoice },
    receipt: { name: 'a photographed receipt', filename: 'receipt.png', contentType: 'image/png', bytes: receipt },
    flaggedContract: { name: 'a contract with a prohibited clause', filename: 'master-services-contract.pdf', contentType: 'application/pdf', bytes: flaggedContract },
    cleanContract: { name: 'a clean contract', filename: 'services-agreement.pdf', contentType: 'application/pdf', bytes: cleanContract },
    longContract: { name: 'a 30-page contract', filename: 'master-supply-agreement.pdf', contentType: 'application/pdf', bytes: longContract },
    cleanNda: { name: 'a clean NDA', filename: 'mutual-nda.pdf', contentType: 'application/pdf', bytes: cleanNda },
    blankPage: { name: 'a scanned blank page', filename: 'blank-scan.png', contentType: 'image/png', bytes: blankPage },
    corruptPdf: { name: 'a corrupt PDF', filename: 'damaged.pdf', contentType: 'application/pdf', bytes: corruptPdf(cleanContract) },
    textAsPdf: { name: 'a text file declared as a PDF', filename: 'notes.pdf', contentType: 'application/pdf', bytes: Buffer.from(TEXT_SENT_AS_PDF) },
  };
};
