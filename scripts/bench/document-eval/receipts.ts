import type { EvalDocument, Truth } from './document.js';
import { bare, DATE_FORMATS, money, randomDate, type DateFormat, type Money } from './formats.js';
import { describeLook, escape, FONTS, sheet, type Look } from './page.js';
import { COMPANIES } from './people.js';
import type { Random } from './random.js';

/**
 * Receipts as they come: a till roll in a monospaced face, a card terminal slip, an online
 * payment receipt, a restaurant bill with a service charge.
 */
const GOODS = ['Flat white', 'Sourdough loaf', 'AA batteries 4pk', 'Notebook A5', 'Cheddar 200g', 'Bananas 1kg', 'Phone charger', 'Sparkling water',
  'Chicken wrap', 'Paracetamol 16', 'Oat milk 1L', 'Ballpoint pens 10', 'Printer paper A4', 'Espresso', 'Green salad', 'Hand soap'];
const DISHES = ['Tomato soup', 'Grilled halloumi', 'Fish and chips', 'Risotto ai funghi', 'Sticky toffee pudding', 'House red, 175ml', 'Lemonade', 'Steak frites'];

interface ReceiptData {
  merchant: { name: string; address: string[] };
  when: { date: string; time: string };
  money: Money;
  lines: { name: string; cents: number }[];
  taxRate: number;
}

const receiptData = (random: Random, pool: string[]): ReceiptData => {
  const merchant = random.pick(COMPANIES);
  const format: DateFormat = random.pick(['dayMonthYearSlash', 'monthDayYearSlash', 'iso', 'dayMonthYearDot', 'shortYearSlash', 'dayShortMonthYear', 'shortMonthDayYear']);
  return {
    merchant,
    when: { date: DATE_FORMATS[format](randomDate(random)), time: `${String(random.int(7, 21)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}` },
    money: money(random.pick(['plain', 'grouped', 'symbolBefore', 'codeBefore', 'continental'] as const), random.pick(['EUR', 'GBP', 'USD'] as const)),
    lines: random.sample(pool, random.int(2, 6)).map((name) => ({ name, cents: random.int(60, 2400) })),
    taxRate: random.pick([0, 20, 10, 7]),
  };
};

const sum = (data: ReceiptData) => data.lines.reduce((total, line) => total + line.cents, 0);

type Layout = (data: ReceiptData, random: Random) => { name: string; body: string; width: number; truth: Record<string, Truth>; mono: boolean };

const LAYOUTS: Layout[] = [
  /** A till roll: narrow, centred header, prices right, VAT included and shown, cash and change. */
  (data, random) => {
    const total = sum(data);
    const vat = Math.round(total - total / (1 + data.taxRate / 100));
    const tendered = Math.ceil(total / 500) * 500 + (random.chance(0.5) ? 500 : 0);
    const paidByCard = random.chance(0.5);
    const row = (label: string, value: string, style = '') => `<div style="display: flex; justify-content: space-between; ${style}"><span>${escape(label)}</span><span>${escape(value)}</span></div>`;
    const dateLine = random.chance(0.5) ? `${data.when.date} ${data.when.time}` : `Date: ${data.when.date}  Time: ${data.when.time}`;
    return {
      name: 'till roll',
      width: 480,
      mono: true,
      body: `<div style="text-align: center; font-size: 1.5em; font-weight: bold">${escape(data.merchant.name)}</div>
<div style="text-align: center">${escape(data.merchant.address[0] ?? '')}</div><div style="text-align: center">Tel 01632 ${random.int(100000, 999999)}</div>
<div style="margin: 12px 0">${escape(dateLine)}</div>
${data.lines.map((line) => row(line.name, bare(data.money, line.cents))).join('\n')}
<div style="border-top: 1px dashed #333; margin: 8px 0"></div>
${row('TOTAL', data.money.print(total), 'font-weight: bold; font-size: 1.2em')}
${data.taxRate > 0 ? row(`incl. VAT ${data.taxRate}%`, bare(data.money, vat)) : ''}
${paidByCard ? row('CARD', bare(data.money, total)) : `${row('CASH', bare(data.money, tendered))}${row('CHANGE', bare(data.money, tendered - total))}`}
<div style="text-align: center; margin-top: 14px">Thank you for shopping with us</div>`,
      truth: { merchant: data.merchant.name, date: data.when.date, subtotal: null, tax: data.taxRate > 0 ? bare(data.money, vat) : null, total: data.money.print(total) },
    };
  },
  /** A card terminal's slip: no items, the amount, the card, the date. */
  (data, random) => {
    const total = sum(data);
    return {
      name: 'card terminal slip',
      width: 420,
      mono: true,
      body: `<div style="text-align: center; font-weight: bold">${escape(data.merchant.name.toUpperCase())}</div>
<div style="text-align: center">${escape(data.merchant.address.join(', '))}</div>
<div style="margin-top: 12px">MERCHANT ID ${random.int(10000000, 99999999)}</div><div>TERMINAL ${random.int(1000, 9999)}</div>
<div style="margin-top: 10px; text-align: center; font-weight: bold">CARD SALE</div>
<div>${escape(random.pick(['VISA', 'MASTERCARD', 'AMEX']))} **** **** **** ${random.int(1000, 9999)}</div>
<div>${escape(data.when.date)}&nbsp;&nbsp;&nbsp;${escape(data.when.time)}</div>
<div style="display: flex; justify-content: space-between; margin-top: 10px; font-size: 1.2em; font-weight: bold"><span>${random.pick(['AMOUNT', 'TOTAL'])}</span><span>${escape(data.money.print(total))}</span></div>
<div style="margin-top: 10px; text-align: center">APPROVED · AUTH CODE ${random.int(100000, 999999)}</div>
<div style="text-align: center">CUSTOMER COPY - PLEASE RETAIN</div>`,
      truth: { merchant: data.merchant.name.toUpperCase(), date: data.when.date, subtotal: null, tax: null, total: data.money.print(total) },
    };
  },
  /** An online payment receipt: a receipt number, the date paid, an items table, the amount paid. */
  (data, random) => {
    const subtotal = sum(data);
    const tax = Math.round((subtotal * data.taxRate) / 100);
    const total = subtotal + tax;
    return {
      name: 'online payment receipt',
      width: 900,
      mono: false,
      body: `<div style="font-size: 1.4em; font-weight: bold">${escape(data.merchant.name)}</div>
<div style="font-size: 1.8em; margin: 16px 0">Receipt</div>
<table style="border-collapse: collapse"><tr><td style="padding: 2px 60px 2px 0">Receipt number</td><td>${random.int(1000, 9999)}-${random.int(1000, 9999)}</td></tr>
<tr><td style="padding: 2px 60px 2px 0">Date paid</td><td>${escape(data.when.date)}</td></tr>
<tr><td style="padding: 2px 60px 2px 0">Payment method</td><td>${random.pick(['Visa', 'Mastercard', 'PayPal'])} - ${random.int(1000, 9999)}</td></tr></table>
<table style="width: 100%; margin-top: 20px; border-collapse: collapse">${data.lines.map((line) => `<tr><td style="padding: 3px 0">${escape(line.name)}</td><td style="text-align: right">${escape(data.money.print(line.cents))}</td></tr>`).join('')}
<tr style="border-top: 1px solid #888"><td>Subtotal</td><td style="text-align: right">${escape(data.money.print(subtotal))}</td></tr>
${data.taxRate > 0 ? `<tr><td>Tax (${data.taxRate}%)</td><td style="text-align: right">${escape(data.money.print(tax))}</td></tr>` : ''}
<tr style="font-weight: bold"><td>Amount paid</td><td style="text-align: right">${escape(data.money.print(total))}</td></tr></table>
<p style="margin-top: 24px; font-size: 0.85em">Questions? Contact us at billing@example.com.</p>`,
      truth: { merchant: data.merchant.name, date: data.when.date, subtotal: data.money.print(subtotal), tax: data.taxRate > 0 ? data.money.print(tax) : null, total: data.money.print(total) },
    };
  },
  /** A restaurant bill: table and covers, dishes, a service charge, the total. */
  (data, random) => {
    const subtotal = sum(data);
    const service = Math.round(subtotal * 0.125);
    const total = subtotal + service;
    return {
      name: 'restaurant bill',
      width: 560,
      mono: false,
      body: `<div style="text-align: center; font-size: 1.6em; font-style: italic">${escape(data.merchant.name)}</div>
<div style="text-align: center">${escape(data.merchant.address.join(', '))}</div>
<div style="margin-top: 12px">Table ${random.int(1, 30)} · Covers ${random.int(1, 6)} · Server: ${random.pick(['Maya', 'Tom', 'Luis', 'Anna'])}</div>
<div>${escape(data.when.date)} ${escape(data.when.time)}</div>
<table style="width: 100%; margin-top: 10px">${data.lines.map((line) => `<tr><td>${escape(line.name)}</td><td style="text-align: right">${escape(bare(data.money, line.cents))}</td></tr>`).join('')}</table>
<div style="display: flex; justify-content: space-between; margin-top: 8px"><span>Subtotal</span><span>${escape(data.money.print(subtotal))}</span></div>
<div style="display: flex; justify-content: space-between"><span>Service 12.5%</span><span>${escape(data.money.print(service))}</span></div>
<div style="display: flex; justify-content: space-between; font-weight: bold; font-size: 1.2em"><span>Total</span><span>${escape(data.money.print(total))}</span></div>
<div style="text-align: center; margin-top: 12px">Thank you! Service charge is discretionary.</div>`,
      truth: { merchant: data.merchant.name, date: data.when.date, subtotal: data.money.print(subtotal), tax: null, total: data.money.print(total) },
    };
  },
];

export const receipts = (random: Random, count: number, split: EvalDocument['split'], startAt = 1): EvalDocument[] =>
  Array.from({ length: count }, (_, index) => {
    const layoutIndex = index % LAYOUTS.length;
    const data = receiptData(random, layoutIndex === 3 ? DISHES : GOODS);
    const layout = LAYOUTS[layoutIndex]!(data, random);
    const look: Look = {
      font: layout.mono ? random.pick(["'DejaVu Sans Mono', monospace", "'Liberation Mono', monospace"]) : random.pick(FONTS),
      size: random.pick([15, 16, 17, 18, 20]),
      noise: random.pick(['clean', 'scan', 'scan', 'faint', 'photo']),
    };
    const height = 320 + 34 * data.lines.length + 360;
    return {
      id: `receipt-${String(startAt + index).padStart(2, '0')}`,
      split,
      class: 'RECEIPT',
      output: { format: 'png', width: layout.width, height },
      html: sheet(layout.body, look, random),
      truth: layout.truth,
      description: `${layout.name}; ${data.money.format} ${data.money.currency}; ${describeLook(look)}`,
    };
  });
