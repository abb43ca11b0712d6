import type { EvalDocument, Truth } from './document.js';
import { addDays, bare, DATE_FORMATS, money, randomDate, type DateFormat } from './formats.js';
import { describeLook, escape, FONTS, printed, sheet, type Look } from './page.js';
import { COMPANIES, JURISDICTIONS, PEOPLE } from './people.js';
import type { Random } from './random.js';

/**
 * Layouts written after the extraction was finished, and scored, never tuned on (the "unseen"
 * part of the set): a US invoice with side-by-side BILL TO / SHIP TO blocks and its meta in a
 * bordered table, an invoice whose labels stand on their own line above each value, a pharmacy
 * receipt with the date at the bottom, a taxi receipt, an NDA written as a letter, a statement of
 * work, and an employment contract with a fixed term.
 */
type Made = { name: string; html: string; output: EvalDocument['output']; truth: Record<string, Truth>; class: EvalDocument['class']; look: Look };

const usInvoice = (random: Random): Made => {
  const [supplier, customer] = random.sample(COMPANIES, 2) as [typeof COMPANIES[number], typeof COMPANIES[number]];
  const issued = randomDate(random);
  const format: DateFormat = random.pick(['monthDayYearSlash', 'shortMonthDayYear', 'monthNameDayYear']);
  const cash = money('symbolBefore', 'USD');
  const lines = random.sample(['Labor', 'Materials', 'Permit fees', 'Equipment rental', 'Disposal'], random.int(2, 4)).map((name) => ({ name, cents: random.int(40, 900) * 100 }));
  const subtotal = lines.reduce((sum, line) => sum + line.cents, 0);
  const tax = Math.round(subtotal * 0.0725);
  const number = String(random.int(1000, 9999));
  const look: Look = { font: random.pick(FONTS), size: 15, noise: random.pick(['clean', 'scan']) };
  const cell = 'border: 1px solid #555; padding: 4px 10px';
  const html = sheet(`<div style="display: flex; justify-content: space-between"><div><div style="font-size: 1.6em; font-weight: bold">${escape(supplier.name)}</div>${supplier.address.map(escape).join('<br>')}</div>
<div style="text-align: right"><div style="font-size: 2.2em; color: #345">INVOICE</div><table style="border-collapse: collapse; margin-left: auto"><tr><td style="${cell}">INVOICE #</td><td style="${cell}">DATE</td></tr><tr><td style="${cell}">${number}</td><td style="${cell}">${escape(DATE_FORMATS[format](issued))}</td></tr></table></div></div>
<div style="display: flex; gap: 80px; margin-top: 30px"><div><div style="background: #345; color: #fff; padding: 2px 6px">BILL TO</div>${escape(customer.name)}<br>${customer.address.map(escape).join('<br>')}</div>
<div><div style="background: #345; color: #fff; padding: 2px 6px">SHIP TO</div>${escape(customer.name)}<br>${escape(customer.address[0] ?? '')}</div></div>
<table style="width: 100%; margin-top: 24px; border-collapse: collapse">${lines.map((line) => `<tr><td style="${cell}">${escape(line.name)}</td><td style="${cell}; text-align: right">${bare(cash, line.cents)}</td></tr>`).join('')}</table>
<table style="margin-left: auto; margin-top: 12px"><tr><td style="padding: 3px 30px 3px 0">SUBTOTAL</td><td style="text-align: right">${escape(cash.print(subtotal))}</td></tr>
<tr><td style="padding: 3px 30px 3px 0">SALES TAX (7.25%)</td><td style="text-align: right">${escape(cash.print(tax))}</td></tr>
<tr style="font-weight: bold"><td style="padding: 3px 30px 3px 0; border-top: 2px solid #345">TOTAL</td><td style="text-align: right; border-top: 2px solid #345">${escape(cash.print(subtotal + tax))}</td></tr></table>
<p style="margin-top: 30px">Make all checks payable to ${escape(supplier.name)}. Thank you for your business!</p>`, look, random);
  return {
    name: 'US invoice: meta in a bordered table, BILL TO and SHIP TO side by side', class: 'INVOICE', look, html, output: { format: 'png', width: 1000, height: 1200 },
    truth: { invoiceNumber: number, invoiceDate: DATE_FORMATS[format](issued), dueDate: null, supplier: supplier.name, customer: customer.name, subtotal: cash.print(subtotal), tax: cash.print(tax), total: cash.print(subtotal + tax) },
  };
};

const stackedLabels = (random: Random): Made => {
  const [supplier, customer] = random.sample(COMPANIES, 2) as [typeof COMPANIES[number], typeof COMPANIES[number]];
  const issued = randomDate(random);
  const due = addDays(issued, 30);
  const format: DateFormat = random.pick(['dayMonthNameYear', 'dayMonthYearDot', 'iso']);
  const cash = money(random.pick(['codeAfter', 'continental'] as const), 'EUR');
  const total = random.int(200, 9000) * 100 + random.int(0, 99);
  const net = Math.round(total / 1.19);
  const number = `RE-${issued.year}-${random.int(100, 999)}`;
  const look: Look = { font: random.pick(FONTS), size: 16, noise: random.pick(['clean', 'faint', 'scan']) };
  const field = (label: string, value: string) => `<div style="margin-bottom: 10px"><div style="font-size: 0.8em; color: #444">${escape(label)}:</div><div>${escape(value)}</div></div>`;
  const html = sheet(`<div style="font-size: 1.5em; font-weight: bold">${escape(supplier.name)}</div><div>${escape(supplier.address.join(' | '))}</div>
<div style="display: flex; gap: 60px; margin-top: 30px"><div style="width: 50%">${field('Invoice recipient', customer.name)}${escape(customer.address.join(', '))}</div>
<div>${field('Invoice no.', number)}${field('Invoice date', DATE_FORMATS[format](issued))}${field('Payment due', DATE_FORMATS[format](due))}</div></div>
<h2 style="margin-top: 30px">Invoice</h2><p>For services rendered as agreed.</p>
<table style="margin-left: auto"><tr><td style="padding: 3px 40px 3px 0">Net amount</td><td style="text-align: right">${escape(cash.print(net))}</td></tr>
<tr><td style="padding: 3px 40px 3px 0">VAT 19%</td><td style="text-align: right">${escape(cash.print(total - net))}</td></tr>
<tr style="font-weight: bold"><td style="padding: 3px 40px 3px 0">Invoice total</td><td style="text-align: right">${escape(cash.print(total))}</td></tr></table>`, look, random);
  return {
    name: 'labels on their own line above each value', class: 'INVOICE', look, html, output: { format: 'png', width: 1000, height: 1000 },
    truth: { invoiceNumber: number, invoiceDate: DATE_FORMATS[format](issued), dueDate: DATE_FORMATS[format](due), supplier: supplier.name, customer: customer.name, subtotal: cash.print(net), tax: cash.print(total - net), total: cash.print(total) },
  };
};

const pharmacy = (random: Random): Made => {
  const store = random.pick(['Greenleaf Pharmacy', 'CityCare Chemist', 'Northside Drugstore']);
  const when = randomDate(random);
  const format: DateFormat = random.pick(['monthDayYearSlash', 'shortYearSlash', 'iso']);
  const items = random.sample(['Vitamin D 1000IU', 'Ibuprofen 200mg', 'Plasters x20', 'Sun cream SPF50', 'Toothpaste'], 3).map((name) => ({ name, cents: random.int(150, 1500) }));
  const subtotal = items.reduce((sum, item) => sum + item.cents, 0);
  const tax = Math.round(subtotal * 0.06);
  const cash = money('plain', 'USD');
  const look: Look = { font: "'DejaVu Sans Mono', monospace", size: 17, noise: random.pick(['clean', 'photo', 'scan']) };
  const row = (a: string, b: string) => `<div style="display: flex; justify-content: space-between"><span>${escape(a)}</span><span>${escape(b)}</span></div>`;
  const html = sheet(`<div style="text-align: center; font-weight: bold; font-size: 1.3em">${escape(store)}</div><div style="text-align: center">STORE #${random.int(100, 999)}</div>
<div style="margin-top: 14px">${items.map((item) => row(item.name, bare(cash, item.cents))).join('')}</div>
${row('SUBTOTAL', bare(cash, subtotal))}${row('TAX 6%', bare(cash, tax))}<div style="font-weight: bold">${row('TOTAL', cash.print(subtotal + tax))}</div>
${row('VISA CREDIT', bare(cash, subtotal + tax))}<div style="margin-top: 14px; text-align: center">${escape(DATE_FORMATS[format](when))} ${random.int(10, 20)}:${random.int(10, 59)}</div><div style="text-align: center">RX AND RETURNS WITHIN 30 DAYS</div>`, look, random);
  return {
    name: 'pharmacy receipt, date at the bottom', class: 'RECEIPT', look, html, output: { format: 'png', width: 480, height: 700 },
    truth: { merchant: store, date: DATE_FORMATS[format](when), subtotal: bare(cash, subtotal), tax: bare(cash, tax), total: cash.print(subtotal + tax) },
  };
};

const taxi = (random: Random): Made => {
  const company = random.pick(['Metro Cabs Ltd', 'Blue Line Taxis', 'Harbour City Cars']);
  const when = randomDate(random);
  const format: DateFormat = random.pick(['dayMonthYearSlash', 'dayShortMonthYear']);
  const fare = random.int(800, 6000);
  const tip = random.int(0, 500);
  const cash = money('symbolBefore', 'GBP');
  const look: Look = { font: random.pick(FONTS), size: 18, noise: random.pick(['clean', 'photo']) };
  const html = sheet(`<div style="font-size: 1.4em; font-weight: bold">${escape(company)}</div><div>Passenger receipt</div>
<p>Date of journey: ${escape(DATE_FORMATS[format](when))}<br>From: King's Cross Station<br>To: 22 Mill Lane<br>Driver: ${random.int(1000, 9999)}</p>
<table><tr><td style="padding-right: 60px">Fare</td><td>${escape(cash.print(fare))}</td></tr><tr><td>Tip</td><td>${escape(cash.print(tip))}</td></tr>
<tr style="font-weight: bold"><td>Total paid</td><td>${escape(cash.print(fare + tip))}</td></tr></table><p>Paid by card. Thank you for riding with us.</p>`, look, random);
  return {
    name: 'taxi receipt: fare, tip, total paid', class: 'RECEIPT', look, html, output: { format: 'png', width: 620, height: 640 },
    truth: { merchant: company, date: DATE_FORMATS[format](when), subtotal: null, tax: null, total: cash.print(fare + tip) },
  };
};

const ndaLetter = (random: Random): Made => {
  const [company, counterpart] = random.sample(COMPANIES, 2) as [typeof COMPANIES[number], typeof COMPANIES[number]];
  const [signer, recipient] = random.sample(PEOPLE, 2) as [typeof PEOPLE[number], typeof PEOPLE[number]];
  const when = randomDate(random);
  const years = random.int(2, 5);
  const words = ['', 'one', 'two', 'three', 'four', 'five'];
  const law = random.pick(JURISDICTIONS);
  const look: Look = { font: random.pick(FONTS.filter((font) => !font.includes('Mono'))), size: 15, noise: random.pick(['clean', 'scan']) };
  const html = printed([`<p style="text-align: right">${escape(company.name)}<br>${company.address.map(escape).join('<br>')}</p>
<p>${escape(DATE_FORMATS.dayMonthNameYear(when))}</p><p>${escape(recipient.name)}<br>${escape(counterpart.name)}<br>${counterpart.address.map(escape).join('<br>')}</p>
<p><b>Confidentiality undertaking</b></p><p>Dear ${escape(recipient.name.split(' ')[0] ?? '')},</p>
<p>In connection with our discussions about a possible supply arrangement, ${escape(company.name)} will share information with ${escape(counterpart.name)} that is not public. In consideration of our sharing it, ${escape(counterpart.name)} agrees to keep all such information strictly confidential and not to disclose it to any third party, and to use it only to evaluate the arrangement.</p>
<p>This letter agreement remains in effect for ${words[years]} years from the date above and is governed by the laws of ${escape(law.printed)}.</p>
<p>Please sign and return a copy to confirm your agreement.</p><p>Yours sincerely,</p><p style="margin-top: 30px">${escape(signer.name)}<br>${escape(signer.title)}, ${escape(company.name)}</p>
<p style="margin-top: 30px">Agreed and accepted for and on behalf of ${escape(counterpart.name)}:</p><p style="margin-top: 30px">${escape(recipient.name)}<br>${escape(recipient.title)}</p>`], look, random);
  return {
    name: 'NDA as a letter', class: 'CONTRACT', look, html, output: { format: 'pdf' },
    truth: {
      contractType: 'NDA', title: 'Confidentiality undertaking', parties: [company.name, counterpart.name], effectiveDate: DATE_FORMATS.dayMonthNameYear(when),
      term: { anyOf: [`${words[years]} years`, `${years} years`] }, governingLaw: { anyOf: [law.truth, law.printed] }, confidentiality: { mentions: 'confiden' }, liability: null, signature: [signer.name, recipient.name],
    },
  };
};

const statementOfWork = (random: Random): Made => {
  const [client, vendor] = random.sample(COMPANIES, 2) as [typeof COMPANIES[number], typeof COMPANIES[number]];
  const [a, b] = random.sample(PEOPLE, 2) as [typeof PEOPLE[number], typeof PEOPLE[number]];
  const start = randomDate(random);
  const format: DateFormat = random.pick(['iso', 'monthNameDayYear']);
  const weeks = random.pick([8, 10, 12, 16]);
  const law = random.pick(JURISDICTIONS);
  const look: Look = { font: random.pick(FONTS.filter((font) => !font.includes('Mono'))), size: 14, noise: 'clean' };
  const title = `Statement of Work No. ${random.int(1, 9)}`;
  const row = (label: string, value: string) => `<tr><td style="padding: 4px 20px 4px 0; font-weight: bold; vertical-align: top">${escape(label)}</td><td>${escape(value)}</td></tr>`;
  const html = printed([`<h1>${title}</h1>
<table>${row('Client', client.name)}${row('Service Provider', vendor.name)}${row('Start date', DATE_FORMATS[format](start))}${row('Duration', `${weeks} weeks`)}</table>
<h3>1. Scope</h3><p>The Service Provider will migrate the Client's customer records to the new platform and train its staff.</p>
<h3>2. Fees</h3><p>Fixed fee payable in three instalments within 30 days of each invoice.</p>
<h3>3. Liability</h3><p>The Service Provider's total liability under this Statement of Work shall not exceed the fixed fee.</p>
<h3>4. Law</h3><p>This Statement of Work is governed by the laws of ${escape(law.printed)}.</p>
<p style="margin-top: 30px">Signature: ____________ Name: ${escape(a.name)}</p><p>Signature: ____________ Name: ${escape(b.name)}</p>`], look, random);
  return {
    name: 'statement of work, parties in a table, duration in weeks', class: 'CONTRACT', look, html, output: { format: 'pdf' },
    truth: {
      contractType: 'SERVICE_AGREEMENT', title, parties: [client.name, vendor.name], effectiveDate: DATE_FORMATS[format](start),
      term: { anyOf: [`${weeks} weeks`] }, governingLaw: { anyOf: [law.truth, law.printed] }, confidentiality: null, liability: { mentions: 'liab' }, signature: [a.name, b.name],
    },
  };
};

const employment = (random: Random): Made => {
  const employer = random.pick(COMPANIES);
  const employee = random.pick(PEOPLE);
  const start = randomDate(random);
  const months = random.pick([6, 12, 18]);
  const law = random.pick(JURISDICTIONS);
  const look: Look = { font: random.pick(FONTS.filter((font) => !font.includes('Mono'))), size: 15, noise: random.pick(['clean', 'scan']) };
  const html = printed([`<h2 style="text-align: center">FIXED-TERM EMPLOYMENT CONTRACT</h2>
<p>This contract is made on ${escape(DATE_FORMATS.dayMonthNameYear(start))} between ${escape(employer.name)} (the "Employer") and ${escape(employee.name)} of ${escape(employee.address.join(', '))} (the "Employee").</p>
<p>1. Position. The Employee is employed as Project Coordinator.</p><p>2. Duration. The employment is for a fixed term of ${months} months starting on ${escape(DATE_FORMATS.dayMonthNameYear(start))}.</p>
<p>3. Salary. The Employee is paid monthly in arrears.</p><p>4. Confidentiality. The Employee shall not disclose the Employer's confidential information during or after the employment.</p>
<p>5. Law. This contract is governed by the laws of ${escape(law.printed)}.</p><p style="margin-top: 30px">Signed: ${escape(employer.name)}</p><p>Signed: ${escape(employee.name)}</p>`], look, random);
  return {
    name: 'fixed-term employment contract', class: 'CONTRACT', look, html, output: { format: 'pdf' },
    truth: {
      contractType: 'OTHER', title: 'FIXED-TERM EMPLOYMENT CONTRACT', parties: [employer.name, employee.name], effectiveDate: DATE_FORMATS.dayMonthNameYear(start),
      term: { anyOf: [`${months} months`] }, governingLaw: { anyOf: [law.truth, law.printed] }, confidentiality: { mentions: 'confiden' }, liability: null, signature: [employer.name, employee.name],
    },
  };
};

const MAKERS = [usInvoice, stackedLabels, pharmacy, taxi, ndaLetter, statementOfWork, employment];

export const newLayouts = (random: Random, each: number): EvalDocument[] =>
  MAKERS.flatMap((make, kind) => Array.from({ length: each }, (_, index) => {
    const made = make(random);
    return {
      id: `unseen-${String(kind * each + index + 1).padStart(2, '0')}`,
      split: 'unseen' as const,
      class: made.class,
      output: made.output,
      html: made.html,
      truth: made.truth,
      description: `${made.name}; ${describeLook(made.look)}`,
    };
  }));
