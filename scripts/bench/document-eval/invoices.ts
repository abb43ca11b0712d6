import type { EvalDocument, Truth } from './document.js';
import { addDays, bare, DATE_FORMATS, money, randomDate, type CalendarDate, type DateFormat, type Money } from './formats.js';
import { describeLook, escape, FONTS, printed, sheet, type Look, type Noise } from './page.js';
import { COMPANIES, PEOPLE } from './people.js';
import type { Random } from './random.js';

/**
 * Invoices in the layouts suppliers use: labelled lines, a meta table beside the letterhead,
 * labels above their values in boxes, a one-line "Invoice #… · Issued … · Due …", a European
 * window-envelope letter with number and date on one line, and a long one over two pages.
 */
const ITEMS = [
  'Website redesign, phase 1', 'Hosting, 12 months', 'Consulting hours', 'Replacement valve kit', 'Delivery and handling',
  'Annual maintenance contract', 'Translation, 4,200 words', 'A5 flyers, 2000 copies', 'Catering for 40 guests', 'Freight Rotterdam to Hamburg',
  'Ergonomic office chair', 'Software licence, 25 seats', 'On-site support visit', 'Cat6 cable, 305 m box', 'Design workshop, half day',
  'Quarterly audit fee', 'Reception flowers, weekly', 'Dental supplies, assorted', 'Safety inspection', 'Data migration service',
];

const LABELS = {
  number: ['Invoice Number', 'Invoice No.', 'Invoice #', 'Invoice No', 'Inv. No.', 'Invoice ID', 'Invoice Ref.', 'Bill No.'],
  date: ['Invoice Date', 'Date', 'Date of Issue', 'Issue Date', 'Issued', 'Billing Date', 'Date Issued', 'Tax Point'],
  due: ['Due Date', 'Payment Due', 'Due', 'Pay By', 'Due By', 'Date Due', 'Payment Due Date'],
  billTo: ['Bill To', 'Billed To', 'Invoice To', 'Customer', 'Client', 'Sold To', 'Bill to'],
  subtotal: ['Subtotal', 'Sub-total', 'Net Total', 'Total excl. VAT', 'Net Amount', 'Total before tax'],
  taxWord: ['VAT', 'Tax', 'Sales Tax', 'GST'],
  total: ['Total', 'Total Due', 'Amount Due', 'Balance Due', 'Grand Total', 'Total Payable', 'Invoice Total', 'Total Amount Due', 'Amount Payable', 'TOTAL'],
};

interface Item { description: string; quantity: number; unitCents: number }

interface InvoiceData {
  supplier: { name: string; address: string[] };
  customer: { name: string; address: string[] };
  number: string;
  issued: CalendarDate;
  due: CalendarDate | null;
  dateFormat: DateFormat;
  money: Money;
  items: Item[];
  taxRate: number;
  labels: { number: string; date: string; due: string; billTo: string; subtotal: string; tax: string; total: string };
}

const invoiceNumber = (random: Random, year: number): string => random.pick([
  () => `INV-${random.int(10000, 99999)}`,
  () => `${year}-${String(random.int(1, 9999)).padStart(4, '0')}`,
  () => `A/${year}/${random.int(100, 999)}`,
  () => `SI-${String(random.int(1, 99999)).padStart(6, '0')}`,
  () => `F${year}-${random.int(100, 999)}`,
  () => String(random.int(1000, 99999)),
  () => `INV${year}${String(random.int(1, 999)).padStart(3, '0')}`,
  () => `NW-${random.int(100, 999)}-${random.pick(['A', 'B', 'C', 'K', 'X'])}`,
])();

const invoiceData = (random: Random, count = random.int(2, 5)): InvoiceData => {
  const start = random.int(0, ITEMS.length - 1);
  const [supplier, customerCompany] = random.sample(COMPANIES, 2) as [typeof COMPANIES[number], typeof COMPANIES[number]];
  const person = random.pick(PEOPLE);
  const customer = random.chance(0.25) ? { name: person.name, address: person.address } : customerCompany;
  const issued = randomDate(random);
  const format = random.pick(['codeBefore', 'codeAfter', 'symbolBefore', 'continental', 'spacedContinental', 'grouped', 'swiss'] as const);
  const currency = format === 'swiss' ? 'CHF' : random.pick(['EUR', 'USD', 'GBP', 'EUR', 'AUD'] as const);
  const taxRate = random.pick([20, 20, 19, 10, 8, 5, 0]);
  const taxWord = random.pick(LABELS.taxWord);
  return {
    supplier,
    customer,
    number: invoiceNumber(random, issued.year),
    issued,
    due: random.chance(0.75) ? addDays(issued, random.pick([14, 30, 30, 45, 60])) : null,
    dateFormat: random.pick(['iso', 'dayMonthYearSlash', 'monthDayYearSlash', 'dayMonthYearDot', 'dayMonthNameYear', 'dayShortMonthYear', 'monthNameDayYear', 'shortMonthDayYear', 'dayShortMonthYearDash'] as const),
    money: money(format, currency),
    // A long invoice repeats its lines by batch, as a monthly statement of deliveries does.
    items: (count <= ITEMS.length ? random.sample(ITEMS, count)
      : Array.from({ length: count }, (_, index) => `${ITEMS[(start + index) % ITEMS.length]!}, batch ${Math.floor(index / ITEMS.length) + 1}`))
      .map((description) => ({ description, quantity: random.int(1, 12), unitCents: random.int(8, 1800) * 25 })),
    taxRate,
    labels: {
      number: random.pick(LABELS.number),
      date: random.pick(LABELS.date),
      due: random.pick(LABELS.due),
      billTo: random.pick(LABELS.billTo),
      subtotal: random.pick(LABELS.subtotal),
      tax: random.pick([`${taxWord} ${taxRate}%`, `${taxWord} (${taxRate}%)`, taxWord]),
      total: random.pick(LABELS.total),
    },
  };
};

const sums = (data: InvoiceData) => {
  const subtotal = data.items.reduce((sum, item) => sum + item.quantity * item.unitCents, 0);
  const tax = Math.round((subtotal * data.taxRate) / 100);
  return { subtotal, tax, total: subtotal + tax };
};

const date = (data: InvoiceData, value: CalendarDate) => DATE_FORMATS[data.dateFormat](value);

/** The truth of what a layout printed; `bareTotals` when its totals column shows numbers without the currency. */
const truthOf = (data: InvoiceData, { bareTotals = false, subtotalShown = true } = {}): Record<string, Truth> => {
  const { subtotal, tax, total } = sums(data);
  const amount = (cents: number) => (bareTotals ? bare(data.money, cents) : data.money.print(cents));
  return {
    invoiceNumber: data.number,
    invoiceDate: date(data, data.issued),
    dueDate: data.due ? date(data, data.due) : null,
    supplier: data.supplier.name,
    customer: data.customer.name,
    subtotal: subtotalShown ? amount(subtotal) : null,
    tax: data.taxRate > 0 ? amount(tax) : null,
    total: data.money.print(total),
  };
};

const itemsTable = (data: InvoiceData, style = '') => `<table style="width: 100%; border-collapse: collapse; margin: 18px 0; ${style}">
<tr style="font-weight: bold; border-bottom: 1px solid #444"><td>Description</td><td style="text-align: right">Qty</td><td style="text-align: right">Unit price</td><td style="text-align: right">Amount</td></tr>
${data.items.map((item) => `<tr><td style="padding: 3px 0">${escape(item.description)}</td><td style="text-align: right">${item.quantity}</td><td style="text-align: right">${bare(data.money, item.unitCents)}</td><td style="text-align: right">${bare(data.money, item.quantity * item.unitCents)}</td></tr>`).join('\n')}
</table>`;

/** Totals as a two-column block at the right: each label far from its amount. */
const totalsBlock = (data: InvoiceData, { bareTotals = false } = {}) => {
  const { subtotal, tax, total } = sums(data);
  const amount = (cents: number) => escape(bareTotals ? bare(data.money, cents) : data.money.print(cents));
  const row = (label: string, value: string, bold = false) => `<tr style="${bold ? 'font-weight: bold; font-size: 1.15em' : ''}"><td style="padding: 3px 40px 3px 0">${escape(label)}</td><td style="text-align: right">${value}</td></tr>`;
  return `<table style="margin-left: auto; border-collapse: collapse">
${row(data.labels.subtotal, amount(subtotal))}
${data.taxRate > 0 ? row(data.labels.tax, amount(tax)) : ''}
${row(data.labels.total, escape(data.money.print(total)), true)}
</table>`;
};

const address = (lines: string[]) => lines.map(escape).join('<br>');

type Layout = (data: InvoiceData, random: Random) => { body: string; truth: Record<string, Truth>; name: string };

const LAYOUTS: Record<string, Layout> = {
  /** Letterhead, heading, "Label: value" lines, a Bill To block, totals at the right. */
  labelledLines: (data, random) => {
    const inlineBillTo = random.chance(0.4);
    return {
      name: 'labelled lines',
      body: `<div style="font-size: 1.7em; font-weight: bold">${escape(data.supplier.name)}</div>
<div>${escape(data.supplier.address.join(', '))}</div>
<div style="font-size: 2.2em; font-weight: bold; margin-top: 24px">${random.pick(['INVOICE', 'Invoice', 'TAX INVOICE'])}</div>
<p>${escape(data.labels.number)}: ${escape(data.number)}<br>${escape(data.labels.date)}: ${escape(date(data, data.issued))}${data.due ? `<br>${escape(data.labels.due)}: ${escape(date(data, data.due))}` : ''}</p>
${inlineBillTo ? `<p>${escape(data.labels.billTo)}: ${escape(data.customer.name)}, ${escape(data.customer.address.join(', '))}</p>`
    : `<p><b>${escape(data.labels.billTo)}</b><br>${escape(data.customer.name)}<br>${address(data.customer.address)}</p>`}
${itemsTable(data)}
${totalsBlock(data)}
<p style="margin-top: 24px; font-size: 0.85em">Thank you for your business. Please quote the invoice number with your payment.</p>`,
      truth: truthOf(data),
    };
  },

  /** The supplier at the left, INVOICE and a label/value table at the right, BILL TO above the customer. */
  metaTable: (data) => ({
    name: 'meta table beside letterhead',
    body: `<div style="display: flex; justify-content: space-between">
<div><div style="font-size: 1.5em; font-weight: bold">${escape(data.supplier.name)}</div>${address(data.supplier.address)}</div>
<div><div style="font-size: 2em; font-weight: bold; text-align: right; letter-spacing: 2px">INVOICE</div>
<table style="margin-top: 8px; border-collapse: collapse">
<tr><td style="padding: 2px 36px 2px 0">${escape(data.labels.number)}</td><td style="text-align: right">${escape(data.number)}</td></tr>
<tr><td style="padding: 2px 36px 2px 0">${escape(data.labels.date)}</td><td style="text-align: right">${escape(date(data, data.issued))}</td></tr>
${data.due ? `<tr><td style="padding: 2px 36px 2px 0">${escape(data.labels.due)}</td><td style="text-align: right">${escape(date(data, data.due))}</td></tr>` : ''}
</table></div></div>
<div style="margin-top: 28px; font-size: 0.8em; letter-spacing: 1px; text-transform: uppercase; color: #444">${escape(data.labels.billTo)}</div>
<div style="font-weight: bold">${escape(data.customer.name)}</div><div>${address(data.customer.address)}</div>
${itemsTable(data)}
${totalsBlock(data, { bareTotals: true })}`,
    truth: truthOf(data, { bareTotals: true }),
  }),

  /** Boxes in a row, each a small label over its value. */
  labelBoxes: (data) => {
    const { total } = sums(data);
    const box = (label: string, value: string) => `<div style="border: 1px solid #999; padding: 6px 10px; min-width: 150px"><div style="font-size: 0.75em; text-transform: uppercase; color: #555">${escape(label)}</div><div style="font-size: 1.1em">${escape(value)}</div></div>`;
    return {
      name: 'label boxes',
      body: `<div style="font-size: 1.4em; font-weight: bold">${escape(data.supplier.name)}</div><div style="font-size: 0.9em">${escape(data.supplier.address.join(' · '))}</div>
<div style="font-size: 2em; margin: 20px 0 10px">Invoice</div>
<div style="display: flex; gap: 14px">${box(data.labels.number, data.number)}${box(data.labels.date, date(data, data.issued))}${data.due ? box(data.labels.due, date(data, data.due)) : ''}${box(data.labels.total, data.money.print(total))}</div>
<div style="margin-top: 22px"><div style="font-size: 0.75em; text-transform: uppercase; color: #555">${escape(data.labels.billTo)}</div>${escape(data.customer.name)}<br>${address(data.customer.address)}</div>
${itemsTable(data)}
${totalsBlock(data)}`,
      truth: truthOf(data),
    };
  },

  /** A web app's invoice: number in the heading, dates on one line, the amount due large. */
  oneLine: (data) => {
    const { subtotal, tax, total } = sums(data);
    return {
      name: 'number in heading, dates on one line',
      body: `<div style="color: #333">${escape(data.supplier.name)}</div>
<div style="font-size: 1.9em; font-weight: bold; margin: 10px 0">Invoice ${escape(data.number)}</div>
<div>Issued ${escape(date(data, data.issued))}${data.due ? ` · Due ${escape(date(data, data.due))}` : ''}</div>
<div style="margin-top: 22px; color: #555">Billed to</div><div>${escape(data.customer.name)}</div><div>${address(data.customer.address)}</div>
${itemsTable(data)}
<div style="text-align: right">Subtotal ${escape(data.money.print(subtotal))}</div>
${data.taxRate > 0 ? `<div style="text-align: right">Tax ${data.taxRate}% ${escape(data.money.print(tax))}</div>` : ''}
<div style="margin-top: 16px; color: #555; text-align: right">Amount due</div>
<div style="font-size: 2em; font-weight: bold; text-align: right">${escape(data.money.print(total))}</div>`,
      truth: { ...truthOf(data), invoiceDate: date(data, data.issued) },
    };
  },

  /** A European letter: sender line above the window, the customer's address (no label), number and date on one line. */
  windowLetter: (data, random) => {
    const { subtotal, tax, total } = sums(data);
    return {
      name: 'window letter, number and date on one line',
      body: `<div style="text-align: right"><div style="font-size: 1.5em; font-weight: bold">${escape(data.supplier.name)}</div>${address(data.supplier.address)}</div>
<div style="font-size: 0.7em; text-decoration: underline; margin-top: 30px">${escape(data.supplier.name)} · ${escape(data.supplier.address[0] ?? '')}</div>
<div style="margin-top: 6px">${escape(data.customer.name)}<br>${address(data.customer.address)}</div>
<div style="font-size: 1.5em; font-weight: bold; margin-top: 36px">Invoice</div>
<div style="display: flex; gap: 60px"><span>${escape(data.labels.number)}: ${escape(data.number)}</span><span>${escape(data.labels.date)}: ${escape(date(data, data.issued))}</span></div>
${itemsTable(data)}
<p style="text-align: right">${escape(data.labels.subtotal)}: ${escape(data.money.print(subtotal))}${data.taxRate > 0 ? `<br>${escape(data.labels.tax)}: ${escape(data.money.print(tax))}` : ''}<br><b>${escape(data.labels.total)}: ${escape(data.money.print(total))}</b></p>
${data.due ? `<p>Please pay by ${escape(date(data, data.due))}.</p>` : `<p>${random.pick(['Payable on receipt.', 'Thank you for your order.'])}</p>`}`,
      truth: truthOf(data),
    };
  },
};

const noiseFor = (random: Random): Noise => random.pick(['clean', 'clean', 'scan', 'scan', 'faint', 'photo', 'edge']);

export const invoices = (random: Random, count: number, split: EvalDocument['split'], startAt = 1): EvalDocument[] => {
  const names = Object.keys(LAYOUTS);
  return Array.from({ length: count }, (_, index) => {
    const number = startAt + index;
    const multiPage = index % 6 === 5;
    const data = invoiceData(random, multiPage ? random.int(38, 48) : undefined);
    const layoutName = names[index % names.length]!;
    const layout = LAYOUTS[layoutName]!(data, random);
    const look: Look = { font: random.pick(FONTS), size: random.pick([14, 15, 16, 17, 18]), noise: multiPage ? random.pick(['clean', 'scan'] as const) : noiseFor(random) };
    const id = `invoice-${String(number).padStart(2, '0')}`;
    const formats = `${data.dateFormat} dates, ${data.money.format} ${data.money.currency}`;
    if (multiPage) {
      return { id, split, class: 'INVOICE', output: { format: 'pdf' }, html: printed([layout.body], look, random), truth: layout.truth, description: `${layout.name}, ${data.items.length} items over two pages (PDF); ${formats}; ${describeLook(look)}` };
    }
    return {
      id, split, class: 'INVOICE', output: { format: 'png', width: 1000, height: 1300 }, html: sheet(layout.body, look, random), truth: layout.truth,
      description: `${layout.name}; ${formats}; ${describeLook(look)}`,
    };
  });
};
