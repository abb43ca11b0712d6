import { readFileSync } from 'node:fs';

/**
 * What `serverless package` produces (global-setup packaged it when inputs changed): the deployable
 * template must hold the two machines, the rule that starts fulfilment, and least-privilege IAM.
 */
interface Resource { Type: string; Properties: Record<string, unknown> }
const template = JSON.parse(readFileSync(new URL('../../.serverless/cloudformation-template-update-stack.json', import.meta.url), 'utf8')) as {
  Resources: Record<string, Resource>;
};
const resourcesOfType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

interface Statement { Effect: string; Action: string | string[]; Resource: unknown }
const statements = (): { role: string; statement: Statement }[] =>
  resourcesOfType('AWS::IAM::Role').flatMap(([role, resource]) =>
    ((resource.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[])
      .flatMap((policy) => policy.PolicyDocument.Statement.map((statement) => ({ role, statement }))));

const DATA_ACCESS = /^(dynamodb|sns|sqs|events|states|lambda|s3|textract):/;

describe('compiled template', () => {
  it('deploys order-intake as EXPRESS and order-fulfilment as STANDARD', () => {
    const machines = Object.fromEntries(resourcesOfType('AWS::StepFunctions::StateMachine').map(([id, resource]) => [id, resource.Properties.StateMachineType ?? 'STANDARD']));

    expect(machines).toEqual({ OrderIntakeStateMachine: 'EXPRESS', OrderFulfilmentStateMachine: 'STANDARD' });
  });

  it('has an EventBridge rule on OrderPlaced that starts the STANDARD machine', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, resource]) => resource.Properties).filter((rule) => rule.EventPattern);

    expect(rules).toHaveLength(1);
    expect(rules[0]?.EventPattern).toEqual({ source: ['com.example.orders'], 'detail-type': ['OrderPlaced'] });
    expect(rules[0]?.Targets).toEqual([expect.objectContaining({ Arn: { Ref: 'OrderFulfilmentStateMachine' } })]);
  });

  it('grants no data access on "*"', () => {
    const wildcard = statements().filter(({ statement }) => {
      const actions = [statement.Action].flat();
      const resources = [statement.Resource].flat();
      return actions.some((action) => DATA_ACCESS.test(action) || action === '*') && resources.includes('*');
    });

    expect(wildcard).toEqual([]);
  });

  it('gives every function a role of its own, and the read-only API functions no write access', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');
    const roleOf = (logicalId: string) => (template.Resources[logicalId]?.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actionsOf = (role: string) => statements().filter((entry) => entry.role === role).flatMap(({ statement }) => [statement.Action].flat());

    expect(new Set(functions.map(([id]) => roleOf(id))).size).toBe(functions.length);
    for (const readOnly of ['ListProductsLambdaFunction', 'GetOrderLambdaFunction', 'ValidateOrderLambdaFunction']) {
      expect(actionsOf(roleOf(readOnly)).filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
    }
  });

  it('alarms operations on failed fulfilments and on refunds still owed', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').map(([, resource]) => resource.Properties);

    expect(alarms.map((alarm) => [alarm.MetricName, alarm.Dimensions, alarm.AlarmActions])).toEqual(expect.arrayContaining([
      ['ExecutionsFailed', [{ Name: 'StateMachineArn', Value: { Ref: 'OrderFulfilmentStateMachine' } }], [{ Ref: 'OperationsAlertsTopic' }]],
      ['Errors', [{ Name: 'FunctionName', Value: { Ref: 'ReconcileRefundsLambdaFunction' } }], [{ Ref: 'OperationsAlertsTopic' }]],
    ]));
  });

  it('ships one bundle per function on nodejs24.x', () => {
    const functions = resourcesOfType('AWS::Lambda::Function').map(([, resource]) => resource.Properties);

    expect(functions.length).toBeGreaterThanOrEqual(9);
    for (const fn of functions) {
      expect(fn.Runtime).toBe('nodejs24.x');
      expect((fn.Code as { S3Key: string }).S3Key).toMatch(/\/[a-zA-Z]+\.zip$/);
    }
  });
});
