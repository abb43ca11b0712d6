import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { callerOf, decodeCaller, type Caller } from './caller.js';
import type { Fault, FaultInjector } from './faults.js';
import type { LocalIam } from './iam.js';
import type { Check } from './iam/actions.js';
import type { Answer } from './iam/errors.js';
import type { LambdaRuntime } from './lambda-runtime.js';
import { parsePublish, parseSesSendEmail, type Outbox } from './outbox.js';
import { TextractError, TextractOcr } from './textract-ocr.js';

const LAMBDA_INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** The Task resource an engine call is made for (`arn:aws:states:::states:startExecution.sync:2`): some need more than the call itself. */
const TASK_HEADER = 'x-local-task';
/**
 * Where the emulator asks about a call it serves in process, which never crosses the front: the
 * caller and the request (or, for an EventBridge delivery, the checks), and the answer to give
 * instead, if any. emulator/PATCHES.md 36.
 */
const ENGINE_CALLS = '/_local/engine-calls';

interface EngineCall {
  caller?: string;
  task?: string;
  request?: { method: string; url: string; headers: Record<string, string>; body: string };
  checks?: Check[];
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** Stops listening and ends open connections, kept-alive ones included, instead of waiting for them. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });

/** The service a SigV4-signed request is for, from its credential scope: `.../us-east-1/sns/aws4_request`. */
const signedService = (request: IncomingMessage): string | undefined =>
  /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '')?.[1];

/**
 * The AWS endpoint of the local stack. Lambda Invoke runs our handlers (moto's Lambda would need
 * Docker); Textract text detection is answered by OCR (moto's returns no text); SNS Publish and
 * SES SendEmail are copied to the outbox; everything else, and the publish itself, goes to moto.
 */
export interface AwsFront {
  server: Server;
  /** Stops listening and drops the kept-alive connections to the emulator, which would keep its threads (and it) alive. */
  close(): Promise<void>;
}

export const startAwsFront = (options: { port: number; motoPort: number; runtime: LambdaRuntime; outbox: Outbox; textract: TextractOcr; iam: LocalIam; faults: FaultInjector; log: (line: string) => void }): Promise<AwsFront> => {
  const { port, motoPort, runtime, outbox, textract, iam, faults, log } = options;
  const upstreamAgent = new Agent({ keepAlive: true });

  const proxy = (request: IncomingMessage, response: ServerResponse, body: Buffer, onSuccess?: () => void) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: motoPort, agent: upstreamAgent, method: request.method, path: request.url, headers: { ...request.headers, 'content-length': String(body.length) } },
      (upstreamResponse) => {
        if (upstreamResponse.statusCode === 200) onSuccess?.();
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      log(`emulator unreachable: ${error.message}`);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `emulator unreachable: ${error.message}` }));
    });
    upstream.end(body);
  };

  /** Sends a request to the emulator and reads the whole answer (the part of a PutEvents not failed by a fault). */
  const sendUpstream = (method: string, path: string, headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<{ status: number; body: Buffer }> =>
    new Promise((done, failed) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: motoPort, agent: upstreamAgent, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (answer) => {
        readBody(answer).then((read) => done({ status: answer.statusCode ?? 502, body: read }), failed);
      });
      upstream.on('error', failed);
      upstream.end(body);
    });

  /** The answer a fault gives instead of the service's; a PutEvents fault still puts the entries it did not fail. */
  const faultAnswer = async (fault: Exclude<Fault, { kind: 'crash-after' }>, method: string, path: string, headers: Record<string, string | string[] | undefined>): Promise<Answer> => {
    if (fault.kind === 'answer') return fault.answer;
    const kept = fault.keep();
    if (!kept) return fault.merge(200, Buffer.alloc(0));
    const upstream = await sendUpstream(method, path, headers, kept);
    return fault.merge(upstream.status, upstream.body);
  };

  const invokeLambda = async (name: string, request: IncomingMessage, response: ServerResponse, body: Buffer, crashAfter?: (requestId: string) => Answer) => {
    const fn = runtime.find(name);
    if (!fn) {
      response.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      response.end(JSON.stringify({ Type: 'User', message: `Function not found: ${decodeURIComponent(name)}` }));
      return;
    }
    let event: unknown = {};
    try {
      if (body.length > 0) event = JSON.parse(body.toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidRequestContentException' });
      response.end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
      return;
    }
    const asynchronous = request.headers['x-amz-invocation-type'] === 'Event';
    const run = runtime.invoke(fn, event);
    if (asynchronous) {
      response.writeHead(202);
      response.end();
      return;
    }
    const result = await run;
    if (crashAfter) {
      // What the handler did stays done; the caller only learns that its runtime died.
      answer(response, crashAfter(randomUUID()));
      return;
    }
    if (result.ok) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      response.end(JSON.stringify(result.payload ?? null));
    } else {
      response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
      response.end(JSON.stringify(result.error));
    }
  };

  const answerTextract = async (operation: string, response: ServerResponse, body: Buffer) => {
    // Every AWS JSON answer carries a request id; clients (and the engine's error causes) read it.
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() };
    try {
      const input = body.length > 0 ? JSON.parse(body.toString('utf8')) as Record<string, unknown> : {};
      const output = await textract.call(operation, input);
      response.writeHead(200, headers);
      response.end(JSON.stringify(output));
    } catch (error) {
      const known = error instanceof TextractError ? error
        : error instanceof SyntaxError ? new TextractError('SerializationException', 'Request body is not valid JSON')
        : undefined;
      if (!known) log(`textract ${operation} failed: ${(error as Error).message}`);
      const answer = known ?? new TextractError('InternalServerError', (error as Error).message, 500);
      response.writeHead(answer.statusCode, { ...headers, 'x-amzn-errortype': answer.name });
      response.end(JSON.stringify({ __type: answer.name, message: answer.message }));
    }
  };

  const answer = (response: ServerResponse, { status, headers, body }: Answer) => {
    response.writeHead(status, headers);
    response.end(body);
  };

  const answerEngineCall = async (response: ServerResponse, body: Buffer) => {
    const call = JSON.parse(body.toString('utf8')) as EngineCall;
    const caller = decodeCaller(call.caller);
    let verdict: { proceed: boolean; answer?: Answer } = { proceed: true };
    if (caller && call.request) {
      const request = { ...call.request, headers: Object.fromEntries(Object.entries(call.request.headers).map(([name, value]) => [name.toLowerCase(), value])), body: Buffer.from(call.request.body, 'base64') };
      const refusal = iam.active ? iam.vetRequest(caller, request, call.task) : undefined;
      const fault = refusal ? undefined : faults.faultFor(caller, request);
      if (refusal) verdict = { proceed: false, answer: refusal };
      else if (fault && fault.kind !== 'crash-after') verdict = { proceed: false, answer: await faultAnswer(fault, request.method, request.url, request.headers) };
    } else if (caller && call.checks) {
      verdict = { proceed: iam.vetChecks(caller, call.checks) };
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(verdict));
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (request.method === 'POST' && request.url === ENGINE_CALLS) {
        await answerEngineCall(response, body);
        return;
      }
      // A call a function or a Task makes is held to its role first (caller.ts, iam.ts); anyone else is the account's administrator.
      const caller: Caller | undefined = iam.active || faults.active ? callerOf(request.headers) : undefined;
      const method = request.method ?? 'GET';
      const url = request.url ?? '/';
      const refusal = caller && iam.active ? iam.vetRequest(caller, { method, url, headers: request.headers, body }, request.headers[TASK_HEADER] as string | undefined) : undefined;
      if (refusal) {
        answer(response, refusal);
        return;
      }
      // Then LOCAL_FAULTS: the call may meet an infrastructure fault (faults.ts).
      const fault = faults.faultFor(caller, { method, url, headers: request.headers, body });
      if (fault && fault.kind !== 'crash-after') {
        answer(response, await faultAnswer(fault, method, url, request.headers));
        return;
      }
      const lambdaCall = method === 'POST' ? LAMBDA_INVOKE.exec(url.split('?')[0] ?? '') : null;
      if (lambdaCall?.[1]) {
        await invokeLambda(lambdaCall[1], request, response, body, fault?.answer);
        return;
      }
      const textractOperation = TextractOcr.targetOf(request.headers);
      if (textractOperation) {
        await answerTextract(textractOperation, response, body);
        return;
      }
      const service = signedService(request);
      const publish = service === 'sns' ? parsePublish(body.toString('utf8'), request.headers['content-type']) : undefined;
      const sesEmail = service === 'ses' ? parseSesSendEmail(request.method ?? '', request.url?.split('?')[0] ?? '', body.toString('utf8')) : undefined;
      // Only what SNS or SES accepted was sent (SES refuses a sender whose identity is not verified).
      const sent = publish ? () => outbox.record(publish) : sesEmail ? () => outbox.recordSesEmail(sesEmail) : undefined;
      proxy(request, response, body, sent);
    })().catch((error: Error) => {
      log(`front error: ${error.stack ?? error.message}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: error.message }));
    });
  });
  server.keepAliveTimeout = 60_000;
  const close = () => {
    upstreamAgent.destroy();
    return closeServer(server);
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, close }));
  });
};
