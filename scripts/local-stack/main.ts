import { DEFAULT_SCOPE } from './jwt-issuer.js';
import { startStack } from './stack.js';

/**
 * `npm start`: the local stack in the foreground. Ports: LOCAL_AWS_PORT (4566), LOCAL_HTTP_PORT (3000).
 * Prints `local stack ready` once everything answers; Ctrl-C stops all of it.
 */
const log = (line: string) => console.log(`[local-stack] ${line}`);
const started = Date.now();
const linkKeyNote = process.env.APPROVAL_LINK_KEY ? '**** (from APPROVAL_LINK_KEY)' : 'the public local default (set APPROVAL_LINK_KEY to change it)';

const DEFAULT_CARRIER_WEBHOOK_SECRET = 'local-carrier-webhook-secret';
const carrierWebhookSecret = process.env.CARRIER_WEBHOOK_SECRET || DEFAULT_CARRIER_WEBHOOK_SECRET;
const carrierEventIntervalSeconds = Number(process.env.CARRIER_EVENT_INTERVAL_SECONDS ?? 2);
const masked = (secret: string) => (secret === DEFAULT_CARRIER_WEBHOOK_SECRET ? `${secret} (the default)` : `${secret.slice(0, 3)}…${'*'.repeat(8)}`);

const starting = startStack({
  awsPort: Number(process.env.LOCAL_AWS_PORT ?? 4566),
  httpPort: Number(process.env.LOCAL_HTTP_PORT ?? 3000),
  mockConfigPath: process.env.SFN_MOCK_CONFIG,
  seedCatalogue: process.env.LOCAL_SEED !== 'false',
  carrierWebhookSecret,
  // 0 turns the simulated carrier off (orders then stay SHIPPED).
  ...(carrierEventIntervalSeconds > 0 ? { carrierEventIntervalSeconds } : {}),
  log,
}).catch((error: Error) => {
  console.error(`[local-stack] failed to start: ${error.message}`);
  process.exit(1);
});

// A stop can be asked for while the stack is still starting: it is then stopped as soon as it is
// up, rather than leaving the emulator (a process group of its own) behind.
let stopping = false;
const shutdown = (reason: string) => {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  void starting.then((stack) => stack.stop()).then(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));
// The test run (test/support/global-setup.ts) holds our stdin open: when it ends, however it ends
// (Ctrl-C included, which never reaches this process group), so does the stack.
if (process.env.LOCAL_STACK_STOP_ON_STDIN_CLOSE === '1') {
  // Our stdout and stderr went to that process too: writing to them now fails (EPIPE), which
  // must not end this process before it has stopped the emulator.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.stdin.on('end', () => shutdown('test run gone (stdin closed)'));
  process.stdin.on('close', () => shutdown('test run gone (stdin closed)'));
  process.stdin.resume();
}

const stack = await starting;

const demoToken = stack.issuer
  ? await stack.issuer.issue({ sub: 'demo-customer', scope: DEFAULT_SCOPE, groups: [], expiresIn: 24 * 60 * 60 })
  : undefined;
const signIn = stack.issuer
  ? `  Sign in         POST ${stack.httpEndpoint}/_local/token {"sub":"alice"}   (a Bearer token from the local issuer)
  Demo customer   export TOKEN=${demoToken?.accessToken}
                  (sub demo-customer, scope "${DEFAULT_SCOPE}", valid 24 h or until Ctrl-C)`
  : '  Sign in         tokens come from the issuer the template names (no local issuer)';
const machines = stack.provisioned.stateMachines.map((sm) => `    ${sm.type.padEnd(8)} ${sm.arn}`).join('\n');
console.log(`
  Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s
  HTTP API        ${stack.httpEndpoint}   (GET /products; with a token: POST /orders, GET /orders/{orderId}, POST /documents, GET /documents/{documentId}; with an admin token: POST /admin/products/{sku}/restock; by signed link: GET|POST /approvals/{approvalId})
${signIn}
  Outbox          ${stack.httpEndpoint}/_local/outbox   (JSON; open it in a browser for a page)
  Carrier         POST ${stack.httpEndpoint}/webhooks/carrier, signed with CARRIER_WEBHOOK_SECRET=${masked(carrierWebhookSecret)}
                  simulated carrier: ${carrierEventIntervalSeconds > 0 ? `tracking events every ${carrierEventIntervalSeconds} s per parcel (CARRIER_EVENT_INTERVAL_SECONDS; 0 = off)` : 'off (CARRIER_EVENT_INTERVAL_SECONDS=0)'}
  AWS endpoint    ${stack.awsEndpoint}   (aws --endpoint-url ${stack.awsEndpoint} ...; any credentials)
  State machines
${machines}
  Tables          ${stack.provisioned.tables.join(', ')}
  Queues          ${stack.provisioned.queues.join(', ')}   (SQS event sources polled as Lambda would)
  Settings        APPROVAL_TIMEOUT_SECONDS=${process.env.APPROVAL_TIMEOUT_SECONDS} (seconds an approver has)   approval link key: ${linkKeyNote}
                  BACKORDER_WINDOW_SECONDS=${process.env.BACKORDER_WINDOW_SECONDS} (seconds a backordered order waits for stock)
  Buckets         ${stack.provisioned.buckets.join(', ')}   (Textract here reads them by OCR: tesseract, pdftoppm)
  Lambda logs     this terminal (JSON, one line per event)
  Emulator log    ${stack.logFiles.emulator}
  Stop            Ctrl-C
`);
console.log('local stack ready');
