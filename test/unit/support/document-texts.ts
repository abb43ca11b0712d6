import type { DocumentText } from '../../../functions/shared/documents/document-text.js';

/** Text as OCR hands it over: lines per page, with the engine's confidence. */
export const textOf = (pages: string[][], confidence = 95): DocumentText => ({
  pages: pages.length,
  lines: pages.flatMap((lines, index) => lines.map((text) => ({ page: index + 1, text, confidence }))),
});

export const INVOICE = textOf([[
  'Northwind Supplies Ltd',
  'INVOICE',
  'Invoice Number: INV-2026-0042',
  'Invoice Date: 2026-11-02',
  'Bill To: Acme Limited, 1 High Street, London',
  'Widget, large 2 x 400.00 800.00',
  'Subtotal 800.00',
  'VAT 20% 160.00',
  'Total due: EUR 960.00',
  'Payment terms: 30 days. IBAN GB29 NWBK 6016 1331 9268 19',
]]);

export const RECEIPT = textOf([[
  'Corner Bakery',
  '12 Market Square',
  'Receipt',
  'Date: 24/11/2026',
  'Sourdough loaf 4.20',
  'Subtotal 4.20',
  'Total 4.20',
  'Paid by card ending 4242',
  'Thank you for your visit',
]]);

export const CONTRACT = textOf([
  [
    'SERVICES AGREEMENT',
    'This Agreement is made between Acme Limited and Globex Corporation.',
    'WHEREAS the parties wish to set out the terms on which services are provided;',
  ],
  [
    '1. Term. This Agreement has a term of twelve months from the date of signature.',
    '2. Liability. Each party shall be liable for direct damages only.',
  ],
  [
    'Signed by Ada Lovelace',
    'Signed by Charles Babbage',
  ],
]);

/** The clause wraps: "unlimited" ends one line, "liability" starts the next. */
export const CONTRACT_WITH_PROHIBITED_CLAUSE = textOf([
  [
    'MASTER SERVICES CONTRACT',
    'This contract is made between Initech LLC and Umbrella Corp.',
    'Term: 24 months.',
    'The Supplier accepts unlimited',
    'liability for any loss arising under this contract.',
    'Signed by Peter Gibbons',
  ],
]);

export const CONTRACT_UNSIGNED = textOf([[
  'CONSULTING AGREEMENT',
  'This Agreement is made between Hooli Inc and Pied Piper Ltd.',
  'The parties shall cooperate in good faith.',
  'Signature: ____________________',
]]);

export const LETTER = textOf([[
  'Dear neighbours,',
  'the street party moves to Saturday afternoon.',
  'Bring a cake if you like. See you there!',
]]);

export const BLANK = textOf([[]]);

/*
 * As the local stack's OCR (tesseract) read the rendered test documents when their scan was made
 * harsher (blurred, tilted, shrunk): table columns come apart, specks become characters, a word
 * turns lower-case, an address line turns to noise.
 */
export const RECEIPT_AS_OCR_READ_IT = textOf([[
  'Corner Bakery',
  '12 Market Square, ee',
  'RECEIPT',
  'Date: 24/11/2026 09:14',
  'Sourdough loaf',
  'Croissant',
  'Flat white',
  'subtotal _7.45',
  'Total 7.45',
  'Paid by card ending 4242',
  'Thank you for your visit',
  '4.20',
  '1.85',
  '1.40',
]], 88);

export const INVOICE_AS_OCR_READ_IT = textOf([[
  'Northwind Supplies Ltd',
  '14 Harbour Road, Bristol BS1 STT - VAT GB 123 4567 69',
  'INVOICE',
  'Invoice Number: INV-2026-0117',
  'Invoice Date: 2026-11-03',
  'Bill To: Acme Limited, 1 High Street, London',
  'Description Amount',
  'Widget, large (2 x 400.00) 800.00',
  'Installation, half a day 380.00',
  'Subtotal: EUR 1,180.00',
  'VAT 20%: EUR 236.00',
  'Total due: EUR 1,416.00',
  'Payment terms: 30 days. IBAN GB29 NWBK 6016 1331 9268 19',
]], 91);

/** A contract's cover as OCR reads it: the parties on a line of their own, the clause wrapped mid-phrase. */
export const CONTRACT_COVER_AS_OCR_READ_IT = textOf([
  [
    'MASTER SERVICES CONTRACT',
    'between Initech LLC and Umbrella Corporation',
    'Dated 1 December 2026',
    '1. Term: 24 months from the date of signature.',
    '3. Liability. Notwithstanding anything else in this contract, the Supplier accepts',
    'unlimited liability for any loss, damage or expense the Customer suffers arising out',
  ],
  [
    'Signed for and on behalf of the parties:',
    'Signed by Bill Lumbergh',
    'Signed by Peter Gibbons',
  ],
]);
