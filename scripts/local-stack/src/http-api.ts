import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { authorize, jwtAuthorizersFromTemplate, routeAuthorizationOf, type IssuerKeys, type RouteAuthorization } from './jwt-authorizer.js';
import { LOCAL_ISSUER_PATH, parseTokenRequest, TokenRequestError, type LocalJwtIssuer } from './jwt-issuer.js';
import type { StepFunctionsConsole } from './console.js';
import type { LambdaFunction, LambdaRuntime } from './lambda-runtime.js';
import { renderOutboxPage, type Outbox } from './outbox.js';
import { referencedLogicalIds, type TemplateResolver } from './template.js';

/** API Gateway's own payload limit; our handlers enforce much smaller ones. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface Route {
  method: string;
  path: string;
  routeKey: string;
  pattern: RegExp;
  parameterNames: string[];
  fn: LambdaFunction;
  /** The route's JWT authorizer and scopes; absent on a public route. */
  authorization?: RouteAuthorization;
}

/** Routes come from the compiled template's AWS::ApiGatewayV2::Route resources, as API Gateway would read them. */
export const routesFromTemplate = (resolver: TemplateResolver, runtime: LambdaRuntime): Route[] => {
  const authorizers = jwtAuthorizersFromTemplate(resolver);
  return resolver.logicalIdsOfType('AWS::ApiGatewayV2::Route').map((logicalId) => {
    const raw = resolver.resource(logicalId).Properties ?? {};
    const routeKey = String(raw.RouteKey);
    // Target is `integrations/<Ref to the integration>`; the integration names the function.
    const integrationId = referencedLogicalIds(raw.Target).find((id) => resolver.resource(id).Type === 'AWS::ApiGatewayV2::Integration');
    if (!integrationId) throw new Error(`route ${routeKey} has no integration in its Target`);
    const uri = String(resolver.properties(integrationId).IntegrationUri);
    const fn = runtime.find(uri);
    if (!fn) throw new Error(`route ${routeKey} integrates ${uri}, which is not a function in the template`);
    const [method = '', path = ''] = routeKey.split(' ');
    const parameterNames: string[] = [];
    const pattern = new RegExp(`^${path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      parameterNames.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    })}$`);
    const authorization = routeAuthorizationOf(raw, authorizers, referencedLogicalIds(raw.AuthorizerId)[0]);
    return { method, path, routeKey, pattern, parameterNames, fn, ...(authorization ? { authorization } : {}) };
  });
};

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const headersOf = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
};

type Authorizer = { jwt: { claims: Record<string, string>; scopes: string[] | null } };

const toEvent = (request: IncomingMessage, route: Route, match: RegExpExecArray, body: Buffer, url: URL, authorizer?: Authorizer): APIGatewayProxyEventV2 => {
  const headers = headersOf(request);
  const text = body.toString('utf8');
  const isText = /json|text|xml|x-www-form-urlencoded/.test(headers['content-type'] ?? '') || body.length === 0;
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.parameterNames.length > 0
      ? { pathParameters: Object.fromEntries(route.parameterNames.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')])) }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      ...(authorizer ? { authorizer } : {}),
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length > 0 ? { body: isText ? text : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
};

export interface HttpApiOptions {
  port: number;
  routes: Route[];
  runtime: LambdaRuntime;
  outbox: Outbox;
  /** The local issuer behind `POST /_local/token`, when the template's authorizer names it. */
  issuer?: LocalJwtIssuer;
  issuerKeys: IssuerKeys;
  /** The Step Functions console at /_local/console. */
  console?: StepFunctionsConsole;
  log: (line: string) => void;
}

/** The stack's own endpoints under /_local: the outbox, the console, and the local issuer's token, discovery and keys. */
const serveLocal = async (request: IncomingMessage, response: ServerResponse, url: URL, options: HttpApiOptions): Promise<boolean> => {
  const { port, outbox, issuer } = options;
  if (options.console && (await options.console.handle(request, response, url))) return true;
  const base = `http://${request.headers.host ?? `localhost:${port}`}`;
  const route = `${request.method} ${url.pathname}`;
  if (route === 'GET /_local/outbox') {
    const wantsPage = (request.headers.accept ?? '').includes('text/html') || url.searchParams.get('format') === 'html';
    if (wantsPage) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(renderOutboxPage(outbox.list(), `${base}/_local/outbox`));
    } else {
      sendJson(response, 200, outbox.list());
    }
    return true;
  }
  if (!issuer || !url.pathname.startsWith('/_local/')) return false;
  if (route === `GET ${LOCAL_ISSUER_PATH}/.well-known/openid-configuration`) {
    sendJson(response, 200, issuer.discovery(`${base}${LOCAL_ISSUER_PATH}/.well-known/jwks.json`));
    return true;
  }
  if (route === `GET ${LOCAL_ISSUER_PATH}/.well-known/jwks.json`) {
    sendJson(response, 200, issuer.jwks);
    return true;
  }
  if (route === 'POST /_local/token') {
    const body = await readBody(request, 16 * 1024);
    try {
      if (body === undefined) throw new TokenRequestError('the body must be at most 16 KiB');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new TokenRequestError('the body is not valid JSON');
      }
      sendJson(response, 200, await issuer.issue(parseTokenRequest(parsed, issuer.defaultScope)));
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error;
      sendJson(response, 400, { error: error.name, message: error.message });
    }
    return true;
  }
  return false;
};

/** The HTTP API of the local stack: the template's routes behind their authorizers, run by our handlers, plus /_local. */
export const startHttpApi = (options: HttpApiOptions): Promise<Server> => {
  const { port, routes, runtime, issuerKeys, log } = options;
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (await serveLocal(request, response, url, options)) return;
      const candidates = routes.filter((route) => route.pattern.test(url.pathname));
      const route = candidates.find((candidate) => candidate.method === request.method);
      if (!route) {
        if (candidates.length > 0) sendJson(response, 405, { error: 'MethodNotAllowed', message: `${request.method} is not allowed on ${url.pathname}` });
        else sendJson(response, 404, { error: 'NotFound', message: `no route for ${request.method} ${url.pathname}` });
        return;
      }
      const body = await readBody(request, MAX_PAYLOAD_BYTES);
      if (body === undefined) {
        sendJson(response, 413, { error: 'PayloadTooLarge', message: 'Request Entity Too Large' });
        return;
      }
      let authorizer: Authorizer | undefined;
      if (route.authorization) {
        const decision = await authorize(route.authorization, headersOf(request), issuerKeys);
        if (!decision.allowed) {
          response.writeHead(decision.status, decision.headers);
          response.end(JSON.stringify(decision.body));
          return;
        }
        authorizer = { jwt: { claims: decision.claims, scopes: decision.scopes } };
      }
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      const result = await runtime.invoke(route.fn, toEvent(request, route, match, body, url, authorizer));
      if (!result.ok) {
        log(`${route.fn.name} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
        sendJson(response, 500, { message: 'Internal Server Error' });
        return;
      }
      const payload = result.payload as { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean } | undefined;
      if (payload && typeof payload === 'object' && typeof payload.statusCode === 'number') {
        response.writeHead(payload.statusCode, payload.headers ?? {});
        response.end(payload.isBase64Encoded ? Buffer.from(payload.body ?? '', 'base64') : payload.body ?? '');
      } else {
        sendJson(response, 200, payload);
      }
    })().catch((error: Error) => {
      log(`http api error: ${error.stack ?? error.message}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
};
