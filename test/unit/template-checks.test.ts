import { checkCycles, checkIamActions, checkLimits, checkNamedDependencies, checkReferences, checkSchemas, checkUnusedRoles, type CfnTemplate } from '../../scripts/template-checks/checks.js';
import { loadServiceSpec } from '../../scripts/template-checks/spec.js';

const spec = loadServiceSpec();

const table = (properties: Record<string, unknown>): CfnTemplate => ({
  Resources: { OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: properties } },
});
const KEYED = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' };

describe('template checks', () => {
  describe('resource schemas', () => {
    it('passes a well-formed resource, intrinsic functions included', () => {
      expect(checkSchemas(table({ ...KEYED, TableName: { 'Fn::Sub': '${AWS::StackName}-orders' } }), spec)).toEqual([]);
    });

    it('names a misspelt property, with where it is', () => {
      expect(checkSchemas(table({ ...KEYED, BilingMode: 'PAY_PER_REQUEST' }), spec)).toEqual([
        'Resources.OrdersTable.Properties.BilingMode: AWS::DynamoDB::Table has no property BilingMode',
      ]);
    });

    it('names a misspelt property inside a nested type', () => {
      const problems = checkSchemas(table({ ...KEYED, KeySchema: [{ AttributeName: 'id', KeyTyp: 'HASH' }] }), spec);

      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^Resources\.OrdersTable\.Properties\.KeySchema.*KeyTyp/)]));
    });

    it('names a missing required property and a value of the wrong type', () => {
      const problems = checkSchemas({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } }, Bus: { Type: 'AWS::Events::EventBus', Properties: {} } } }, spec);

      expect(problems).toEqual([
        'Resources.Queue.Properties.VisibilityTimeout: expected a number, got "soon"',
        'Resources.Bus.Properties: AWS::Events::EventBus requires Name',
      ]);
    });

    it('names an unknown resource type', () => {
      expect(checkSchemas({ Resources: { Thing: { Type: 'AWS::DynamoDB::Tabel' } } }, spec)).toEqual(['Resources.Thing: unknown resource type AWS::DynamoDB::Tabel']);
    });
  });

  describe('references', () => {
    const withQueue = (properties: Record<string, unknown>, extra: Partial<CfnTemplate> = {}): CfnTemplate => ({
      ...extra,
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} }, Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: properties } },
    });

    it('accepts references to resources, attributes they have, pseudo parameters and conditions', () => {
      const template = withQueue({ AlarmDescription: { 'Fn::Sub': '${Queue.QueueName} in ${AWS::Region}' }, AlarmActions: [{ 'Fn::If': ['OnAws', { 'Fn::GetAtt': ['Queue', 'Arn'] }, { Ref: 'AWS::NoValue' }] }] }, { Conditions: { OnAws: { 'Fn::Equals': ['a', 'a'] } } });

      expect(checkReferences(template, spec)).toEqual([]);
    });

    it('names a Ref, a Fn::GetAtt attribute, a Fn::Sub variable, a DependsOn and a condition that do not exist', () => {
      const template = withQueue({ AlarmActions: [{ Ref: 'Topic' }, { 'Fn::GetAtt': ['Queue', 'StreamArn'] }, { 'Fn::Sub': '${Missing}' }, { 'Fn::If': ['Nowhere', 'a', 'b'] }] });
      template.Resources.Alarm!.DependsOn = ['Gone'];

      expect(checkReferences(template, spec)).toEqual([
        'Resources.Alarm.DependsOn: no resource Gone',
        'Resources.Alarm.Properties.AlarmActions[0]: Ref names Topic, which is no resource or parameter',
        'Resources.Alarm.Properties.AlarmActions[1]: Queue (AWS::SQS::Queue) has no attribute StreamArn',
        'Resources.Alarm.Properties.AlarmActions[2]: Fn::Sub names Missing, which is no resource or parameter',
        'Resources.Alarm.Properties.AlarmActions[3]: no condition Nowhere',
      ]);
    });
  });

  it('finds a dependency cycle, through Ref and DependsOn alike', () => {
    const template: CfnTemplate = {
      Resources: {
        A: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'B' } } },
        B: { Type: 'AWS::SQS::Queue', DependsOn: 'A' },
        C: { Type: 'AWS::SQS::Queue', DependsOn: 'A' },
      },
    };

    expect(checkCycles(template)).toEqual(['dependency cycle: A -> B -> A']);
  });

  it('names a resource name over its service\'s limit and a Lambda environment over 4 KB', () => {
    const template: CfnTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'f'.repeat(65), Environment: { Variables: { BIG: 'x'.repeat(4100) } } } },
      },
    };

    expect(checkLimits(template, JSON.stringify(template), String)).toEqual([
      `Resources.Fn.Properties.FunctionName: "${'f'.repeat(65)}" is 65 characters, over AWS::Lambda::Function's 64`,
      'Resources.Fn.Properties.Environment: 4103 bytes, over Lambda\'s 4096',
    ]);
  });

  it('names an IAM action that does not exist, and accepts wildcards that match some action', () => {
    const template: CfnTemplate = {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Get*', 'dynamodb:GetItems', 'dynamo:Scan'], Resource: '*' }] } }] },
        },
      },
    };
    const iam = { serviceExists: (service: string) => service === 'dynamodb', actions: () => ['GetItem', 'PutItem', 'Scan'], wildcardOnly: () => false };

    expect(checkIamActions(template, iam)).toEqual([
      'Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action: dynamodb:GetItems is no action of dynamodb',
      'Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action: no IAM service dynamo',
    ]);
  });

  it('names a wildcard-only action granted on a resource, which AWS would deny, and accepts it on "*"', () => {
    const grant = (resource: unknown): CfnTemplate => ({
      Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: resource }] } }] } } },
    });
    const iam = { serviceExists: () => true, actions: () => ['SendTaskSuccess', 'StartExecution'], wildcardOnly: (_: string, action: string) => action === 'SendTaskSuccess' };

    expect(checkIamActions(grant(['arn:aws:states:us-east-1:1:stateMachine:m']), iam)).toEqual([
      'Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action: states:SendTaskSuccess has no resource types, so AWS allows it only with Resource "*"; scoped, it is denied',
    ]);
    expect(checkIamActions(grant('*'), iam)).toEqual([]);
  });

  it('names a rule that names its bus as text without depending on it', () => {
    const template: CfnTemplate = {
      Resources: {
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-orders' } },
        Rule: { Type: 'AWS::Events::Rule', Properties: { EventBusName: 'shop-orders', EventPattern: {} } },
        Rule2: { Type: 'AWS::Events::Rule', DependsOn: ['Bus'], Properties: { EventBusName: 'shop-orders', EventPattern: {} } },
        Rule3: { Type: 'AWS::Events::Rule', Properties: { EventBusName: { Ref: 'Bus' }, EventPattern: {} } },
      },
    };

    expect(checkNamedDependencies(template, String)).toEqual([
      'Resources.Rule.Properties.EventBusName: names Bus as text ("shop-orders") without depending on it; add DependsOn: Bus',
    ]);
  });
  describe('IAM roles in use', () => {
    const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };

    it('names a role nothing refers to, however it is depended on', () => {
      const template: CfnTemplate = {
        Resources: {
          IamRoleLambdaExecution: role,
          OwnRole: role,
          Fn: { Type: 'AWS::Lambda::Function', DependsOn: ['IamRoleLambdaExecution'], Properties: { Role: { 'Fn::GetAtt': ['OwnRole', 'Arn'] } } },
        },
      };

      expect(checkUnusedRoles(template)).toEqual(['Resources.IamRoleLambdaExecution: an IAM role nothing in the template uses; remove it']);
    });

    it('passes roles that a resource or an output refers to', () => {
      const template: CfnTemplate = {
        Resources: { MachineRole: role, ExportedRole: role, Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: { 'Fn::GetAtt': ['MachineRole', 'Arn'] } } } },
        Outputs: { Exported: { Value: { Ref: 'ExportedRole' } } },
      };

      expect(checkUnusedRoles(template)).toEqual([]);
    });
  });
});
