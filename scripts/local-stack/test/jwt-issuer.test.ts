import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { isLocalIssuer, LocalJwtIssuer, parseTokenRequest, TokenRequestError } from '../src/jwt-issuer.js';

const DEFAULT_SCOPE = 'read write';

const ISSUER = 'http://localhost:3000/_local/issuer';
const AUDIENCE = 'shop-local';

describe('parseTokenRequest', () => {
  it('fills in the default scope, no groups and an hour', () => {
    // Act
    const request = parseTokenRequest({ sub: 'alice' }, DEFAULT_SCOPE);

    // Assess
    expect(request).toEqual({ sub: 'alice', scope: DEFAULT_SCOPE, groups: [], expiresIn: 3600 });
  });

  it('keeps what the caller asked for', () => {
    // Act
    const request = parseTokenRequest({ sub: 'ops', scope: 'admin', groups: ['admin'], expiresIn: 5 }, DEFAULT_SCOPE);

    // Assess
    expect(request).toEqual({ sub: 'ops', scope: 'admin', groups: ['admin'], expiresIn: 5 });
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', ['alice'], /JSON object/],
    ['no sub', {}, /"sub"/],
    ['an empty sub', { sub: ' ' }, /"sub"/],
    ['a scope list instead of a string', { sub: 'a', scope: ['orders'] }, /"scope"/],
    ['groups as a string', { sub: 'a', groups: 'admin' }, /"groups"/],
    ['a zero lifetime', { sub: 'a', expiresIn: 0 }, /"expiresIn"/],
    ['a lifetime over a day', { sub: 'a', expiresIn: 86_401 }, /"expiresIn"/],
    ['an unknown field', { sub: 'a', iss: 'https://evil.example' }, /unknown fields: iss/],
  ])('refuses %s, naming the field', (_, body, message) => {
    // Act
    const act = () => parseTokenRequest(body, DEFAULT_SCOPE);

    // Assess
    expect(act).toThrow(TokenRequestError);
    expect(act).toThrow(message);
  });
});

describe('LocalJwtIssuer', () => {
  it('signs RS256 access tokens, with its kid, that verify against its published JWKS', async () => {
    // Prepare
    const issuer = await LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents');
    const now = new Date();

    // Act
    const issued = await issuer.issue({ sub: 'alice', scope: 'orders', groups: ['admin'], expiresIn: 600 }, now);
    const { payload } = await jwtVerify(issued.accessToken, createLocalJWKSet(issuer.jwks), { issuer: ISSUER, audience: AUDIENCE });

    // Assess
    expect(issued).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });
    expect(decodeProtectedHeader(issued.accessToken)).toMatchObject({ alg: 'RS256', kid: issuer.jwks.keys[0]?.kid });
    expect(payload).toMatchObject({ sub: 'alice', scope: 'orders', 'cognito:groups': ['admin'], token_use: 'access' });
    expect(payload.exp).toBe(Math.floor(now.getTime() / 1000) + 600);
  });

  it('publishes only the public half of its key', async () => {
    // Act
    const issuer = await LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents');

    // Assess
    expect(issuer.jwks.keys).toHaveLength(1);
    expect(issuer.jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('makes a new key at every start, so tokens die with the stack', async () => {
    // Act
    const [first, second] = await Promise.all([LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents'), LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents')]);

    // Assess
    expect(first.jwks.keys[0]?.n).not.toBe(second.jwks.keys[0]?.n);
  });

  it('names the JWKS where the stack serves it in its discovery document', async () => {
    // Prepare
    const issuer = await LocalJwtIssuer.create(ISSUER, AUDIENCE, 'orders documents');

    // Act
    const discovery = issuer.discovery('http://localhost:4000/_local/issuer/.well-known/jwks.json');

    // Assess
    expect(discovery).toMatchObject({ issuer: ISSUER, jwks_uri: 'http://localhost:4000/_local/issuer/.well-known/jwks.json' });
  });
});

describe('isLocalIssuer', () => {
  it.each([
    [ISSUER, true],
    ['http://127.0.0.1:4100/_local/issuer', true],
    ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', false],
    ['https://evil.example/_local/issuer', false],
    ['not a url', false],
  ])('%s → %p', (issuer, expected) => {
    expect(isLocalIssuer(issuer)).toBe(expected);
  });
});
