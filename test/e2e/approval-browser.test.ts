import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_URL, waitForTerminalStatus } from '../support/api.js';
import { approvalEmailFor, ORDER_APPROVER, placeHighValueOrder } from '../support/approvals.js';
import { getRow, stockOf, TABLES } from '../support/local-aws.js';

/**
 * An approver as a person: a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the local outbox page, follows the link in the email, reads the page
 * and presses a button.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the outbox page and clicks the named link of the approval email about this order. */
const followEmailLink = async (page: Page, orderId: string, intent: 'approve' | 'reject'): Promise<void> => {
  await approvalEmailFor(orderId);
  await page.goto(`${API_URL}/_local/outbox?format=html`);
  const email = page.locator('article', { hasText: `Approval needed: order ${orderId}` });
  await email.locator(`a[href$="intent=${intent}"]`).click();
  await page.waitForLoadState('domcontentloaded');
};

describe('an approver in a browser', () => {
  it('follows the approve link from the outbox, reads the request, approves with a comment, and the order ships', async () => {
    const { orderId, sku } = await placeHighValueOrder();
    const page = await browser.newPage();

    await followEmailLink(page, orderId, 'approve');
    const heading = await page.locator('h1').textContent();
    const details = await page.locator('body').innerText();
    await page.fill('textarea[name="comment"]', 'Fine by me');
    await page.click('button[value="APPROVE"]');
    await page.waitForSelector('#decision');
    const result = await page.locator('body').innerText();
    const order = await waitForTerminalStatus(orderId);

    expect(heading).toBe(`Approve order ${orderId}?`);
    expect(details).toContain('600.00 EUR');
    expect(details).toContain(ORDER_APPROVER);
    expect(details).toMatch(/Deadline\s+\w{3}, \d{2} \w{3} \d{4}/);
    expect(result).toContain('Approved — thank you');
    expect(result).toContain('Fine by me');
    expect(order.status).toBe('SHIPPED');
    expect(await stockOf(sku)).toBe(4);
    await page.close();
  });

  it('follows the reject link and rejects: APPROVAL_REJECTED, stock and payment untouched', async () => {
    const { orderId, sku } = await placeHighValueOrder();
    const page = await browser.newPage();

    await followEmailLink(page, orderId, 'reject');
    const chosen = await page.locator('button.chosen').textContent();
    await page.click('button[value="REJECT"]');
    await page.waitForSelector('#decision');
    const order = await waitForTerminalStatus(orderId);

    expect(chosen).toBe('Reject');
    expect(await page.locator('h1').textContent()).toBe('Rejected — thank you');
    expect(order.status).toBe('APPROVAL_REJECTED');
    expect(await stockOf(sku)).toBe(5);
    expect(await getRow(TABLES.payments, { orderId })).toBeUndefined();
    await page.close();
  });

  it('shows an already decided request as such when its link is opened again', async () => {
    const { orderId } = await placeHighValueOrder();
    const page = await browser.newPage();
    await followEmailLink(page, orderId, 'approve');
    await page.click('button[value="APPROVE"]');
    await page.waitForSelector('#decision');

    const again = await page.goto(page.url());

    expect(again?.status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('Already decided');
    await page.close();
  });

  it("reads the outbox on a phone's width without scrolling sideways, long signed links wrapped", async () => {
    const { orderId } = await placeHighValueOrder();
    await approvalEmailFor(orderId);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

    await page.goto(`${API_URL}/_local/outbox?format=html`);
    const widths = await page.evaluate('({ content: document.documentElement.scrollWidth, viewport: window.innerWidth })') as { content: number; viewport: number };

    expect(widths.content).toBeLessThanOrEqual(widths.viewport);
    await page.close();
  });
});
