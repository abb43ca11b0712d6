import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TemplateResolver } from './template.js';

/**
 * API Gateway's HTTP API JWT authorizer, as its documentation describes it, configured from the
 * compiled template's AWS::ApiGatewayV2::Authorizer and each route's AuthorizationScopes:
 * the token from the identity source (a leading "Bearer " dropped), a key from the issuer's JWKS
 * by `kid`, an RSA signature, `iss` equal to the issuer, `aud` (or `client_id` when there is no
 * `aud`) one of the audiences, `exp`, `nbf` and `iat` in order, then at least one of the route's
 * scopes in `scope`/`scp`. 401 for the first failures, 403 for a missing scope.
 */
export interface JwtAuthorizer {
  name: string;
  identitySource: string[];
  issuer: string;
  audience: string[];
}

export interface RouteAuthorization {
  authorizer: JwtAuthorizer;
  scopes: string[];
}

export type AuthorizerDecision =
  | { allowed: true; claims: Record<string, string>; scopes: string[] | null }
  | { allowed: false; status: 401 | 403; headers: Record<string, string>; body: { message: string } };

/** Where an issuer's signing keys are; API Gateway follows the issuer's discovery document. */
export type IssuerKeys = (issuer: string) => JWTVerifyGetKey;

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

export const jwtAuthorizersFromTemplate = (resolver: TemplateResolver): Map<string, JwtAuthorizer> =>
  new Map(
    resolver.logicalIdsOfType('AWS::ApiGatewayV2::Authorizer').flatMap((logicalId) => {
      const p = resolver.properties(logicalId);
      if (p.AuthorizerType !== 'JWT') return [];
      const jwt = p.JwtConfiguration as { Issuer?: unknown; Audience?: unknown[] } | undefined;
      const identitySource = (p.IdentitySource as string[] | undefined) ?? [];
      for (const source of identitySource) {
        if (!/^\$request\.header\.[\w-]+$/.test(source)) throw new Error(`authorizer ${logicalId}: identity source ${source} is not supported locally (headers only)`);
      }
      return [[logicalId, { name: String(p.Name), identitySource, issuer: String(jwt?.Issuer ?? ''), audience: (jwt?.Audience ?? []).map(String) }]];
    }),
  );

/** A route's authorization from its template properties; undefined for a public route. */
export const routeAuthorizationOf = (
  route: Record<string, unknown>,
  authorizers: Map<string, JwtAuthorizer>,
  authorizerLogicalId: string | undefined,
): RouteAuthorization | undefined => {
  if (route.AuthorizationType === undefined || route.AuthorizationType === 'NONE') return undefined;
  if (route.AuthorizationType !== 'JWT') throw new Error(`route ${String(route.RouteKey)}: authorization ${String(route.AuthorizationType)} is not emulated locally`);
  const authorizer = authorizerLogicalId ? authorizers.get(authorizerLogicalId) : undefined;
  if (!authorizer) throw new Error(`route ${String(route.RouteKey)} names an authorizer that is not a JWT authorizer of the template`);
  return { authorizer, scopes: ((route.AuthorizationScopes as unknown[] | undefined) ?? []).map(String) };
};

/** How discovery reaches the issuer; a test gives its own. */
export interface DiscoveryClient {
  fetch: (url: string) => Promise<Response>;
  remoteKeySet: (jwksUri: URL) => JWTVerifyGetKey;
}

/**
 * Keys through the issuer's `/.well-known/openid-configuration`, discovered once per issuer. A
 * discovery that fails (the issuer down or slow to start) is not kept: the next token asks again,
 * as API Gateway does, rather than every token failing until the stack restarts.
 */
export const discoveredIssuerKeys = (
  override: (issuer: string) => URL | undefined = () => undefined,
  client: DiscoveryClient = { fetch: (url) => fetch(url), remoteKeySet: (jwksUri) => createRemoteJWKSet(jwksUri) },
): IssuerKeys => {
  const cache = new Map<string, JWTVerifyGetKey>();
  return (issuer) => {
    let keys = cache.get(issuer);
    if (!keys) {
      const discover = async (): Promise<JWTVerifyGetKey> => {
        const direct = override(issuer);
        if (direct) return client.remoteKeySet(direct);
        const response = await client.fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
        if (!response.ok) throw new Error(`discovery for ${issuer} answered ${response.status}`);
        return client.remoteKeySet(new URL(String(((await response.json()) as { jwks_uri?: unknown }).jwks_uri)));
      };
      let remote: Promise<JWTVerifyGetKey> | undefined;
      keys = async (header, token) => {
        remote ??= discover().catch((error: unknown) => {
          remote = undefined;
          throw error;
        });
        return (await remote)(header, token);
      };
      cache.set(issuer, keys);
    }
    return keys;
  };
};

/** HTTP APIs pass claims to the function as strings; arrays become "[a b]". */
const flattenClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
    ]),
  );

const tokenScopes = (payload: JWTPayload): string[] => {
  const raw = payload.scope ?? payload.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
};

const deny = (status: 401 | 403, error: string, description: string, scopes: string[]): AuthorizerDecision => ({
  allowed: false,
  status,
  headers: {
    'content-type': 'application/json',
    'www-authenticate': `Bearer scope="${scopes.join(' ')}" error="${error}" error_description="${description}"`,
  },
  body: { message: status === 401 ? 'Unauthorized' : 'Forbidden' },
});

const describeFailure = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not valid (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with an RSA algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'the token is not a well-formed JWT';
  return 'the token could not be verified';
};

const headerValue = (headers: Record<string, string | undefined>, source: string): string | undefined => {
  const wanted = source.replace(/^\$request\.header\./, '').toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
};

export const authorize = async (
  { authorizer, scopes }: RouteAuthorization,
  headers: Record<string, string | undefined>,
  issuerKeys: IssuerKeys,
  now: Date = new Date(),
): Promise<AuthorizerDecision> => {
  const identity = authorizer.identitySource.map((source) => headerValue(headers, source));
  const raw = identity[0];
  if (raw === undefined || raw.trim() === '' || identity.some((value) => value === undefined)) {
    return deny(401, 'invalid_request', 'no token in the Authorization header', scopes);
  }
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  // API Gateway picks the key by `kid` and refuses a token without one, even where the issuer has a
  // single key that would verify it (jose would take that key).
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(token));
  } catch {
    return deny(401, 'invalid_token', 'the token is not a well-formed JWT', scopes);
  }
  if (typeof kid !== 'string' || kid === '') return deny(401, 'invalid_token', 'the token has no kid in its header', scopes);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, issuerKeys(authorizer.issuer), {
      issuer: authorizer.issuer,
      algorithms: RSA_ALGORITHMS,
      requiredClaims: ['exp'],
      currentDate: now,
    }));
  } catch (error) {
    return deny(401, 'invalid_token', describeFailure(error), scopes);
  }
  if (typeof payload.iat === 'number' && payload.iat > Math.floor(now.getTime() / 1000)) {
    return deny(401, 'invalid_token', 'the token was issued in the future', scopes);
  }
  const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const presented = audiences.length > 0 ? audiences : typeof payload.client_id === 'string' ? [payload.client_id] : [];
  if (!presented.some((audience) => authorizer.audience.includes(audience))) {
    return deny(401, 'invalid_token', 'the token is not for this audience', scopes);
  }
  const granted = tokenScopes(payload);
  if (scopes.length > 0 && !scopes.some((scope) => granted.includes(scope))) {
    return deny(403, 'insufficient_scope', `the token has none of the scopes this route needs (${scopes.join(', ')})`, scopes);
  }
  return { allowed: true, claims: flattenClaims(payload), scopes: scopes.length > 0 ? granted : null };
};
