import { announceReady, describeStack, FaultSpecError, parseFaults, parseIamMode, runInForeground } from 'local-stack';
import { MIN_WEBHOOK_SECRET_LENGTH } from '../../functions/shared/shipping/carrier-webhook.js';
import { DEFAULT_BILLING_API_URL, DEFAULT_CARRIER_WEBHOOK_SECRET, LOCAL_APPROVAL_LINK_KEY, startDemoStack } from './stack.js';

/**
 * `npm start`: the local stack with this app's demo around it, in the foreground. Ports:
 * LOCAL_AWS_PORT (4566), LOCAL_HTTP_PORT (3000); 0 picks a free one; the simulated billing
 * provider at BILLING_API_URL (http://127.0.0.1:4010). Prints `local stack ready`
 * once everything answers; Ctrl-C stops all of it.
 */
const log = (line: string) => console.log(`[local-stack] ${line}`);
const started = Date.now();
const carrierWebhookSecret = process.env.CARRIER_WEBHOOK_SECRET || DEFAULT_CARRIER_WEBHOOK_SECRET;
// Said now, not as a 500 on the first webhook: the handler refuses a secret this short, as it does on AWS.
if (carrierWebhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH) {
  console.error(`CARRIER_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (it is ${carrierWebhookSecret.length}); unset it to use the local default.`);
  process.exit(1);
}
const faults = (() => {
  try {
    return parseFaults(process.env.LOCAL_FAULTS, process.env.LOCAL_FAULTS_SEED);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
})();
const billingApiUrl = process.env.BILLING_API_URL || DEFAULT_BILLING_API_URL;
const carrierEventIntervalSeconds = Number(process.env.CARRIER_EVENT_INTERVAL_SECONDS ?? 2);
const masked = (secret: string) => (secret === DEFAULT_CARRIER_WEBHOOK_SECRET ? `${secret} (the default)` : `${secret.slice(0, 3)}…${'*'.repeat(8)}`);
const linkKeyNote = process.env.APPROVAL_LINK_KEY ? '**** (from APPROVAL_LINK_KEY)' : 'the public local default (set APPROVAL_LINK_KEY to change it)';

const stack = await runInForeground(startDemoStack({
  awsPort: Number(process.env.LOCAL_AWS_PORT ?? 4566),
  httpPort: Number(process.env.LOCAL_HTTP_PORT ?? 3000),
  mockConfigPath: process.env.SFN_MOCK_CONFIG,
  seedCatalogue: process.env.LOCAL_SEED !== 'false',
  carrierWebhookSecret,
  approvalLinkKey: process.env.APPROVAL_LINK_KEY ?? LOCAL_APPROVAL_LINK_KEY,
  // 0 turns the simulated carrier off (orders then stay SHIPPED).
  ...(carrierEventIntervalSeconds > 0 ? { carrierEventIntervalSeconds } : {}),
  billingApiUrl,
  // enforce unless LOCAL_IAM says log or off; describeStack prints which.
  iam: parseIamMode(process.env.LOCAL_IAM),
  // Off unless LOCAL_FAULTS names some; describeStack prints them and their seed.
  ...(faults ? { faults } : {}),
  log,
}), log);

const demoToken = stack.issuer
  ? await stack.issuer.issue({ sub: 'demo-customer', scope: stack.issuer.defaultScope, groups: [], expiresIn: 24 * 60 * 60 })
  : undefined;
console.log(`
  Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s
${describeStack(stack).map((line) => `  ${line}`).join('\n')}
  Demo customer   export TOKEN=${demoToken?.accessToken ?? '(no local issuer)'}
                  (sub demo-customer, valid 24 h or until Ctrl-C)
  Carrier         POST ${stack.httpEndpoint}/webhooks/carrier, signed with CARRIER_WEBHOOK_SECRET=${masked(carrierWebhookSecret)}
                  simulated carrier: ${carrierEventIntervalSeconds > 0 ? `tracking events every ${carrierEventIntervalSeconds} s per parcel (CARRIER_EVENT_INTERVAL_SECONDS; 0 = off)` : 'off (CARRIER_EVENT_INTERVAL_SECONDS=0)'}
  Billing         simulated provider at ${billingApiUrl} (BILLING_API_URL; a company named …billing-down… gets 503s)
  Settings        APPROVAL_TIMEOUT_SECONDS=${process.env.APPROVAL_TIMEOUT_SECONDS} (seconds an approver has)   approval link key: ${linkKeyNote}
                  BACKORDER_WINDOW_SECONDS=${process.env.BACKORDER_WINDOW_SECONDS} (seconds a backordered order waits for stock)
  Lambda logs     this terminal (JSON, one line per event)
  Stop            Ctrl-C
`);
announceReady(stack);
