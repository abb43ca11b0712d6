import type { DocumentText } from './document-text.js';
import { Labels, type Label, type LabelHit } from './labels.js';
import { Layout, type Cell } from './layout.js';
import { amountValue, findAmount, findDate, findDates, findIdentifier, LEGAL_SUFFIX, readName, type Found } from './values.js';

/**
 * Invoices and receipts read as forms: each field has the labels people print for it; a label's
 * value is after it on its line, in the next column of its row, or under it (in a box, a column
 * or a block); the value must look like what the field holds (a date, an amount, a number, a
 * name). What no label names is taken from the page's structure where a reader would take it:
 * the supplier or merchant from the letterhead (the largest text at the top), a receipt's date
 * from the only date on it.
 */
type Kind = 'id' | 'date' | 'amount' | 'name';

interface FieldLabel extends Label {
  /** Where the value may be: after the label on its line, in the row's next column, under the label. */
  inline?: boolean;
  right?: boolean;
  below?: boolean;
  /** Of several labels for one field, the stronger names it better ("Amount due" over "Total"). */
  strength?: number;
}

const KINDS: Record<string, Kind> = {
  invoiceNumber: 'id', invoiceDate: 'date', dueDate: 'date', date: 'date',
  supplier: 'name', customer: 'name', merchant: 'name',
  subtotal: 'amount', tax: 'amount', total: 'amount',
};

const labels = (field: string, texts: string[], options: Omit<FieldLabel, 'field' | 'text'> = {}): FieldLabel[] =>
  texts.map((text) => ({ field, text, inline: true, right: true, below: true, ...options }));

/**
 * Labels that name something else: read so that the longer reading wins where it overlaps a
 * field's ("Customer No." is not the customer, "VAT No." not the tax, "Unit price" not a total).
 */
const OTHER = labels('', [
  'Customer Number', 'Customer No', 'Customer ID', 'Customer Ref', 'Client Number', 'Client No', 'Account Number', 'Account No',
  'Order Number', 'Order No', 'Order Date', 'PO Number', 'PO No', 'Purchase Order', 'Delivery Date', 'Ship To', 'Shipping',
  'VAT Number', 'VAT No', 'VAT Reg No', 'VAT Registration', 'Tax ID', 'Tax Number', 'ABN', 'Company Number', 'Reg No',
  'Unit Price', 'Unit Cost', 'Qty', 'Quantity', 'Description', 'Rate', 'Hours', 'Payment Terms', 'Payment Method', 'Terms',
  'Receipt Number', 'Receipt No', 'Transaction ID', 'Reference', 'Our Ref', 'Your Ref', 'IBAN', 'SWIFT', 'BIC', 'Sort Code',
  'Tel', 'Phone', 'Fax', 'Email', 'Website', 'Merchant ID', 'Terminal', 'Auth Code', 'Table', 'Server', 'Covers', 'Cashier',
  'Service', 'Service Charge', 'Tip', 'Gratuity', 'Change', 'Cash', 'Tendered', 'Discount', 'Deposit', 'Time', 'Store', 'Store No', 'Branch',
]);

const INVOICE_LABELS: FieldLabel[] = [
  ...labels('invoiceNumber', ['Invoice Number', 'Invoice No', 'Invoice #', 'Invoice Num', 'Invoice Nr', 'Invoice ID', 'Invoice Ref',
    'Invoice Reference', 'Inv No', 'Inv #', 'Bill No', 'Bill Number', 'Document No', 'Document Number', 'Tax Invoice No']),
  // "INVOICE INV-2026-0042" or "Invoice #1234": the heading carries the number; only right after it.
  ...labels('invoiceNumber', ['Invoice', 'Tax Invoice'], { right: false, below: false, strength: -1 }),
  ...labels('invoiceNumber', ['Number', 'No'], { atStart: true, strength: -1 }),
  ...labels('invoiceDate', ['Invoice Date', 'Date of Invoice', 'Date of Issue', 'Issue Date', 'Issued', 'Issued On', 'Date Issued',
    'Billing Date', 'Invoice Dated', 'Tax Point', 'Tax Date', 'Dated']),
  ...labels('invoiceDate', ['Date'], { strength: -1 }),
  ...labels('dueDate', ['Due Date', 'Date Due', 'Payment Due', 'Payment Due Date', 'Due', 'Due By', 'Due On', 'Pay By', 'Payable By',
    'Please Pay By', 'Payment Date', 'Pay Before']),
  ...labels('customer', ['Bill To', 'Billed To', 'Invoice To', 'Invoiced To', 'Customer', 'Client', 'Sold To', 'Buyer', 'Billing Address', 'Recipient']),
  ...labels('customer', ['To'], { atStart: true }),
  ...labels('supplier', ['Supplier', 'Seller', 'Vendor', 'Issued By', 'Payee', 'Bill From', 'Service Provider']),
  ...labels('supplier', ['From'], { atStart: true }),
];

const MONEY_LABELS: FieldLabel[] = [
  ...labels('subtotal', ['Subtotal', 'Sub Total', 'Net Total', 'Total Net', 'Net Amount', 'Net', 'Total excl VAT', 'Total excl Tax',
    'Total excluding VAT', 'Total excluding Tax', 'Total before Tax', 'Amount before Tax', 'Amount excl VAT', 'Total exc VAT', 'Net Price']),
  ...labels('tax', ['VAT', 'Tax', 'Sales Tax', 'GST', 'HST', 'PST', 'MwSt', 'TVA', 'IVA', 'Total VAT', 'Total Tax', 'VAT Amount',
    'Tax Amount', 'incl VAT', 'incl Tax', 'Includes VAT', 'Including VAT', 'of which VAT'], { below: false }),
  ...labels('total', ['Amount Due', 'Balance Due', 'Total Due', 'Total Payable', 'Amount Payable', 'Grand Total', 'Total incl VAT',
    'Total incl Tax', 'Total including VAT', 'Total to Pay', 'Amount to Pay', 'Please Pay', 'Total Amount Due', 'Amount Paid',
    'Total Paid', 'Payment Amount', 'Total Amount Payable'], { strength: 2 }),
  ...labels('total', ['Total', 'Invoice Total', 'Total Amount', 'Balance', 'Total Sale', 'Sale Total', 'Order Total'], { strength: 1 }),
];

const RECEIPT_LABELS: FieldLabel[] = [
  ...labels('date', ['Date', 'Date Paid', 'Paid On', 'Transaction Date', 'Purchase Date', 'Date of Purchase', 'Payment Date', 'Date Time', 'Issued']),
  ...labels('merchant', ['Merchant', 'Sold By', 'Seller', 'Vendor'], { below: false }),
  ...labels('total', ['Amount', 'Sale', 'To Pay', 'Purchase'], { strength: 0 }),
];

const TITLES = /^(?:tax\s+)?invoice$|^(?:sales\s+|payment\s+|cash\s+|till\s+)?receipt$|^(?:credit\s+note|statement|bill|quote|card\s+sale|customer\s+copy|merchant\s+copy|original)$/i;

const readValue = (kind: Kind, text: string): Found | undefined => {
  switch (kind) {
    case 'date': return findDate(text);
    case 'amount': return findAmount(text);
    case 'id': return findIdentifier(text);
    case 'name': {
      const name = readName(text.replace(/^[\s:;.,#–—-]+/, ''));
      return name && !findDate(name) && !findAmount(name) ? { text: name, index: text.indexOf(name), end: text.indexOf(name) + name.length } : undefined;
    }
  }
};

interface Candidate { field: string; value: string; strength: number; order: number; cell: Cell }

/** What stands between a label and its value: separators and stray marks, at most a few characters, for a value said to follow "directly". */
const SEPARATION = /^[\s:;.#№|–—-]*$/;

class Form {
  private readonly lexicon: Labels;
  private readonly hits = new Map<number, LabelHit[]>();

  constructor(readonly layout: Layout, lexicon: FieldLabel[]) {
    this.lexicon = new Labels(lexicon);
    for (const cell of layout.cells) this.hits.set(cell.index, this.lexicon.find(cell.text));
  }

  hitsIn(cell: Cell): LabelHit[] {
    return this.hits.get(cell.index) ?? [];
  }

  /** Whether a cell opens with a label: it is another field's label, not a value. */
  private startsWithLabel(cell: Cell): boolean {
    const first = this.hitsIn(cell)[0];
    return first !== undefined && cell.text.slice(0, first.start).trim() === '';
  }

  /** Every reading of every field, in document order. */
  candidates(): Candidate[] {
    const found: Candidate[] = [];
    for (const cell of this.layout.cells) {
      const hits = this.hitsIn(cell);
      for (const [at, hit] of hits.entries()) {
        const label = hit.label as FieldLabel;
        if (!label.field) continue;
        const kind = KINDS[label.field]!;
        const next = hits[at + 1];
        const after = cell.text.slice(hit.end, next?.start ?? cell.text.length);
        let value: string | undefined;
        if (label.inline) {
          const inline = readValue(kind, after);
          // A heading's number must follow it directly ("Invoice INV-7"), not come somewhere later in its line.
          if (inline && (label.right || SEPARATION.test(after.slice(0, inline.index)))) value = inline.text;
        }
        // Nothing but marks or a rate after the label ("VAT (20%)", "Total:"): the value is elsewhere.
        const endsCell = after.replace(/[\d\s%().,:;#–—-]/g, '').length <= 1;
        if (value === undefined && label.right && endsCell) {
          const beside = this.layout.rightOf(cell)[0];
          if (beside && !this.startsWithLabel(beside)) value = readValue(kind, beside.text)?.text;
        }
        if (value === undefined && label.below && endsCell) {
          for (const under of this.layout.below(cell, hit)) {
            if (this.startsWithLabel(under)) {
              // A row of labels over a row of values: look through the other labels to the values.
              if (this.layout.positioned) continue;
              break;
            }
            value = readValue(kind, under.text)?.text;
            break;
          }
        }
        if (value !== undefined) found.push({ field: label.field, value, strength: label.strength ?? 0, order: found.length, cell });
      }
    }
    return found;
  }
}

const best = (candidates: Candidate[], field: string, pick: 'first' | 'last'): Candidate | undefined => {
  const ofField = candidates.filter((candidate) => candidate.field === field);
  const strongest = Math.max(...ofField.map((candidate) => candidate.strength));
  const strong = ofField.filter((candidate) => candidate.strength === strongest);
  return pick === 'first' ? strong[0] : strong.at(-1);
};

/** A table of items starts here: the letterhead is above it. */
const ITEMS_HEADER = /\b(?:description|qty|quantity|items?|unit\s+price|article)\b/i;

/**
 * The letterhead: above the items, the first text that is a name (no title, label, number, date
 * or address). Who the document is for (`exclude`) is not its letterhead.
 */
const letterhead = (form: Form, exclude: Set<number>): { text: string; index: number } | undefined => {
  const firstPage = form.layout.onPage(1);
  const end = firstPage.findIndex((cell) => ITEMS_HEADER.test(cell.text) || findAmount(cell.text) !== undefined);
  const names = firstPage.slice(0, end < 0 ? 12 : Math.min(end, 16)).flatMap((cell) => {
    if (exclude.has(cell.index)) return [];
    // A title in the same piece of text is cut away ("Meridian Logistics GmbH INVOICE"); any other label rules it out.
    let text = cell.text;
    for (const hit of [...form.hitsIn(cell)].reverse()) {
      if (!hit.label.field) continue;
      if (!TITLES.test(cell.text.slice(hit.start, hit.end))) return [];
      text = `${text.slice(0, hit.start)} ${text.slice(hit.end)}`;
    }
    text = text.split(/\s[·•|+]\s|,\s|\s[–—-]\s/)[0]!.trim();
    if (text.length < 3 || TITLES.test(text) || !/\p{Lu}/u.test(text)) return [];
    if (/^\d|@|www\.|https?:|\b(?:tel|phone|fax|vat|abn|iban)\b/i.test(text)) return [];
    const digits = text.replace(/\D/g, '').length;
    if (digits / text.length > 0.15 || findDate(text) || findAmount(text)) return [];
    return [{ text, height: cell.box?.height ?? 0, index: cell.index }];
  });
  // The topmost, unless it is small print above the letterhead (a sender line, a slogan). Reading
  // order is not enough: the OCR may read a window's address block before a letterhead at the right.
  if (form.layout.positioned) names.sort((a, b) => form.layout.cells[a.index]!.box!.top - form.layout.cells[b.index]!.box!.top);
  const heights = names.map((name) => name.height).sort((a, b) => a - b);
  const typical = heights[Math.floor(heights.length / 2)] ?? 0;
  const chosen = names.find((name) => name.height >= typical * 0.7);
  return chosen && { ...chosen, text: withContinuation(form, chosen) };
};

/**
 * A name too long for a narrow receipt's line goes on in the same large type on the next
 * ("Silverline Healthcare" / "plc"): a short line right under it, as tall, without a figure.
 */
const withContinuation = (form: Form, name: { text: string; index: number }): string => {
  const cell = form.layout.cells[name.index]!;
  // "Pty" goes on ("Pty Ltd"); any other legal form ends a name.
  if (!cell.box || (LEGAL_SUFFIX_AT_END.test(name.text) && !/\bpty$/i.test(name.text))) return name.text;
  // The OCR may set the legal form apart on the same line ("Redwood Legal      LLP").
  const beside = form.layout.rightOf(cell)[0];
  if (beside && LEGAL_SUFFIX_ALONE.test(beside.text.trim()) && beside.box!.left - (cell.box.left + cell.box.width) < 6 * form.layout.charWidth) return `${name.text} ${beside.text.trim()}`;
  const next = form.layout.below(cell)[0];
  if (!next?.box) return name.text;
  const close = next.box.top - (cell.box.top + cell.box.height) < 1.5 * cell.box.height;
  // A suffix alone in capitals ("INC") has no tall letters: it looks smaller than the name it ends.
  const alike = next.box.height >= (LEGAL_SUFFIX_ALONE.test(next.text.trim()) ? 0.55 : 0.8) * cell.box.height;
  const tail = next.text.split(/\s+/).length <= 3 && !/\d/.test(next.text) && !/\b(?:receipt|invoice|statement|bill|copy)\b/i.test(next.text)
    && !form.hitsIn(next).some((hit) => hit.label.field);
  return close && alike && tail ? `${name.text} ${next.text}` : name.text;
};

const LEGAL_SUFFIX_AT_END = new RegExp(`${LEGAL_SUFFIX.source}$`, 'i');
const LEGAL_SUFFIX_ALONE = new RegExp(`^${LEGAL_SUFFIX.source}$`, 'i');

/**
 * A window envelope's address, printed without a label: above the items, a name whose next line
 * is an address (it has a number), that is not the letterhead and does not repeat it.
 */
const addressee = (form: Form, supplier: { text: string; index: number } | undefined): string | undefined => {
  const firstPage = form.layout.onPage(1);
  const end = firstPage.findIndex((cell) => ITEMS_HEADER.test(cell.text) || findAmount(cell.text) !== undefined);
  for (const cell of firstPage.slice(0, end < 0 ? 12 : end)) {
    if (cell.index === supplier?.index || (supplier && cell.text.includes(supplier.text)) || form.hitsIn(cell).some((hit) => hit.label.field)) continue;
    const name = readName(cell.text);
    const next = form.layout.below(cell)[0];
    if (!name || name.length < 4 || !/^\p{L}/u.test(name) || /\d/.test(cell.text) || !next || !/\d/.test(next.text) || findDate(next.text) || findAmount(next.text)) continue;
    // The sender line above the window repeats the letterhead, its first letters perhaps lost at the edge.
    const words = (text: string) => new Set(text.toLowerCase().split(/\s+/));
    if (supplier && [...words(name)].filter((word) => words(supplier.text).has(word)).length >= Math.min(2, words(name).size)) continue;
    return name;
  }
  return undefined;
};

const defined = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));

/** The total: the strongest-labelled amount, the last of them (totals follow subtotals); never smaller than the subtotal. */
const totalOf = (candidates: Candidate[], subtotal: string | undefined): string | undefined => {
  const totals = candidates.filter((candidate) => candidate.field === 'total');
  const ranked = [...totals].sort((a, b) => b.strength - a.strength || b.order - a.order);
  const floor = subtotal ? amountValue(subtotal) : 0;
  return (ranked.find((candidate) => amountValue(candidate.value) >= floor) ?? ranked[0])?.value;
};

export const invoiceFields = (text: DocumentText): Record<string, string> => {
  const form = new Form(new Layout(text), [...OTHER, ...INVOICE_LABELS, ...MONEY_LABELS]);
  const candidates = form.candidates();
  const customer = best(candidates, 'customer', 'first');
  const dueDate = best(candidates, 'dueDate', 'first')?.value;
  // No label for the date of issue: the first date on the invoice that is not its due date.
  const invoiceDate = best(candidates, 'invoiceDate', 'first')?.value
    ?? findDates(form.layout.onPage(1).map((cell) => cell.text).join('\n')).find((date) => date.text !== dueDate)?.text;
  // The customer's name and address block.
  const exclude = new Set(customer ? [customer.cell.index, ...form.layout.below(customer.cell).slice(0, 4).map((cell) => cell.index)] : []);
  const subtotal = best(candidates, 'subtotal', 'last')?.value;
  const head = letterhead(form, exclude);
  return defined({
    invoiceNumber: best(candidates, 'invoiceNumber', 'first')?.value,
    invoiceDate,
    dueDate,
    supplier: best(candidates, 'supplier', 'first')?.value ?? head?.text,
    customer: customer?.value ?? addressee(form, head),
    subtotal,
    tax: best(candidates, 'tax', 'last')?.value,
    total: totalOf(candidates, subtotal),
  });
};

export const receiptFields = (text: DocumentText): Record<string, string> => {
  const form = new Form(new Layout(text), [...OTHER, ...RECEIPT_LABELS, ...MONEY_LABELS]);
  const candidates = form.candidates();
  const subtotal = best(candidates, 'subtotal', 'last')?.value;
  return defined({
    merchant: best(candidates, 'merchant', 'first')?.value ?? letterhead(form, new Set())?.text,
    date: best(candidates, 'date', 'first')?.value ?? findDate(text.lines.map((line) => line.text).join('\n'))?.text,
    subtotal,
    tax: best(candidates, 'tax', 'last')?.value,
    total: totalOf(candidates, subtotal),
  });
};
