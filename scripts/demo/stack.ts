import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { configuredInputs, REGION, startStack, type FaultSettings, type IamMode, type RunningStack } from 'local-stack';
import { startSimulatedBilling, type SimulatedBilling } from './billing.js';
import { PROJECT_ROOT } from '../workflows.js';
import { startSimulatedCarrier } from './carrier.js';
import catalogue from './catalogue.json' with { type: 'json' };

/**
 * This app on the local stack: the stack runs the compiled template as AWS would; around it go
 * what is ours, not AWS's: the demo catalogue, the simulated carrier and billing provider, and the local values of the
 * SecureStrings an operator creates on AWS (docs/deploy.md).
 */
/** What `serverless package` reads (package.json, "localStack"): a change to any of it means packaging again. */
const PACKAGE_INPUTS = configuredInputs(PROJECT_ROOT) ?? [];
export const PACKAGE_SOURCE = { package: { serviceDir: PROJECT_ROOT, stage: 'local', inputs: PACKAGE_INPUTS } };
/** Approval links are signed with this key locally: public, so never a secret (set APPROVAL_LINK_KEY to change it). */
export const LOCAL_APPROVAL_LINK_KEY = 'local-approval-link-key--public--never-use-on-aws';
/** Public, so never a secret; as long as the webhook asks of any secret (32 characters at least). */
export const DEFAULT_CARRIER_WEBHOOK_SECRET = 'local-carrier-webhook-secret--public';
/** Where onboarding's HTTP Task finds the billing provider locally (BILLING_API_URL, a stage parameter on AWS). */
export const DEFAULT_BILLING_API_URL = 'http://127.0.0.1:4010';
/** The simulated billing provider's API key, which the local EventBridge connection carries: public, never a secret. */
export const LOCAL_BILLING_API_KEY = 'sk_local_billing--public--never-use-on-aws';
/** custom.billingApiKeySecret of the local stage: the secret an operator creates before deploying (docs/deploy.md). */
export const LOCAL_BILLING_API_KEY_SECRET = 'sfn-orders/local/billing-api-key';

export interface DemoStackOptions {
  awsPort: number;
  httpPort: number;
  mockConfigPath?: string;
  seedCatalogue: boolean;
  carrierWebhookSecret: string;
  approvalLinkKey: string;
  /** Seconds between a simulated parcel's tracking events; no simulated carrier when absent. */
  carrierEventIntervalSeconds?: number;
  /** Where the simulated billing provider listens (its port); none when absent. */
  billingApiUrl?: string;
  /** LOCAL_IAM; the stack's default (enforce) when absent. */
  iam?: IamMode;
  /** LOCAL_FAULTS, parsed: infrastructure faults in the functions' and Tasks' calls; none when absent. */
  faults?: FaultSettings;
  log: (line: string) => void;
}

/**
 * What an operator does once in SES before onboarding sends mail: verify the sender's domain. The
 * emulator's SES, like AWS's, refuses to send from an identity nobody verified.
 */
const verifySenderIdentity = async (endpoint: string, sender: string): Promise<string> => {
  const domain = sender.split('@')[1] ?? sender;
  const ses = new SESv2Client({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: domain }));
  ses.destroy();
  return domain;
};

const seedCatalogue = async (endpoint: string, tableName: string): Promise<number> => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
  await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: catalogue.map((product) => ({ PutRequest: { Item: product } })) } }));
  return catalogue.length;
};

export const startDemoStack = async (options: DemoStackOptions): Promise<RunningStack> => {
  const { log } = options;
  // Before the stack: a port already taken fails here, not in the first signup's HTTP Task.
  const billing: SimulatedBilling | undefined = options.billingApiUrl === undefined ? undefined : await startSimulatedBilling({
    port: Number(new URL(options.billingApiUrl).port),
    apiKey: LOCAL_BILLING_API_KEY,
    log,
  });
  if (billing) log(`simulated billing provider at ${billing.url}`);
  const stack = await startStack({
    template: PACKAGE_SOURCE,
    serviceDir: PROJECT_ROOT,
    awsPort: options.awsPort,
    httpPort: options.httpPort,
    mockConfigPath: options.mockConfigPath,
    secureParameters: {
      APPROVAL_LINK_KEY_PARAMETER: options.approvalLinkKey,
      CARRIER_WEBHOOK_SECRET_PARAMETER: options.carrierWebhookSecret,
    },
    secrets: { [LOCAL_BILLING_API_KEY_SECRET]: LOCAL_BILLING_API_KEY },
    ...(options.iam ? { iam: options.iam } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    log,
  }).catch(async (error: unknown) => {
    await billing?.stop();
    throw error;
  });
  try {
    const sender = (stack.resolver.properties('SendWelcomeEmailLambdaFunction').Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.SIGNUP_EMAIL_SENDER;
    if (sender) log(`verified the SES identity ${await verifySenderIdentity(stack.awsEndpoint, sender)} (onboarding's emails are sent from ${sender})`);
    if (options.seedCatalogue) {
      const productsTable = stack.resolver.physicalName('ProductsTable');
      log(`seeded ${await seedCatalogue(stack.awsEndpoint, productsTable)} demo products into ${productsTable}`);
    }
    const carrier = options.carrierEventIntervalSeconds === undefined ? undefined : startSimulatedCarrier({
      awsEndpoint: stack.awsEndpoint,
      region: REGION,
      shipmentsTable: stack.resolver.physicalName('ShipmentsTable'),
      ordersTable: stack.resolver.physicalName('OrdersTable'),
      webhookUrl: `${stack.httpEndpoint}/webhooks/carrier`,
      secret: options.carrierWebhookSecret,
      intervalSeconds: options.carrierEventIntervalSeconds,
      log,
    });
    return {
      ...stack,
      async stop() {
        carrier?.stop();
        await stack.stop();
        await billing?.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    await billing?.stop();
    throw error;
  }
};
