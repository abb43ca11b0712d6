import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, requireAdmin } from '../../functions/shared/auth/caller.js';
import { ForbiddenError, UnauthorizedError } from '../../functions/shared/errors.js';

/** An HTTP API event as API Gateway builds it after its JWT authorizer let the request through. */
const eventWith = (jwt: unknown): APIGatewayProxyEventV2 =>
  ({ requestContext: { ...(jwt === undefined ? {} : { authorizer: { jwt } }) } }) as unknown as APIGatewayProxyEventV2;

describe('callerOf', () => {
  it("names the customer by the token's sub, with its scopes and Cognito groups", () => {
    // Act
    const caller = callerOf(eventWith({ claims: { sub: 'alice', 'cognito:groups': '[admin staff]' }, scopes: ['orders', 'documents'] }));

    // Assess
    expect(caller).toEqual({ customerId: 'alice', scopes: ['orders', 'documents'], groups: ['admin', 'staff'] });
  });

  it("reads the scopes from the claim when the route named none (API Gateway then passes scopes: null)", () => {
    // Act
    const caller = callerOf(eventWith({ claims: { sub: 'ops', scope: 'admin orders' }, scopes: null }));

    // Assess
    expect(caller.scopes).toEqual(['admin', 'orders']);
  });

  it('reads a plain groups claim of other issuers', () => {
    // Act
    const caller = callerOf(eventWith({ claims: { sub: 'ops', groups: '[admin]' }, scopes: null }));

    // Assess
    expect(caller.groups).toEqual(['admin']);
  });

  it.each([
    ['no authorizer context (a route deployed without its authorizer)', undefined],
    ['no claims', { scopes: null }],
    ['an empty sub', { claims: { sub: '' } }],
  ])('refuses %s with Unauthorized rather than serve anyone', (_, jwt) => {
    // Act
    const act = () => callerOf(eventWith(jwt));

    // Assess
    expect(act).toThrow(UnauthorizedError);
  });
});

describe('requireAdmin', () => {
  it.each([
    ['the admin scope', { customerId: 'svc', scopes: ['sfn-orders-dev/admin'], groups: [] }],
    ['the admin group', { customerId: 'ops', scopes: ['sfn-orders-dev/orders'], groups: ['admin'] }],
  ])('lets a caller with %s through', (_, caller) => {
    expect(() => requireAdmin(caller, 'sfn-orders-dev/admin')).not.toThrow();
  });

  it.each([
    ['a customer', { customerId: 'alice', scopes: ['sfn-orders-dev/orders'], groups: [] }],
    ['a bare "admin" scope of another resource server', { customerId: 'x', scopes: ['admin'], groups: ['staff'] }],
  ])('refuses %s with Forbidden, naming what the route needs', (_, caller) => {
    // Act
    const act = () => requireAdmin(caller, 'sfn-orders-dev/admin');

    // Assess
    expect(act).toThrow(ForbiddenError);
    expect(act).toThrow('the "sfn-orders-dev/admin" scope or membership of the "admin" group');
  });
});
