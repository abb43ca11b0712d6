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
