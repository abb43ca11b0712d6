import { randomUUID } from 'node:crypto';
import { callerName, type Caller } from './caller.js';
import type { Answer } from './iam/errors.js';

/**
 * Infrastructure faults injected into the calls the app's functions and the engine's Tasks make
 * (LOCAL_FAULTS): what AWS does on a bad day, answered as AWS answers it, so that what absorbs
 * them (the SDK's retries, the definitions' Retry blocks, idempotent handlers) is the real thing.
 * Calls without a caller (tests, the AWS CLI, the stack itself) and EventBridge's deliveries are
 * never touched. Off unless a rate is set.
 */
export const FAULT_KINDS = ['dynamodb-throttle', 'lambda-service-error', 'lambda-crash-after', 'events-put-failure', 'sns-publish-error'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSettings {
  rates: Partial<Record<FaultKind, number>>;
  seed: number;
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** A seed from LOCAL_FAULTS_SEED: a number as it is, any other text hashed (FNV-1a). */
const seedOf = (text: string): number => {
  if (/^\d+$/.test(text)) return Number(text) >>> 0;
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
};

/**
 * `LOCAL_FAULTS=dynamodb-throttle=0.02,lambda-crash-after=0.01` and `LOCAL_FAULTS_SEED`: undefined
 * when no fault is asked for; a FaultSpecError naming the bad part otherwise. Without a seed one
 * is drawn, and printed, so a run can be repeated.
 */
export const parseFaults = (spec: string | undefined, seed?: string): FaultSettings | undefined => {
  const parts = (spec ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  const rates: Partial<Record<FaultKind, number>> = {};
  for (const part of parts) {
    const [kind = '', value, ...rest] = part.split('=').map((word) => word.trim());
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultSpecError(`LOCAL_FAULTS: unknown kind "${kind}" (expected ${FAULT_KINDS.join(', ')})`);
    const rate = Number(value);
    if (value === undefined || value === '' || rest.length > 0 || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new FaultSpecError(`LOCAL_FAULTS: ${part}: expected ${kind}=<rate from 0 to 1>`);
    }
    if (rates[kind as FaultKind] !== undefined) throw new FaultSpecError(`LOCAL_FAULTS: ${kind} is given twice`);
    rates[kind as FaultKind] = rate;
  }
  const seedText = seed?.trim();
  return { rates, seed: seedText ? seedOf(seedText) : Math.floor(Math.random() * 2 ** 32) };
};

/** mulberry32: a small, fast PRNG whose sequence a 32-bit seed fixes. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A request as the front sees it (headers lower-cased). */
export interface FaultRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What the front does instead of (or around) serving a call. */
export type Fault =
  | { kind: 'answer'; answer: Answer }
  /** Run the handler, keep what it did, then report the invocation as a crashed runtime. */
  | { kind: 'crash-after'; answer: (requestId: string) => Answer }
  /** Put the entries not failed (`keep`), then answer with the failed ones in their places. */
  | { kind: 'put-events'; failed: Set<number>; keep: () => Buffer | undefined; merge: (status: number, answer: Buffer) => Answer };

const LAMBDA_INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

const header = (request: FaultRequest, name: string): string => {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

const jsonBody = (request: FaultRequest): Record<string, unknown> => {
  try {
    return JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
};

const awsJson = (status: number, type: string, body: Record<string, unknown>, contentType = 'application/x-amz-json-1.0'): Answer => ({
  status,
  headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': type },
  body: JSON.stringify(body),
});

/** What DynamoDB answers a throttled request: 400, the JSON error its SDKs retry with backoff. */
export const dynamoDbThrottled = (): Answer => awsJson(400, 'ProvisionedThroughputExceededException', {
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
});

/** Lambda's own failure before the function runs: Step Functions reports it as Lambda.ServiceException. */
export const lambdaServiceException = (): Answer => ({
  status: 500,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': 'ServiceException' },
  body: JSON.stringify({ Type: 'Service', message: 'Lambda was unable to process the request because of an internal service error. Please try again.' }),
});

/** What Invoke returns when the function's runtime dies mid-invocation (killed, out of memory): an unhandled Runtime.ExitError. */
export const lambdaRuntimeExit = (requestId: string): Answer => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': requestId },
  body: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` }),
});

/** SNS's InternalError, in the protocol the request came in (query XML, or JSON). Step Functions reports it as SNS.InternalErrorException. */
export const snsInternalError = (json: boolean): Answer => {
  const requestId = randomUUID();
  const message = 'Request could not be processed due to an internal error; try again.';
  if (json) return awsJson(500, 'InternalError', { __type: 'InternalError', message }, 'application/x-amz-json-1.0');
  return {
    status: 500,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Receiver</Type><Code>InternalError</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
};

/** A PutEvents entry EventBridge could not put: the call succeeds, the entry carries the error. */
export const failedEntry = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure; the entry was not put. Retry it.' };

const isSnsPublish = (request: FaultRequest): boolean => {
  if (header(request, 'x-amz-target') === 'AmazonSimpleNotificationService.Publish') return true;
  if (!/Credential=[^/]+\/[^/]+\/[^/]+\/sns\/aws4_request/.test(header(request, 'authorization'))) return false;
  return new URLSearchParams(request.body.toString('utf8')).get('Action') === 'Publish';
};

export class FaultInjector {
  /** Injections so far, by kind. */
  readonly counts: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  /** Calls that could have met each kind (a draw was made), by kind. */
  readonly calls: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  private readonly random: () => number;

  constructor(private readonly settings: FaultSettings | undefined, private readonly log: (line: string) => void) {
    this.random = seededRandom(settings?.seed ?? 0);
  }

  get active(): boolean {
    return Object.values(this.settings?.rates ?? {}).some((rate) => rate > 0);
  }

  /** One line for the start-up banner. */
  describe(): string {
    if (!this.settings || !this.active) return 'off (LOCAL_FAULTS unset)';
    const rates = Object.entries(this.settings.rates).map(([kind, rate]) => `${kind}=${rate}`).join(', ');
    return `${rates} (LOCAL_FAULTS_SEED=${this.settings.seed}), into calls by functions and Tasks; each logged "injected <kind> <caller> <detail>"`;
  }

  /** Draws for `kind` and, when it hits, counts and logs the injection. */
  private roll(kind: FaultKind, caller: Caller, detail: string): boolean {
    const rate = this.settings?.rates[kind] ?? 0;
    if (rate <= 0) return false;
    this.calls[kind] += 1;
    if (this.random() >= rate) return false;
    this.counts[kind] += 1;
    this.log(`injected ${kind} ${callerName(caller)} ${detail}`);
    return true;
  }

  /** The fault to inject into this call, if any. Only functions' and Tasks' calls are eligible. */
  faultFor(caller: Caller | undefined, request: FaultRequest): Fault | undefined {
    if (!caller || caller.kind === 'rule' || !this.active) return undefined;
    const target = header(request, 'x-amz-target');
    if (target.startsWith('DynamoDB_20120810.')) {
      const table = jsonBody(request).TableName;
      return this.roll('dynamodb-throttle', caller, `dynamodb:${target.slice(target.indexOf('.') + 1)}${typeof table === 'string' ? ` ${table}` : ''}`)
        ? { kind: 'answer', answer: dynamoDbThrottled() }
        : undefined;
    }
    const invoked = request.method === 'POST' ? LAMBDA_INVOKE.exec(request.url.split('?')[0] ?? '') : null;
    if (invoked?.[1]) {
      const fn = decodeURIComponent(invoked[1]).split(':').at(decodeURIComponent(invoked[1]).startsWith('arn:') ? 6 : 0);
      if (this.roll('lambda-service-error', caller, `lambda:Invoke ${fn}`)) return { kind: 'answer', answer: lambdaServiceException() };
      // An asynchronous invoke is answered before the function runs; Lambda retries those itself.
      if (header(request, 'x-amz-invocation-type') === 'Event') return undefined;
      return this.roll('lambda-crash-after', caller, `lambda:Invoke ${fn} (after the handler ran)`)
        ? { kind: 'crash-after', answer: lambdaRuntimeExit }
        : undefined;
    }
    if (isSnsPublish(request)) {
      return this.roll('sns-publish-error', caller, 'sns:Publish')
        ? { kind: 'answer', answer: snsInternalError(header(request, 'content-type').includes('json')) }
        : undefined;
    }
    if (target === 'AWSEvents.PutEvents') return this.putEventsFault(caller, request);
    return undefined;
  }

  private putEventsFault(caller: Caller, request: FaultRequest): Fault | undefined {
    const body = jsonBody(request);
    const entries = Array.isArray(body.Entries) ? body.Entries as Record<string, unknown>[] : [];
    const failed = new Set<number>();
    entries.forEach((entry, index) => {
      if (this.roll('events-put-failure', caller, `events:PutEvents entry ${index} ${String(entry.DetailType ?? '')}`)) failed.add(index);
    });
    if (failed.size === 0) return undefined;
    return {
      kind: 'put-events',
      failed,
      keep: () => (failed.size < entries.length ? Buffer.from(JSON.stringify({ ...body, Entries: entries.filter((_, index) => !failed.has(index)) })) : undefined),
      merge: (status, answer): Answer => {
        if (status !== 200 && failed.size < entries.length) return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: answer.toString('utf8') };
        const put = failed.size < entries.length ? (JSON.parse(answer.toString('utf8')) as { Entries?: unknown[] }).Entries ?? [] : [];
        let next = 0;
        const merged = entries.map((_, index) => (failed.has(index) ? failedEntry : put[next++] ?? {}));
        return {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
          body: JSON.stringify({ FailedEntryCount: merged.filter((entry) => 'ErrorCode' in (entry as object)).length, Entries: merged }),
        };
      },
    };
  }
}
