/**
 * IAM policy evaluation, as far as a single account's roles and resource policies need it:
 * Allow and Deny, Action/NotAction (case-insensitive wildcards), Resource/NotResource (ARN globs),
 * Principal for resource policies, and the condition operators on the context keys the local
 * stack knows. A condition it cannot evaluate is never taken to hold for an Allow nor to miss for
 * a Deny: the call is refused and the reason says which key.
 */

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A statement and where it comes from, for log lines: `role x, policy y, statement 2`. */
export interface SourcedStatement {
  statement: Statement;
  source: string;
}

/** What the request says about itself, for conditions: `aws:SourceArn`, `aws:PrincipalArn`... (lower-case keys). */
export type RequestContext = Record<string, string | undefined>;

/** The principal of a resource policy check: a role's ARN, or a service (events.amazonaws.com). */
export type Principal = { role: string; account: string } | { service: string };

export type Decision =
  | { effect: 'allow'; by: SourcedStatement }
  | { effect: 'explicit-deny'; by: SourcedStatement; unevaluated: Unevaluated[] }
  | { effect: 'implicit-deny'; unevaluated: Unevaluated[] };

/** A statement that might have decided the call but has a condition the local stack cannot evaluate. */
export interface Unevaluated {
  statement: SourcedStatement;
  why: string;
}

/** Context keys the local stack can supply (lower case); conditions on any other key are not evaluated. */
export const KNOWN_CONTEXT_KEYS = new Set([
  'aws:sourcearn', 'aws:sourceaccount', 'aws:principalarn', 'aws:principalaccount', 'aws:principaltype',
  'aws:principalservicename', 'aws:requestedregion', 'aws:securetransport',
  // An HTTP Task's call (httpTaskCheck).
  'states:httpendpoint', 'states:httpmethod',
]);

const patterns = new Map<string, RegExp>();
/** IAM's wildcards: `*` any run of characters (`:` and `/` included), `?` any one character. */
export const wildcardMatch = (pattern: string, value: string, ignoreCase: boolean): boolean => {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let compiled = patterns.get(key);
  if (!compiled) {
    compiled = new RegExp(`^${pattern.split(/([*?])/).map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, ignoreCase ? 'is' : 's');
    patterns.set(key, compiled);
  }
  return compiled.test(value);
};

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)]);

/** A resource pattern with a policy variable (`${aws:username}`) is one the local stack does not evaluate. */
const POLICY_VARIABLE = /\$\{(?![*?$]\})[^}]+\}/;
const unescapeVariables = (pattern: string): string => pattern.replace(/\$\{([*?$])\}/g, '$1');

const matchesAction = (statement: Statement, action: string): boolean =>
  statement.NotAction !== undefined
    ? !list(statement.NotAction).some((pattern) => wildcardMatch(pattern, action, true))
    : list(statement.Action).some((pattern) => wildcardMatch(pattern, action, true));

/** true, false, or the reason it cannot tell. */
const matchesResource = (statement: Statement, resource: string): boolean | string => {
  const patternsOf = statement.NotResource !== undefined ? list(statement.NotResource) : list(statement.Resource);
  const variable = patternsOf.find((pattern) => POLICY_VARIABLE.test(pattern));
  if (variable) return `resource ${variable} holds a policy variable`;
  const any = patternsOf.some((pattern) => wildcardMatch(unescapeVariables(pattern), resource, false));
  return statement.NotResource !== undefined ? !any : any;
};

const matchesPrincipal = (statement: Statement, principal: Principal | undefined): boolean | string => {
  if (statement.NotPrincipal !== undefined) return 'NotPrincipal is not evaluated locally';
  if (statement.Principal === undefined || principal === undefined) return principal === undefined;
  if (typeof statement.Principal === 'string') return statement.Principal === '*';
  const services = listOf(statement.Principal.Service);
  const aws = listOf(statement.Principal.AWS);
  if ('service' in principal) return services.includes(principal.service);
  // A role is named by its ARN, or covered by its account's root or id.
  return aws.some((entry) => entry === '*' || entry === principal.role || entry === principal.account || entry === `arn:aws:iam::${principal.account}:root`);
};

type Compare = (actual: string, expected: string) => boolean;
const OPERATORS: Record<string, { compare: Compare; negated: boolean }> = {
  stringequals: { compare: (a, e) => a === e, negated: false },
  stringnotequals: { compare: (a, e) => a === e, negated: true },
  stringequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { compare: (a, e) => wildcardMatch(e, a, false), negated: false },
  stringnotlike: { compare: (a, e) => wildcardMatch(e, a, false), negated: true },
  arnequals: { compare: (a, e) => wildcardMatch(e, a, false), negated: false },
  arnlike: { compare: (a, e) => wildcardMatch(e, a, false), negated: false },
  arnnotequals: { compare: (a, e) => wildcardMatch(e, a, false), negated: true },
  arnnotlike: { compare: (a, e) => wildcardMatch(e, a, false), negated: true },
  bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

/** true, false, or why the local stack cannot evaluate it. */
const conditionHolds = (condition: Statement['Condition'], context: RequestContext): boolean | string => {
  for (const [operatorName, keys] of Object.entries(condition ?? {})) {
    const lowered = operatorName.toLowerCase();
    if (lowered.startsWith('foranyvalue:') || lowered.startsWith('forallvalues:')) return `${operatorName} is not evaluated locally`;
    const ifExists = lowered.endsWith('ifexists');
    const name = ifExists ? lowered.slice(0, -'ifexists'.length) : lowered;
    for (const [rawKey, expectedValue] of Object.entries(keys)) {
      const key = rawKey.toLowerCase();
      if (!KNOWN_CONTEXT_KEYS.has(key)) return `condition key ${rawKey} is not known locally`;
      const actual = context[key];
      const expected = listOf(expectedValue);
      if (name === 'null') {
        if (expected.some((value) => (value.toLowerCase() === 'true') !== (actual === undefined))) return false;
        continue;
      }
      const operator = OPERATORS[name];
      if (!operator) return `condition operator ${operatorName} is not evaluated locally`;
      if (actual === undefined) {
        // A missing key: IfExists holds; a negated operator holds; any other does not.
        if (ifExists || operator.negated) continue;
        return false;
      }
      const any = expected.some((value) => operator.compare(actual, value));
      if (operator.negated ? any : !any) return false;
    }
  }
  return true;
};

/**
 * The decision IAM's logic reaches for one action on one resource over these statements: an
 * explicit Deny wins, then any Allow, else the implicit deny. With `principal`, the statements are a
 * resource policy and must name it.
 */
export const evaluate = (statements: SourcedStatement[], action: string, resource: string, context: RequestContext, principal?: Principal): Decision => {
  let allow: SourcedStatement | undefined;
  const unevaluated: Unevaluated[] = [];
  for (const sourced of statements) {
    const { statement } = sourced;
    if (!matchesAction(statement, action)) continue;
    const parts = [matchesResource(statement, resource), matchesPrincipal(statement, principal), conditionHolds(statement.Condition, context)];
    if (parts.includes(false)) continue;
    const why = parts.find((part): part is string => typeof part === 'string');
    if (statement.Effect === 'Deny') {
      // A Deny the local stack cannot rule out is taken to apply.
      return { effect: 'explicit-deny', by: sourced, unevaluated: why ? [{ statement: sourced, why }] : [] };
    }
    if (why) unevaluated.push({ statement: sourced, why });
    else allow ??= sourced;
  }
  return allow ? { effect: 'allow', by: allow } : { effect: 'implicit-deny', unevaluated };
};

/** A statement as a reader writes it in a template, for log lines. */
export const describeStatement = (statement: Statement): string => {
  const field = (name: string, value: unknown) => (value === undefined ? [] : [`${name}: ${Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value)}`]);
  return `{ ${[
    ...field('Sid', statement.Sid), `Effect: ${statement.Effect}`,
    ...field('Action', statement.Action), ...field('NotAction', statement.NotAction),
    ...field('Resource', statement.Resource), ...field('NotResource', statement.NotResource),
    ...field('Principal', statement.Principal), ...field('Condition', statement.Condition),
  ].join(', ')} }`;
};
