import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';

/**
 * Who is making an AWS call, as AWS would know it from the credentials: our handlers share one
 * process and one environment here, and the engine's calls all arrive through one front, so the
 * stack says it itself, on every call it can attribute.
 *
 * - a function: its handler runs inside `runAs`, and every request it sends to the stack's AWS
 *   endpoint carries `x-local-caller` (set before the request leaves, whatever client sent it);
 * - a state machine: the emulator adds the same header to a Task's calls (the execution's role,
 *   emulator/PATCHES.md 36), or asks the front first for a call it serves in process;
 * - a rule: EventBridge delivering an event, with its target's role or as events.amazonaws.com.
 *
 * A request without the header (the stack itself, tests, the AWS CLI) is the account's
 * administrator. What a caller may do is iam.ts's business; this module only says who it is,
 * for whoever needs to know (IAM now, fault injection next).
 */
export type CallerKind = 'function' | 'state-machine' | 'rule';

export interface Caller {
  kind: CallerKind;
  /** The function's, state machine's or rule's ARN. */
  arn: string;
  /** The role its credentials come from; a rule delivering to a Lambda function has none (events.amazonaws.com). */
  role?: string;
}

export const CALLER_HEADER = 'x-local-caller';

const KINDS: readonly string[] = ['function', 'state-machine', 'rule'];

/** `<kind> <arn> <role or ->`: ARNs hold no spaces, and the emulator writes the same three words. */
export const encodeCaller = (caller: Caller): string => `${caller.kind} ${caller.arn} ${caller.role ?? '-'}`;

export const decodeCaller = (value: string | undefined): Caller | undefined => {
  const [kind = '', arn, role] = (value ?? '').trim().split(/\s+/);
  if (!KINDS.includes(kind) || !arn?.startsWith('arn:')) return undefined;
  return { kind: kind as CallerKind, arn, ...(role && role !== '-' ? { role } : {}) };
};

export const callerOf = (headers: IncomingHttpHeaders): Caller | undefined => {
  const value = headers[CALLER_HEADER];
  return decodeCaller(Array.isArray(value) ? value[0] : value);
};

/** A short name for log lines: the function's, machine's or rule's own name. */
export const callerName = (caller: Caller): string => {
  const resource = caller.arn.split(':').slice(5).join(':');
  return resource.replace(/^(function|stateMachine|rule):/, '').replace(/^rule\//, '');
};

const current = new AsyncLocalStorage<Caller>();

/** Runs `work` as `caller`: every request it (and whatever it starts) sends to a tagged endpoint says so. */
export const runAs = <T>(caller: Caller, work: () => T): T => current.run(caller, work);

export const currentCaller = (): Caller | undefined => current.getStore();

const taggedPorts = new Set<string>();
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const isTagged = (host: string | undefined): boolean => {
  if (!host) return false;
  const colon = host.lastIndexOf(':');
  return colon > 0 && LOCAL_HOSTS.has(host.slice(0, colon)) && taggedPorts.has(host.slice(colon + 1));
};

// `http.client.request.created` fires before the headers are written (`...request.start` fires
// after, too late to add one); the AWS SDK's NodeHttpHandler sends through node:http. fetch
// (undici) has its own channel.
const tagHttpRequest = (message: unknown) => {
  const caller = current.getStore();
  const request = (message as { request?: ClientRequest }).request;
  if (!caller || !request || !isTagged(String(request.getHeader('host') ?? ''))) return;
  if (!request.headersSent && request.getHeader(CALLER_HEADER) === undefined) request.setHeader(CALLER_HEADER, encodeCaller(caller));
};
const tagFetchRequest = (message: unknown) => {
  const caller = current.getStore();
  const request = (message as { request?: { origin?: string; addHeader?: (name: string, value: string) => void } }).request;
  if (!caller || !request?.addHeader || !request.origin) return;
  if (isTagged(new URL(request.origin).host)) request.addHeader(CALLER_HEADER, encodeCaller(caller));
};

/**
 * Tags every request sent from inside `runAs` to `http://localhost:<port>` with its caller, until
 * the returned function is called. Only the stack's own endpoint: a handler's calls elsewhere
 * (a payment provider, a carrier) leave as they are.
 */
export const tagCallsTo = (port: number): (() => void) => {
  if (taggedPorts.size === 0) {
    diagnostics.subscribe('http.client.request.created', tagHttpRequest);
    diagnostics.subscribe('undici:request:create', tagFetchRequest);
  }
  taggedPorts.add(String(port));
  return () => {
    taggedPorts.delete(String(port));
    if (taggedPorts.size === 0) {
      diagnostics.unsubscribe('http.client.request.created', tagHttpRequest);
      diagnostics.unsubscribe('undici:request:create', tagFetchRequest);
    }
  };
};
