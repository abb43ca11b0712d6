import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ScopeHttpEndpoints = require('../../scripts/serverless/scope-http-endpoints.cjs') as (new (serverless: unknown) => { scope(): void }) & {
  httpCalls(states: Record<string, unknown>): [string, string, string][];
};

const http = (parameters: Record<string, unknown>) => ({ Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, End: true });

const definition = {
  StartAt: 'Create',
  States: {
    Create: http({ ApiEndpoint: 'https://billing.example/v1/customers', Method: 'POST' }),
    Undo: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'Find', States: { Find: http({ ApiEndpoint: 'https://billing.example/v1/customers/search', Method: 'GET' }) } }],
    },
    Each: {
      Type: 'Map',
      ItemProcessor: { StartAt: 'Delete', States: { Delete: http({ 'ApiEndpoint.$': "States.Format('https://billing.example/v1/customers/{}', $.id)", Method: 'DELETE' }) } },
    },
  },
};

const compiled = (states: unknown) => {
  const role = { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyDocument: { Statement: [
    { Effect: 'Allow', Action: ['states:InvokeHTTPEndpoint'], Resource: '*' },
    { Effect: 'Allow', Action: ['events:RetrieveConnectionCredentials'], Resource: 'arn:connection' },
  ] } }] } };
  const machine = { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'm', RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, DefinitionString: { 'Fn::Sub': [JSON.stringify(states), {}] } } };
  return { Role: role, Machine: machine };
};

const run = (resources: Record<string, unknown>) => new ScopeHttpEndpoints({
  service: { provider: { compiledCloudFormationTemplate: { Resources: resources } } },
  classes: { Error },
}).scope();

describe('scoping an HTTP Task\'s states:InvokeHTTPEndpoint', () => {
  it('finds every HTTP Task, in branches and item processors, a States.Format URL with * for each {}', () => {
    expect(ScopeHttpEndpoints.httpCalls(definition.States)).toEqual([
      ['Create', 'https://billing.example/v1/customers', 'POST'],
      ['Find', 'https://billing.example/v1/customers/search', 'GET'],
      ['Delete', 'https://billing.example/v1/customers/*', 'DELETE'],
    ]);
  });

  it('replaces the unconditioned grant with one per method, scoped to its endpoints, and leaves the rest', () => {
    const resources = compiled(definition);

    run(resources);

    expect(resources.Role.Properties.Policies[0]?.PolicyDocument.Statement).toEqual([
      ...['POST', 'GET', 'DELETE'].map((method) => ({
        Effect: 'Allow', Action: ['states:InvokeHTTPEndpoint'], Resource: ['*'],
        Condition: { StringEquals: { 'states:HTTPMethod': method }, StringLike: { 'states:HTTPEndpoint': [{ POST: 'https://billing.example/v1/customers', GET: 'https://billing.example/v1/customers/search', DELETE: 'https://billing.example/v1/customers/*' }[method]] } },
      })),
      { Effect: 'Allow', Action: ['events:RetrieveConnectionCredentials'], Resource: 'arn:connection' },
    ]);
  });

  it('stops packaging at an endpoint it cannot narrow, naming the state', () => {
    const resources = compiled({ StartAt: 'Anywhere', States: { Anywhere: http({ 'ApiEndpoint.$': '$.url', Method: 'GET' }) } });

    expect(() => run(resources)).toThrow(/Anywhere/);
  });
});
