import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API_URL, call, orderRequest, postOrder, waitForTerminalStatus } from '../support/api.js';
import { approvalEmailFor, placeHighValueOrder, submitDecision } from '../support/approvals.js';
import { createProduct, MACHINES } from '../support/local-aws.js';
import { pollUntil } from '../support/poll.js';
import { STAGE_PREFIX } from '../support/workflow-harness.js';

/**
 * An operator as a person, in a real headless Chromium: opens the local stack's console, finds an
 * order's executions by the order's id, and reads on the diagram what happened to it. Screenshots
 * go to .local/console-*.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../.local/', import.meta.url));
const CONSOLE = `${API_URL}/_local/console`;
const APPROVAL = `${STAGE_PREFIX}-approval`;

interface ExecutionRow { executionArn: string; stateMachineName: string; status: string }
interface Summary {
  executionArn: string;
  stateMachineName: string;
  status: string;
  states: { name: string; status: string; attempts: number }[];
  edges: { from: string; to: string; kind: string; error?: string }[];
}

let browser: Browser;
let declined: string;
let flaky: string;

const place = async (paymentToken: string): Promise<string> => {
  const sku = await createProduct(10);
  const { status, body } = await postOrder(orderRequest({ items: [{ sku, quantity: 1 }], paymentToken }));
  if (status !== 201) throw new Error(`order not placed: ${status} ${JSON.stringify(body)}`);
  return String(body.orderId);
};

/** The order's fulfilment execution once it has ended, found as the console finds it: by the order id in its input. */
const endedFulfilment = async (orderId: string): Promise<ExecutionRow> => {
  const { body } = await pollUntil(
    `the fulfilment execution of ${orderId} to end`,
    () => call<{ executions: ExecutionRow[] }>(`/_local/console/api/search?q=${orderId}`),
    ({ body: found }) => found.executions.some((row) => row.stateMachineName === MACHINES.fulfilment && row.status !== 'RUNNING'),
    60_000,
    250,
  );
  // Newest first: the order's first execution is the last listed (a duplicate delivery's ends AlreadyClaimed).
  return body.executions.filter((row) => row.stateMachineName === MACHINES.fulfilment).at(-1)!;
};

/** Searches the console for a text and opens the fulfilment execution it lists. */
const openFulfilmentOf = async (page: Page, orderId: string): Promise<void> => {
  await page.goto(CONSOLE);
  await page.fill('#search-text', orderId);
  await page.press('#search-text', 'Enter');
  await page.locator('h1', { hasText: orderId }).waitFor();
  // EventBridge delivers at least once: a second execution for the order may be listed (it ends AlreadyClaimed).
  const row = page.locator('table.executions tr', { hasText: MACHINES.fulfilment }).last();
  await row.waitFor();
  await row.locator('a').click();
  await page.waitForSelector('#diagram svg g.node[data-state]');
};

const statusOnPage = async (page: Page, state: string): Promise<string> =>
  (await page.locator(`table.states tr[data-state="${state}"] td:nth-child(2)`).innerText()).trim();

const classOfNode = async (page: Page, state: string): Promise<string> =>
  (await page.locator(`#diagram svg g[data-state="${state}"]`).first().getAttribute('class')) ?? '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  [declined, flaky] = await Promise.all([place('tok_declined'), place('tok_flaky')]);
  await Promise.all([waitForTerminalStatus(declined), waitForTerminalStatus(flaky), endedFulfilment(declined), endedFulfilment(flaky)]);
});

afterAll(async () => {
  await browser?.close();
});

describe('the local console, in a browser', () => {
  it('lists the state machines and the recent executions', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

    await page.goto(CONSOLE);
    await page.waitForSelector('table.executions');
    const machines = await page.locator('nav#machines li').allInnerTexts();
    await page.screenshot({ path: `${SCREENSHOTS}console-machines.png` });

    for (const name of [...Object.values(MACHINES), APPROVAL]) expect(machines.join('\n')).toContain(name);
    expect(machines.find((text) => text.includes(MACHINES.intake))).toContain('EXPRESS');
    await page.close();
  });

  it('keeps the search results when the page it left answers after them', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The home page's list of recent executions answers 2 s late: after the search's answer.
    const isRecentList = (url: URL) => url.pathname === '/_local/console/api/executions';
    await page.route(isRecentList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue();
    });
    const recentListAnswered = page.waitForEvent('requestfinished', { predicate: (request) => isRecentList(new URL(request.url())) });

    await page.goto(CONSOLE);
    await page.fill('#search-text', declined);
    await page.press('#search-text', 'Enter');
    await page.locator('h1', { hasText: declined }).waitFor();
    await recentListAnswered;
    await page.waitForTimeout(250); // the page reads the late answer on its next turns

    expect(await page.locator('h1').innerText()).toContain(declined);
    await page.close();
  });

  it('finds a declined order by its id and shows the charge failed and the route its Catch took', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });

    await openFulfilmentOf(page, declined);
    const happened = await page.locator('.happened').innerText();
    const statuses = Object.fromEntries(await Promise.all(['ChargePayment', 'ChargeAndReserve', 'PaymentDeclined', 'Compensate', 'RecordOutcome', 'OrderClosed', 'CreateShipment', 'HandleUnexpectedError']
      .map(async (state) => [state, await statusOnPage(page, state)])));
    const chargeNode = await classOfNode(page, 'ChargePayment');
    await page.screenshot({ path: `${SCREENSHOTS}console-declined.png` });
    await page.locator('#diagram svg g[data-state="ChargePayment"]').first().click();
    const panel = await page.locator('#panel').innerText();
    await page.screenshot({ path: `${SCREENSHOTS}console-declined-charge.png` });

    expect(happened).toContain('ChargePayment failed with PaymentDeclined');
    expect(happened).toContain('ChargeAndReserve failed with PaymentDeclined; its Catch went to PaymentDeclined');
    expect(statuses).toEqual({
      ChargePayment: 'FAILED', ChargeAndReserve: 'CAUGHT', PaymentDeclined: 'SUCCEEDED', Compensate: 'SUCCEEDED',
      RecordOutcome: 'SUCCEEDED', OrderClosed: 'SUCCEEDED', CreateShipment: 'NOT RUN', HandleUnexpectedError: 'NOT RUN',
    });
    expect(chargeNode).toContain('failed');
    expect(panel).toContain('ChargePayment');
    expect(panel).toContain('PaymentDeclined');
    expect(panel).toContain(declined);
    await page.close();
  });

  it('finds a flaky order by its id and shows the charge retried twice before it went through', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });

    await openFulfilmentOf(page, flaky);
    const happened = await page.locator('.happened').innerText();
    const attempts = await page.locator('table.states tr[data-state="ChargePayment"] td:nth-child(3)').innerText();
    await page.locator('table.states tr[data-state="ChargePayment"]').click();
    const events = await page.locator('#panel table.events').innerText();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SCREENSHOTS}console-flaky.png` });

    expect(happened).toContain('ChargePayment was retried 2× and succeeded');
    expect(attempts).toBe('3');
    expect(await statusOnPage(page, 'CreateShipment')).toBe('SUCCEEDED');
    expect(events.match(/TaskFailed/g)).toHaveLength(2);
    expect(events).toContain('PaymentGatewayUnavailable');
    await page.close();
  });

  it('answers an execution as JSON: each state with its status and attempts, and the edges taken', async () => {
    const { executionArn } = await endedFulfilment(declined);

    const { status, body } = await call<Summary>(`/_local/console/api/executions/${encodeURIComponent(executionArn)}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ executionArn, stateMachineName: MACHINES.fulfilment, status: 'SUCCEEDED' });
    expect(body.states).toEqual(expect.arrayContaining([
      { name: 'ChargePayment', status: 'FAILED', attempts: 1 },
      { name: 'ReserveInventory', status: expect.stringMatching(/^(ABORTED|SUCCEEDED)$/), attempts: 1 },
      { name: 'ChargeAndReserve', status: 'CAUGHT', attempts: 1 },
      { name: 'CreateShipment', status: 'NOT_RUN', attempts: 0 },
    ]));
    expect(body.edges).toEqual(expect.arrayContaining([
      { from: 'ChargeAndReserve', to: 'ChargePayment', kind: 'branch' },
      { from: 'ChargeAndReserve', to: 'PaymentDeclined', kind: 'catch', error: 'PaymentDeclined' },
      { from: 'CheckOutcome', to: 'OrderClosed', kind: 'default' },
    ]));
  });

  it('shows an order waiting on its approval, linked to the nested execution, and the approval linked back', async () => {
    const { orderId } = await placeHighValueOrder();
    await approvalEmailFor(orderId);
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });

    await openFulfilmentOf(page, orderId);
    const waiting = await statusOnPage(page, 'RequestApproval');
    const happened = await page.locator('.happened').innerText();
    await page.screenshot({ path: `${SCREENSHOTS}console-awaiting-approval.png` });
    await page.locator('.meta a', { hasText: `approve-${orderId}` }).click();
    await page.waitForSelector('#diagram svg g.node[data-state]');
    const asking = await statusOnPage(page, 'AskApprover');
    const startedBy = await page.locator('.meta', { hasText: 'Started by' }).innerText();

    expect(waiting).toBe('WAITING');
    expect(happened).toContain('RequestApproval is waiting on a nested execution');
    expect(asking).toBe('WAITING');
    expect(startedBy).toContain(MACHINES.fulfilment);
    await page.close();
    // Decided, so the order does not sit waiting for the rest of the run.
    await submitDecision((await approvalEmailFor(orderId)).rejectLink, 'REJECT', 'console test');
  });
});
