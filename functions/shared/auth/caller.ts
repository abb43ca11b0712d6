import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/**
 * Who is calling, as API Gateway's JWT authorizer passed it on. HTTP APIs hand claims over as
 * strings: arrays arrive as "[a b]", numbers as their digits.
 */
export interface Caller {
  /** The token's `sub`: the customer every order and document belongs to. */
  customerId: string;
  scopes: string[];
  groups: string[];
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

interface JwtAuthorizerContext {
  jwt?: { claims?: Claims; scopes?: string[] | null };
}

const listClaim = (value: Claims[string]): string[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter((item) => item.length > 0);
};

/**
 * The caller of a route behind the JWT authorizer. A route that reaches this without claims was
 * deployed without its authorizer: refuse rather than serve anyone.
 */
export const callerOf = (event: APIGatewayProxyEventV2): Caller => {
  const jwt = (event.requestContext as { authorizer?: JwtAuthorizerContext }).authorizer?.jwt;
  const sub = jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new UnauthorizedError('this route needs a signed-in customer');
  }
  const claims = jwt?.claims ?? {};
  return {
    customerId: sub,
    scopes: jwt?.scopes ?? listClaim(claims.scope ?? claims.scp),
    groups: listClaim(claims['cognito:groups'] ?? claims.groups),
  };
};

/**
 * Admin routes take the admin scope (a machine client of the issuer) or the `admin` group (a
 * person in the user pool). API Gateway checks only scopes, so the group half lives here.
 */
export const requireAdmin = (caller: Caller, adminScope: string): void => {
  if (!caller.scopes.includes(adminScope) && !caller.groups.includes('admin')) {
    throw new ForbiddenError(`this route needs the "${adminScope}" scope or membership of the "admin" group`);
  }
};
