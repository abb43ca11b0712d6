import type { ApprovalRecord, ApprovalSubject } from '../../functions/shared/approvals/approval.js';
import { decidedPage, decisionFormPage } from '../../functions/shared/approvals/pages.js';
import { approvalRequestEmail, backorderedEmail, orderClosedEmail, type Email } from '../../functions/shared/notifications/emails.js';
import { cleanText, inertText } from '../../functions/shared/text.js';

/**
 * What an approver is shown, in the email and on the page behind its link: what is asked (an
 * order's lines, total and destination; a document's name, class, fields and failed checks), with
 * what the customer wrote cleaned, labelled as theirs and, in an email, never a link.
 */
const RLO = '\u202E';
// Control (but the line breaks of a plain-text email), format, line and paragraph separator characters.
const INVISIBLE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** What mail clients turn into links: a scheme, `www.`, an address, or a bare domain name. */
const LINKABLE = /\b[a-z][a-z0-9+.-]*:\/\/\S+|\bwww\.\S+|\b[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}\b|\b(?:[a-z0-9-]+\.)+(?:com|net|org|example|zip|exe|io|app|uk|de)\b/gi;

const SIGNED = { approveLink: 'https://api.example.com/approvals/approve-ord_1?sig=a&intent=approve', rejectLink: 'https://api.example.com/approvals/approve-ord_1?sig=a&intent=reject' };

const orderRequest: ApprovalSubject = {
  kind: 'order',
  id: 'ord_1',
  summary: 'Orders over 500.00 need an approval before any money or stock moves.',
  amount: { amount: 149900, currency: 'EUR' },
  order: {
    items: [
      { sku: 'LAP-PRO-14', name: 'Laptop Pro 14', quantity: 1, unitPrice: { amount: 139900, currency: 'EUR' }, lineTotal: { amount: 139900, currency: 'EUR' } },
      { sku: 'CBL-USBC-1M', name: 'USB-C cable', quantity: 2, unitPrice: { amount: 5000, currency: 'EUR' }, lineTotal: { amount: 10000, currency: 'EUR' } },
    ],
    total: { amount: 149900, currency: 'EUR' },
    shippingAddress: { name: `Ada ${RLO}ecalevoL\u200B`, line1: 'Pay at https://evil.example/pay now', city: 'www.evil.example', postalCode: 'N1\u00A09GU', country: 'GB' },
    email: 'ada@example.com',
  },
};

const documentRequest: ApprovalSubject = {
  kind: 'document',
  id: 'doc_1',
  summary: 'A check failed or the classification is unsure, so a person decides before it is filed.',
  document: {
    filename: `contract-${RLO}fdp.exe`,
    class: 'CONTRACT',
    confidence: 0.85,
    fields: { parties: 'Initech LLC; see initech.example/terms', signature: `Peter\nGibbons${RLO}` },
    checks: [
      { name: 'required-fields', passed: true, detail: 'found parties, term, signature' },
      { name: 'prohibited-terms', passed: false, detail: 'found "unlimited liability" on page 1' },
    ],
  },
};

const emailFor = (request: ApprovalSubject): Email =>
  approvalRequestEmail({ request, approver: 'boss@example.com', expiresAt: '2026-11-24T10:10:00.000Z', ...SIGNED });

const record = (request: ApprovalSubject): ApprovalRecord => ({
  approvalId: `approve-${request.id}`, status: 'PENDING', request, approver: 'boss@example.com', expiresAt: '2026-11-24T10:10:00.000Z',
});

describe('cleanText and inertText', () => {
  it.each([
    [`invoice${RLO}fdp.exe`, 'invoicefdp.exe', 'invoicefdp[.]exe'],
    ['Ada\u200B\u2066Lovelace\u2069', 'AdaLovelace', 'AdaLovelace'],
    ['12 Row\r\n\tLondon\u0085\u2028', '12 Row London', '12 Row London'],
    ['https://evil.example/pay?x=1', 'https://evil.example/pay?x=1', 'https[:]//evil[.]example/pay?x=1'],
    ['ＷＷＷ．evil．com', 'WWW.evil.com', 'WWW[.]evil[.]com'],
    ['ada@example.com', 'ada@example.com', 'ada@example[.]com'],
    ['EUR 1,499.00; flat 2.5', 'EUR 1,499.00; flat 2.5', 'EUR 1,499.00; flat 2.5'],
  ])('shows %p as %p, and in an email as %p', (raw, clean, inert) => {
    expect(cleanText(raw)).toBe(clean);
    expect(inertText(raw)).toBe(inert);
  });
});

describe('the approval email', () => {
  it("shows an order's lines (name, quantity, price), its total and where it goes", () => {
    const { subject, text } = emailFor(orderRequest);

    expect(subject).toBe('Approval needed: order ord_1 (1499.00 EUR)');
    expect(text).toContain('1 x Laptop Pro 14 (LAP-PRO-14): 1399.00 EUR each, 1399.00 EUR');
    expect(text).toContain('2 x USB-C cable (CBL-USBC-1M): 50.00 EUR each, 100.00 EUR');
    expect(text).toContain('Total: 1499.00 EUR');
    expect(text).toContain('Ship to: Ada ecalevoL, Pay at https[:]//evil[.]example/pay now, N1 9GU www[.]evil[.]example, GB');
    // Once, where it says what is asked: not again in a summary (the links carry it too).
    expect(text.slice(0, text.indexOf('To approve')).split('ord_1')).toHaveLength(2);
  });

  it("shows a document's file name, class, fields and the checks it failed", () => {
    const { text } = emailFor(documentRequest);

    expect(text).toContain('File name: contract-fdp[.]exe');
    expect(text).toContain('Class: CONTRACT (confidence 0.85)');
    expect(text).toContain('parties: Initech LLC; see initech[.]example/terms');
    expect(text).toContain('signature: Peter Gibbons');
    expect(text).toContain('Failed check: prohibited-terms: found "unlimited liability" on page 1');
    expect(text).not.toContain('required-fields');
  });

  it.each([['an order', orderRequest], ['a document', documentRequest]])(
    'labels what the customer wrote as theirs, and holds no invisible character and no link but the two signed ones, for %s',
    (_, request) => {
      const { text } = emailFor(request);

      expect(text).toMatch(/\(as the customer sent it, not checked by us; links disabled\):/);
      expect(text.match(INVISIBLE)).toBeNull();
      expect(text.match(LINKABLE)).toEqual([SIGNED.approveLink, SIGNED.rejectLink]);
    },
  );
});

describe('the customer emails', () => {
  const order = { orderId: 'ord_1', email: 'ada@example.com', total: { amount: 149900, currency: 'EUR' } };

  it('hold no invisible character of what they quote', () => {
    const emails = [
      backorderedEmail({ order: { ...order, items: [{ sku: `CBL${RLO}-1M`, name: 'cable', quantity: 2, unitPrice: order.total, lineTotal: order.total }] }, waitUntil: '2026-11-24T11:00:00.000Z' }),
      orderClosedEmail({ order, outcome: 'APPROVAL_REJECTED', failure: { Cause: `Rejected by boss@example.com. Not\u200B this${RLO} one` } }),
    ];

    for (const { text } of emails) expect(text.match(INVISIBLE)).toBeNull();
  });
});

describe('the approval page', () => {
  it('shows the same lines, total and destination as the email, cleaned, with the customer part labelled', () => {
    const html = decisionFormPage(record(orderRequest), '/approvals/approve-ord_1?sig=a', 'approve');

    expect(html).toContain('<dt>1 x Laptop Pro 14 (LAP-PRO-14)</dt><dd>1399.00 EUR each, 1399.00 EUR</dd>');
    expect(html).toContain('<dt>Total</dt><dd>1499.00 EUR</dd>');
    expect(html).toContain('<dt>Ship to</dt><dd>Ada ecalevoL, Pay at https://evil.example/pay now, N1 9GU www.evil.example, GB</dd>');
    expect(html).toContain('<section class="from-customer">');
    expect(html).toContain('(as the customer sent it, not checked by us)');
    expect(html.match(INVISIBLE)).toBeNull();
    expect(html).not.toMatch(/<a\s/);
  });

  it("shows a document's file name cleaned, its class, fields and failed checks, decided or not", () => {
    for (const html of [decisionFormPage(record(documentRequest), '/approvals/approve-doc_1?sig=a', undefined), decidedPage({ ...record(documentRequest), status: 'APPROVED', decidedBy: 'boss@example.com' }, 'Approved')]) {
      expect(html).toContain('<dt>File name</dt><dd>contract-fdp.exe</dd>');
      expect(html).toContain('<dt>Class</dt><dd>CONTRACT (confidence 0.85)</dd>');
      expect(html).toContain('<dt>Failed check: prohibited-terms</dt><dd>found &quot;unlimited liability&quot; on page 1</dd>');
      expect(html.match(INVISIBLE)).toBeNull();
    }
  });
});
