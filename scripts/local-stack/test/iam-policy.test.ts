import { describeStatement, evaluate, wildcardMatch, type SourcedStatement, type Statement } from '../src/iam/policy.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/payments';
const sourced = (...statements: Statement[]): SourcedStatement[] => statements.map((statement, index) => ({ statement, source: `statement ${index + 1}` }));
const context = { 'aws:principalarn': 'arn:aws:iam::000000000000:role/charge', 'aws:securetransport': 'true' };

describe('IAM policy evaluation', () => {
  it('allows an action a statement allows on the resource, and nothing else', () => {
    const policy = sourced({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE });

    expect(evaluate(policy, 'dynamodb:GetItem', TABLE, context).effect).toBe('allow');
    expect(evaluate(policy, 'dynamodb:DeleteItem', TABLE, context).effect).toBe('implicit-deny');
    expect(evaluate(policy, 'dynamodb:GetItem', `${TABLE}-archive`, context).effect).toBe('implicit-deny');
  });

  it('matches actions without regard to case and with wildcards, resources by case-sensitive globs', () => {
    const policy = sourced({ Effect: 'Allow', Action: 'DynamoDB:Get*', Resource: 'arn:aws:dynamodb:*:*:table/pay?ents*' });

    expect(evaluate(policy, 'dynamodb:GetItem', TABLE, context).effect).toBe('allow');
    expect(evaluate(policy, 'dynamodb:GetItem', `${TABLE}/index/by-order`, context).effect).toBe('allow');
    expect(evaluate(policy, 'dynamodb:GetItem', TABLE.replace('payments', 'Payments'), context).effect).toBe('implicit-deny');
    expect(wildcardMatch('a.b', 'axb', false)).toBe(false);
  });

  it('lets an explicit Deny win over any Allow, wherever it stands', () => {
    const policy = sourced({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE });

    const decision = evaluate(policy, 'dynamodb:DeleteItem', TABLE, context);

    expect(decision).toMatchObject({ effect: 'explicit-deny', by: { source: 'statement 2' } });
    expect(evaluate(policy, 'dynamodb:PutItem', TABLE, context).effect).toBe('allow');
  });

  it('reads NotAction and NotResource as everything but', () => {
    const policy = sourced({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: 'arn:aws:dynamodb:*:*:table/audit' });

    expect(evaluate(policy, 'dynamodb:PutItem', TABLE, context).effect).toBe('allow');
    expect(evaluate(policy, 'dynamodb:DeleteItem', TABLE, context).effect).toBe('implicit-deny');
    expect(evaluate(policy, 'dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/audit', context).effect).toBe('implicit-deny');
  });

  it('evaluates conditions on the keys it knows, IfExists and Null included', () => {
    const secure = sourced({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
    const fromRule = sourced({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:events:*:*:rule/orders/*' } } });
    const noSource = sourced({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'aws:SourceArn': 'true' } } });

    expect(evaluate(secure, 'sqs:SendMessage', '*', context).effect).toBe('allow');
    expect(evaluate(fromRule, 'sqs:SendMessage', '*', context).effect).toBe('allow');
    expect(evaluate(fromRule, 'sqs:SendMessage', '*', { 'aws:sourcearn': 'arn:aws:events:us-east-1:000000000000:rule/other' }).effect).toBe('implicit-deny');
    expect(evaluate(noSource, 'sqs:SendMessage', '*', context).effect).toBe('allow');
    expect(evaluate(noSource, 'sqs:SendMessage', '*', { 'aws:sourcearn': 'x' }).effect).toBe('implicit-deny');
  });

  it('never lets an Allow through on a condition it cannot evaluate, and takes such a Deny to apply', () => {
    const allow = sourced({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['u-1'] } } });
    const deny = sourced({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } });

    const refused = evaluate(allow, 'dynamodb:GetItem', TABLE, context);
    const denied = evaluate(deny, 'dynamodb:GetItem', TABLE, context);

    expect(refused).toMatchObject({ effect: 'implicit-deny', unevaluated: [{ why: 'ForAllValues:StringEquals is not evaluated locally' }] });
    expect(denied).toMatchObject({ effect: 'explicit-deny', unevaluated: [{ why: 'condition key aws:PrincipalTag/team is not known locally' }] });
  });

  it('reads a resource policy for the principal it names, with the SourceArn it requires', () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:serve';
    const permission = sourced({
      Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn, Principal: { Service: 'events.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/orders/restocked' } },
    });
    const rule = (arn: string) => ({ 'aws:sourcearn': arn });

    expect(evaluate(permission, 'lambda:InvokeFunction', fn, rule('arn:aws:events:us-east-1:000000000000:rule/orders/restocked'), { service: 'events.amazonaws.com' }).effect).toBe('allow');
    expect(evaluate(permission, 'lambda:InvokeFunction', fn, rule('arn:aws:events:us-east-1:000000000000:rule/orders/other'), { service: 'events.amazonaws.com' }).effect).toBe('implicit-deny');
    expect(evaluate(permission, 'lambda:InvokeFunction', fn, rule('arn:aws:events:us-east-1:000000000000:rule/orders/restocked'), { service: 'sns.amazonaws.com' }).effect).toBe('implicit-deny');
  });

  it('writes a statement as a template would hold it', () => {
    expect(describeStatement({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE }))
      .toBe(`{ Effect: Allow, Action: [dynamodb:GetItem, dynamodb:PutItem], Resource: ${TABLE} }`);
  });
});
