import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * The local stand-in for Cognito: an OIDC issuer whose RSA key is made at start (tokens die with
 * the stack), with a discovery document and a JWKS that the JWT authorizer fetches as API Gateway
 * does. Its identity is the local stage's issuer URL in the compiled template.
 */
export const LOCAL_ISSUER_PATH = '/_local/issuer';
const MAX_EXPIRES_IN = 24 * 60 * 60;

export interface TokenRequest {
  sub: string;
  scope: string;
  groups: string[];
  expiresIn: number;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export class TokenRequestError extends Error {
  override name = 'InvalidTokenRequest';
}

/**
 * `POST /_local/token` `{"sub","scope"?,"groups"?,"expiresIn"?}`, checked field by field. Without a
 * scope the token carries `defaultScope`: every scope the template's routes ask for.
 */
export const parseTokenRequest = (body: unknown, defaultScope: string): TokenRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TokenRequestError('the body must be a JSON object with at least "sub"');
  const { sub, scope = defaultScope, groups = [], expiresIn = 3600, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TokenRequestError(`unknown fields: ${unknown.join(', ')} (allowed: sub, scope, groups, expiresIn)`);
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 255) throw new TokenRequestError('"sub" must be a non-empty string of at most 255 characters');
  if (typeof scope !== 'string') throw new TokenRequestError('"scope" must be a space-separated string of scopes');
  if (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string')) throw new TokenRequestError('"groups" must be an array of strings');
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
    throw new TokenRequestError(`"expiresIn" must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN}`);
  }
  return { sub, scope, groups: groups as string[], expiresIn };
};

/** True for the issuer URL the local stage names for the local issuer (any localhost port). */
export const isLocalIssuer = (issuer: string): boolean => {
  try {
    const url = new URL(issuer);
    return ['localhost', '127.0.0.1'].includes(url.hostname) && url.pathname === LOCAL_ISSUER_PATH;
  } catch {
    return false;
  }
};

export class LocalJwtIssuer {
  private constructor(
    readonly issuer: string,
    readonly audience: string,
    /** What a token request without a scope gets. */
    readonly defaultScope: string,
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
  ) {}

  static async create(issuer: string, audience: string, defaultScope: string): Promise<LocalJwtIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new LocalJwtIssuer(issuer, audience, defaultScope, privateKey, { keys: [jwk] }, kid);
  }

  /** The OIDC discovery document, naming where this stack serves the keys. */
  discovery(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    };
  }

  /** An access token shaped like Cognito's: `scope` space-separated, groups in `cognito:groups`. */
  async issue(request: TokenRequest, now: Date = new Date()): Promise<IssuedToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const accessToken = await new SignJWT({
      scope: request.scope,
      token_use: 'access',
      ...(request.groups.length > 0 ? { 'cognito:groups': request.groups } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(request.sub)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + request.expiresIn)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: request.expiresIn };
  }
}
