import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import {
  authorize,
  discoveredIssuerKeys,
  jwtAuthorizersFromTemplate,
  routeAuthorizationOf,
  type AuthorizerDecision,
  type IssuerKeys,
  type RouteAuthorization,
} from '../src/jwt-authorizer.js';
import { LocalJwtIssuer } from '../src/jwt-issuer.js';
import { TemplateResolver, type Template } from '../src/template.js';

/**
 * The local JWT authorizer against a template in the shape `serverless package` compiles for the
 * local stage: every way a token can fail API Gateway's checks, and what a good one passes on.
 */
const ISSUER = 'http://localhost:3000/_local/issuer';
const AUDIENCE = 'shop-local';
const NOW = new Date('2026-11-24T10:00:00.000Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const template: Template = {
  Conditions: { CreateUserPool: { 'Fn::Equals': [ISSUER, ''] } },
  Resources: {
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'local-shop', ProtocolType: 'HTTP' } },
    HttpApiAuthorizerCustomer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        Name: 'customer',
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Audience: [{ 'Fn::If': ['CreateUserPool', { Ref: 'CustomerUserPoolClient' }, AUDIENCE] }],
          Issuer: { 'Fn::If': ['CreateUserPool', { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${CustomerUserPool}' }, ISSUER] },
        },
      },
    },
    CustomerUserPool: { Type: 'AWS::Cognito::UserPool', Condition: 'CreateUserPool' },
    HttpApiRoutePostOrders: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { RouteKey: 'POST /orders', AuthorizationType: 'JWT', AuthorizerId: { Ref: 'HttpApiAuthorizerCustomer' }, AuthorizationScopes: ['orders'] },
    },
    HttpApiRouteGetProducts: { Type: 'AWS::ApiGatewayV2::Route', Properties: { RouteKey: 'GET /products' } },
  },
};

const resolver = new TemplateResolver(template, 'us-east-1', 'shop-local');
const authorizers = jwtAuthorizersFromTemplate(resolver);
const routeOf = (logicalId: string) => routeAuthorizationOf(resolver.resource(logicalId).Properties ?? {}, authorizers, 'HttpApiAuthorizerCustomer');
const postOrders = routeOf('HttpApiRoutePostOrders') as RouteAuthorization;

let issuer: LocalJwtIssuer;
let keys: IssuerKeys;

beforeAll(async () => {
  issuer = await LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents');
  const jwks = createLocalJWKSet(issuer.jwks);
  keys = (name) => {
    if (name !== ISSUER) throw new Error(`asked for the keys of ${name}`);
    return jwks;
  };
});

const tokenFor = async (changes: { sub?: string; scope?: string; groups?: string[]; expiresIn?: number; at?: Date } = {}) =>
  (await issuer.issue({ sub: changes.sub ?? 'alice', scope: changes.scope ?? 'orders documents', groups: changes.groups ?? [], expiresIn: changes.expiresIn ?? 3600 }, changes.at ?? NOW)).accessToken;

/** A token signed by a key the issuer never published, under the issuer's own kid. */
const forgedToken = async (claims: JWTPayload, kid: string) => {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
};

const kidOfIssuer = () => String(issuer.jwks.keys[0]?.kid);
const goodClaims = (): JWTPayload => ({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', scope: 'orders', iat: seconds(NOW) - 10, exp: seconds(NOW) + 3600 });
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const decide = (authorization: string | undefined, route: RouteAuthorization = postOrders): Promise<AuthorizerDecision> =>
  authorize(route, authorization === undefined ? {} : { authorization }, keys, NOW);

const expectDenied = (decision: AuthorizerDecision, status: 401 | 403, description: RegExp) => {
  expect(decision.allowed).toBe(false);
  if (decision.allowed) return;
  expect(decision.status).toBe(status);
  expect(decision.body).toEqual({ message: status === 401 ? 'Unauthorized' : 'Forbidden' });
  expect(decision.headers['www-authenticate']).toMatch(description);
};

describe('the authorizer read from the template', () => {
  it('takes issuer and audience from the local branch of the Fn::If, since the stage names its own issuer', () => {
    // Assess
    expect([...authorizers.values()]).toEqual([
      { name: 'customer', identitySource: ['$request.header.Authorization'], issuer: ISSUER, audience: [AUDIENCE] },
    ]);
  });

  it("gives a route its authorizer and scopes, and a route without AuthorizationType none", () => {
    // Act
    const products = routeAuthorizationOf(resolver.resource('HttpApiRouteGetProducts').Properties ?? {}, authorizers, undefined);

    // Assess
    expect(postOrders.scopes).toEqual(['orders']);
    expect(postOrders.authorizer.issuer).toBe(ISSUER);
    expect(products).toBeUndefined();
  });

  it('skips resources whose condition is false in this stage', () => {
    // Assess
    expect(resolver.logicalIdsOfType('AWS::Cognito::UserPool')).toEqual([]);
  });

  it('refuses to start with a route whose authorizer it cannot emulate, rather than serve it open', () => {
    // Act
    const act = () => routeAuthorizationOf({ RouteKey: 'GET /x', AuthorizationType: 'AWS_IAM' }, authorizers, undefined);

    // Assess
    expect(act).toThrow('authorization AWS_IAM is not emulated locally');
  });
});

describe('authorize', () => {
  describe('401: no valid token', () => {
    it('refuses a request without an Authorization header', async () => {
      expectDenied(await decide(undefined), 401, /no token/);
    });

    it.each(['', 'Bearer ', 'Bearer not-a-jwt', 'Bearer a.b.c', 'Basic YWxpY2U6c2VjcmV0'])('refuses the malformed header %p', async (header) => {
      expectDenied(await decide(header), 401, /error="invalid_(request|token)"/);
    });

    it('refuses an expired token', async () => {
      // Prepare
      const token = await tokenFor({ expiresIn: 60, at: new Date(NOW.getTime() - 61_000) });

      // Act + Assess
      expectDenied(await decide(`Bearer ${token}`), 401, /the token has expired/);
    });

    it('refuses a token whose payload was changed after signing', async () => {
      // Prepare
      const [header, , signature] = (await tokenFor()).split('.');
      const tampered = `${header}.${base64url({ ...goodClaims(), sub: 'mallory' })}.${signature}`;

      // Act + Assess
      expectDenied(await decide(`Bearer ${tampered}`), 401, /signature is invalid/);
    });

    it("refuses a token signed by another key under the issuer's kid", async () => {
      // Prepare
      const forged = await forgedToken(goodClaims(), kidOfIssuer());

      // Act + Assess
      expectDenied(await decide(`Bearer ${forged}`), 401, /signature is invalid/);
    });

    it('refuses a token without a kid, as API Gateway does, even when the issuer has one key that would verify it', async () => {
      // Prepare: an issuer with a single key, and a token signed by it whose header names no kid.
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'only-key', alg: 'RS256', use: 'sig' }] });
      const withoutKid = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      const withKid = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: 'only-key' }).sign(privateKey);

      // Act
      const refused = await authorize(postOrders, { authorization: `Bearer ${withoutKid}` }, () => jwks, NOW);
      const allowed = await authorize(postOrders, { authorization: `Bearer ${withKid}` }, () => jwks, NOW);

      // Assess
      expectDenied(refused, 401, /the token has no kid/);
      expect(allowed.allowed).toBe(true);
    });

    it('refuses an unsigned token (alg "none")', async () => {
      // Prepare
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(goodClaims())}.`;

      // Act + Assess
      expectDenied(await decide(`Bearer ${unsigned}`), 401, /error="invalid_token"/);
    });

    it('refuses an HMAC token made with the public key as its secret (algorithm confusion)', async () => {
      // Prepare
      const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(issuer.jwks.keys[0]));
      const confused = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: kidOfIssuer() }).sign(publicKeyAsSecret);

      // Act + Assess
      expectDenied(await decide(`Bearer ${confused}`), 401, /not signed with an RSA algorithm/);
    });

    it('refuses a token of another issuer, even one signed with the right key', async () => {
      // Prepare
      const other = await LocalJwtIssuer.create('https://someone-else.example', AUDIENCE, 'orders documents');
      const token = (await other.issue({ sub: 'alice', scope: 'orders', groups: [], expiresIn: 3600 }, NOW)).accessToken;
      const jwks = createLocalJWKSet(other.jwks);

      // Act
      const decision = await authorize(postOrders, { authorization: `Bearer ${token}` }, () => jwks, NOW);

      // Assess
      expectDenied(decision, 401, /"iss" claim/);
    });

    it('refuses a token for another audience', async () => {
      // Prepare
      const other = await LocalJwtIssuer.create(ISSUER, 'another-api', 'orders documents');
      const token = (await other.issue({ sub: 'alice', scope: 'orders', groups: [], expiresIn: 3600 }, NOW)).accessToken;
      const jwks = createLocalJWKSet(other.jwks);

      // Act
      const decision = await authorize(postOrders, { authorization: `Bearer ${token}` }, () => jwks, NOW);

      // Assess
      expectDenied(decision, 401, /not for this audience/);
    });

    it('refuses a token without an expiry', async () => {
      // Prepare
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const { exp: _, ...claims } = goodClaims();
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);

      // Act
      const decision = await authorize(postOrders, { authorization: `Bearer ${token}` }, () => async () => publicKey, NOW);

      // Assess
      expectDenied(decision, 401, /"exp" claim/);
    });

    it('refuses a token issued in the future', async () => {
      // Prepare
      const token = await tokenFor({ at: new Date(NOW.getTime() + 120_000) });

      // Act + Assess
      expectDenied(await decide(`Bearer ${token}`), 401, /issued in the future/);
    });
  });

  describe('403: a valid token without the scope', () => {
    it('refuses a token that has only other scopes', async () => {
      // Prepare
      const token = await tokenFor({ scope: 'documents' });

      // Act + Assess
      expectDenied(await decide(`Bearer ${token}`), 403, /error="insufficient_scope".*\(orders\)/);
    });

    it('refuses a token with no scope at all', async () => {
      // Prepare
      const token = await tokenFor({ scope: '' });

      // Act + Assess
      expectDenied(await decide(`Bearer ${token}`), 403, /insufficient_scope/);
    });
  });

  describe('allowed', () => {
    it("passes the claims on as strings the way HTTP APIs do, with the token's scopes", async () => {
      // Prepare
      const token = await tokenFor({ sub: 'alice', scope: 'orders documents', groups: ['admin', 'staff'] });

      // Act
      const decision = await decide(`Bearer ${token}`);

      // Assess
      expect(decision).toMatchObject({
        allowed: true,
        scopes: ['orders', 'documents'],
        claims: { sub: 'alice', iss: ISSUER, aud: AUDIENCE, scope: 'orders documents', 'cognito:groups': '[admin staff]', exp: String(seconds(NOW) + 3600) },
      });
    });

    it('takes the token without the "Bearer " prefix too, as API Gateway does', async () => {
      // Prepare
      const token = await tokenFor();

      // Act
      const decision = await decide(token);

      // Assess
      expect(decision.allowed).toBe(true);
    });

    it('accepts client_id in place of aud, as Cognito access tokens carry it', async () => {
      // Prepare
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const { aud: _, ...claims } = goodClaims();
      const token = await new SignJWT({ ...claims, client_id: AUDIENCE }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);

      // Act
      const decision = await authorize(postOrders, { authorization: `Bearer ${token}` }, () => async () => publicKey, NOW);

      // Assess
      expect(decision.allowed).toBe(true);
    });

    it('lets any valid token through on a route that names no scopes', async () => {
      // Prepare
      const token = await tokenFor({ scope: 'documents' });

      // Act
      const decision = await decide(`Bearer ${token}`, { ...postOrders, scopes: [] });

      // Assess
      expect(decision).toMatchObject({ allowed: true, scopes: null });
    });
  });
});

describe('discoveredIssuerKeys', () => {
  it('asks the issuer again after a failed discovery, rather than refusing every token until a restart', async () => {
    // Prepare: discovery answers 503 once (the issuer still starting), then its document.
    const asked: string[] = [];
    const jwks = createLocalJWKSet(issuer.jwks);
    const discovered = discoveredIssuerKeys(() => undefined, {
      fetch: async (url) => {
        asked.push(url);
        return asked.length === 1 ? new Response('starting', { status: 503 }) : Response.json({ jwks_uri: `${ISSUER}/.well-known/jwks.json` });
      },
      remoteKeySet: () => jwks,
    });
    const authorization = `Bearer ${await tokenFor()}`;

    // Act
    const first = await authorize(postOrders, { authorization }, discovered, NOW);
    const second = await authorize(postOrders, { authorization }, discovered, NOW);
    const third = await authorize(postOrders, { authorization }, discovered, NOW);

    // Assess
    expect(first.allowed).toBe(false);
    expect([second.allowed, third.allowed]).toEqual([true, true]);
    expect(asked).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/.well-known/openid-configuration`]);
  });
});
