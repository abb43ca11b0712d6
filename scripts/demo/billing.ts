import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Stripe-like billing provider, so onboarding's HTTP Task has something to call
 * locally: `POST /v1/customers` creates a customer, `DELETE /v1/customers/{id}` deletes one,
 * `GET /v1/customers` lists the live ones (what a test reads to see nothing was left behind),
 * `GET /v1/customers/search?query=metadata["signupId"]:"…"` finds them by metadata, as Stripe's
 * search does (what onboarding's undo uses: a failed Parallel loses the id the create answered).
 * Callers authenticate with `Authorization: Bearer <api key>` (what the EventBridge connection
 * injects). An `Idempotency-Key` is honoured as Stripe does: the same key with the same body
 * answers the first answer again without a second customer; with another body, a 400.
 * Demo switch: a customer whose `name` contains `billing-down` gets a 503, every time.
 */
export const BILLING_DOWN_MARKER = 'billing-down';

export interface BillingCustomer {
  id: string;
  object: 'customer';
  name: string;
  email: string;
  metadata: Record<string, string>;
  created: number;
}

export interface SimulatedBillingOptions {
  /** `0` picks a free port. */
  port: number;
  apiKey: string;
  log: (line: string) => void;
}

export interface SimulatedBilling {
  url: string;
  /** Every customer not deleted. */
  customers(): BillingCustomer[];
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
}

/** The one search query the simulation understands, in Stripe's query language. */
const METADATA_QUERY = /^metadata\[(['"])([^'"]+)\1\]:(['"])([^'"]*)\3$/;

const error = (status: number, type: string, message: string): Answer => ({ status, body: { error: { type, message } } });

/** Stripe takes form-encoded bodies; the HTTP Task sends JSON. Either is read, `metadata[k]` included. */
export const parseBody = (raw: string, contentType: string | undefined): Record<string, unknown> => {
  if (!raw) return {};
  if (contentType?.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const nested = /^metadata\[(.+)\]$/.exec(key);
    if (nested?.[1]) metadata[nested[1]] = value;
    else fields[key] = value;
  }
  return Object.keys(metadata).length ? { ...fields, metadata } : fields;
};

const readBody = (request: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  request.on('error', reject);
});

/** The provider's behaviour, without a socket: what the server and the unit tests share. */
export const billingProvider = (apiKey: string) => {
  const live = new Map<string, BillingCustomer>();
  const idempotent = new Map<string, { request: string; answer: Answer }>();

  const createCustomer = (body: Record<string, unknown>): Answer => {
    const name = typeof body.name === 'string' ? body.name : '';
    const email = typeof body.email === 'string' ? body.email : '';
    if (!name || !email) return error(400, 'invalid_request_error', 'name and email are required');
    if (name.toLowerCase().includes(BILLING_DOWN_MARKER)) return error(503, 'api_error', 'the billing provider is unavailable (demo switch)');
    const customer: BillingCustomer = {
      id: `cus_${randomBytes(7).toString('hex')}`,
      object: 'customer',
      name,
      email,
      metadata: (body.metadata ?? {}) as Record<string, string>,
      created: Math.floor(Date.now() / 1000),
    };
    live.set(customer.id, customer);
    return { status: 200, body: customer };
  };

  return {
    customers: () => [...live.values()],
    handle(method: string, path: string, headers: Record<string, string | undefined>, body: Record<string, unknown>, query = new URLSearchParams()): Answer {
      if (headers.authorization !== `Bearer ${apiKey}`) return error(401, 'authentication_error', 'Invalid API key provided');
      if (method === 'GET' && path === '/v1/customers') return { status: 200, body: { object: 'list', data: [...live.values()] } };
      if (method === 'GET' && path === '/v1/customers/search') {
        const wanted = METADATA_QUERY.exec(query.get('query') ?? '');
        const key = wanted?.[2];
        const value = wanted?.[4];
        if (key === undefined || value === undefined) return error(400, 'invalid_request_error', "query must be metadata['key']:'value'");
        return { status: 200, body: { object: 'search_result', data: [...live.values()].filter((customer) => customer.metadata[key] === value) } };
      }
      if (method === 'POST' && path === '/v1/customers') {
        const key = headers['idempotency-key'];
        if (!key) return createCustomer(body);
        const request = JSON.stringify(body);
        const seen = idempotent.get(key);
        if (seen) {
          return seen.request === request
            ? seen.answer
            : error(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with (${key})`);
        }
        const answer = createCustomer(body);
        // Stripe replays what the first request got, except a 5xx (the request may be tried again).
        if (answer.status < 500) idempotent.set(key, { request, answer });
        return answer;
      }
      const deleting = /^\/v1\/customers\/([A-Za-z0-9_]+)$/.exec(path);
      if (method === 'DELETE' && deleting?.[1]) {
        const id = deleting[1];
        if (!live.delete(id)) return error(404, 'invalid_request_error', `No such customer: '${id}'`);
        return { status: 200, body: { id, object: 'customer', deleted: true } };
      }
      return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
    },
  };
};

export const startSimulatedBilling = async (options: SimulatedBillingOptions): Promise<SimulatedBilling> => {
  const provider = billingProvider(options.apiKey);
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      let answer: Answer;
      try {
        const body = parseBody(await readBody(request), request.headers['content-type']);
        const url = new URL(request.url ?? '/', 'http://billing.local');
        answer = provider.handle(request.method ?? 'GET', url.pathname, {
          authorization: request.headers.authorization,
          'idempotency-key': request.headers['idempotency-key'] as string | undefined,
        }, body, url.searchParams);
      } catch {
        answer = error(400, 'invalid_request_error', 'the body could not be read');
      }
      if (answer.status >= 500) options.log(`simulated billing: ${request.method} ${request.url} → ${answer.status}`);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    customers: provider.customers,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
};
