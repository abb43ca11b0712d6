import { LOCAL_ACCOUNT, referencedLogicalIds, TemplateResolver, type Template } from '../src/template.js';

const REGION = 'eu-central-1';
const STACK = 'orders-local';

/** A small compiled template in the shape `serverless package` writes. */
const template: Template = {
  Resources: {
    OrdersTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders-local-orders', BillingMode: 'PAY_PER_REQUEST' } },
    PaymentsTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-payments' } } },
    UnnamedTable: { Type: 'AWS::DynamoDB::Table' },
    CustomerNotificationsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'orders-local-customer-notifications' } },
    OrderIntakeStateMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'orders-local-checkout',
        DefinitionString: {
          'Fn::Sub': [
            '{"StartAt":"ValidateCart","States":{"ValidateCart":{"Type":"Task","Resource":"${ValidateCartArn}","Parameters":{"TableName":"${OrdersTable}"},"End":true}}}',
            { ValidateCartArn: { 'Fn::GetAtt': ['ValidateCartLambdaFunction', 'Arn'] } },
          ],
        },
      },
    },
    ValidateCartLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'orders-local-validateOrder',
        Timeout: 6,
        Environment: {
          Variables: {
            ORDERS_TABLE: { Ref: 'OrdersTable' },
            PAYMENTS_TABLE_ARN: { 'Fn::GetAtt': 'PaymentsTable.Arn' },
            TOPIC_ARN: { Ref: 'CustomerNotificationsTopic' },
            INTAKE_ARN: {
              'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:orders-local-checkout',
            },
          },
        },
      },
    },
    WorkQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders-local-work' } },
  },
};

const resolver = () => new TemplateResolver(template, REGION, STACK);

describe('TemplateResolver', () => {
  describe('DynamoDB tables', () => {
    it('resolves Ref to the table name', () => {
      // Act
      const name = resolver().resolve({ Ref: 'OrdersTable' });

      // Assess
      expect(name).toBe('orders-local-orders');
    });

    it('resolves a table name that is itself an Fn::Sub of the stack name', () => {
      // Act
      const name = resolver().resolve({ Ref: 'PaymentsTable' });

      // Assess
      expect(name).toBe('orders-local-payments');
    });

    it('derives a name from stack and logical id for a table without TableName', () => {
      // Act
      const name = resolver().physicalName('UnnamedTable');

      // Assess
      expect(name).toBe('orders-local-UnnamedTable');
    });

    it('resolves Fn::GetAtt Arn in both the list and the dotted form', () => {
      // Act
      const listForm = resolver().resolve({ 'Fn::GetAtt': ['OrdersTable', 'Arn'] });
      const dottedForm = resolver().resolve({ 'Fn::GetAtt': 'OrdersTable.Arn' });

      // Assess
      expect(listForm).toBe(`arn:aws:dynamodb:eu-central-1:${LOCAL_ACCOUNT}:table/orders-local-orders`);
      expect(dottedForm).toBe(listForm);
    });

    it('refuses an attribute it cannot resolve', () => {
      // Act
      const act = () => resolver().resolve({ 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] });

      // Assess
      expect(act).toThrow('cannot resolve Fn::GetAtt OrdersTable.StreamArn (AWS::DynamoDB::Table)');
    });
  });

  describe('SNS topics', () => {
    it('resolves Ref to the topic ARN, as CloudFormation does', () => {
      // Act
      const arn = resolver().resolve({ Ref: 'CustomerNotificationsTopic' });

      // Assess
      expect(arn).toBe('arn:aws:sns:eu-central-1:000000000000:orders-local-customer-notifications');
    });

    it('resolves Fn::GetAtt TopicArn and TopicName', () => {
      // Act
      const arn = resolver().resolve({ 'Fn::GetAtt': ['CustomerNotificationsTopic', 'TopicArn'] });
      const name = resolver().resolve({ 'Fn::GetAtt': ['CustomerNotificationsTopic', 'TopicName'] });

      // Assess
      expect(arn).toBe('arn:aws:sns:eu-central-1:000000000000:orders-local-customer-notifications');
      expect(name).toBe('orders-local-customer-notifications');
    });
  });

  describe('state machines', () => {
    it('resolves Ref to the state machine ARN and Fn::GetAtt Name to its name', () => {
      // Act
      const arn = resolver().resolve({ Ref: 'OrderIntakeStateMachine' });
      const name = resolver().resolve({ 'Fn::GetAtt': ['OrderIntakeStateMachine', 'Name'] });

      // Assess
      expect(arn).toBe('arn:aws:states:eu-central-1:000000000000:stateMachine:orders-local-checkout');
      expect(name).toBe('orders-local-checkout');
    });

    it('resolves a definition given as Fn::Sub [string, map], with map variables and logical ids', () => {
      // Act
      const { DefinitionString } = resolver().properties('OrderIntakeStateMachine');

      // Assess
      expect(JSON.parse(String(DefinitionString))).toEqual({
        StartAt: 'ValidateCart',
        States: {
          ValidateCart: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:eu-central-1:000000000000:function:orders-local-validateOrder',
            Parameters: { TableName: 'orders-local-orders' },
            End: true,
          },
        },
      });
    });
  });

  describe('Lambda functions', () => {
    it('resolves Ref to the function name and Fn::GetAtt Arn to its ARN', () => {
      // Act
      const name = resolver().resolve({ Ref: 'ValidateCartLambdaFunction' });
      const arn = resolver().resolve({ 'Fn::GetAtt': ['ValidateCartLambdaFunction', 'Arn'] });

      // Assess
      expect(name).toBe('orders-local-validateOrder');
      expect(arn).toBe('arn:aws:lambda:eu-central-1:000000000000:function:orders-local-validateOrder');
    });

    it('resolves every intrinsic in the properties and leaves plain values alone', () => {
      // Act
      const properties = resolver().properties('ValidateCartLambdaFunction');

      // Assess
      expect(properties).toEqual({
        FunctionName: 'orders-local-validateOrder',
        Timeout: 6,
        Environment: {
          Variables: {
            ORDERS_TABLE: 'orders-local-orders',
            PAYMENTS_TABLE_ARN: 'arn:aws:dynamodb:eu-central-1:000000000000:table/orders-local-payments',
            TOPIC_ARN: 'arn:aws:sns:eu-central-1:000000000000:orders-local-customer-notifications',
            INTAKE_ARN: 'arn:aws:states:eu-central-1:000000000000:stateMachine:orders-local-checkout',
          },
        },
      });
    });
  });

  describe('Fn::Sub', () => {
    it('substitutes every pseudo parameter', () => {
      // Act
      const text = resolver().resolve({ 'Fn::Sub': '${AWS::Partition}|${AWS::Region}|${AWS::AccountId}|${AWS::StackName}|${AWS::URLSuffix}' });

      // Assess
      expect(text).toBe('aws|eu-central-1|000000000000|orders-local|amazonaws.com');
    });

    it('substitutes ${LogicalId} as its Ref and ${LogicalId.Attribute} as its Fn::GetAtt', () => {
      // Act
      const text = resolver().resolve({ 'Fn::Sub': '${OrdersTable} ${OrdersTable.Arn} ${CustomerNotificationsTopic}' });

      // Assess
      expect(text).toBe(
        'orders-local-orders arn:aws:dynamodb:eu-central-1:000000000000:table/orders-local-orders arn:aws:sns:eu-central-1:000000000000:orders-local-customer-notifications',
      );
    });

    it('lets a map variable win over a logical id of the same name, and resolves intrinsics inside the map', () => {
      // Act
      const text = resolver().resolve({
        'Fn::Sub': ['${OrdersTable}/${Topic}/${Plain}', { OrdersTable: 'shadowed', Topic: { Ref: 'CustomerNotificationsTopic' }, Plain: 7 }],
      });

      // Assess
      expect(text).toBe('shadowed/arn:aws:sns:eu-central-1:000000000000:orders-local-customer-notifications/7');
    });

    it('refuses a reference to a resource the template does not have', () => {
      // Act
      const act = () => resolver().resolve({ 'Fn::Sub': '${MissingTable}' });

      // Assess
      expect(act).toThrow('template has no resource MissingTable');
    });

    it('writes ${!Literal} as the literal ${Literal}, as CloudFormation does', () => {
      // Act
      const text = resolver().resolve({ 'Fn::Sub': 'keep ${!Literal} and ${AWS::Region}' });

      // Assess
      expect(text).toBe('keep ${Literal} and eu-central-1');
    });
  });

  describe('Fn::Join, Fn::Select and Fn::Split', () => {
    it('joins resolved parts with the separator', () => {
      // Act
      const arn = resolver().resolve({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':table/', { Ref: 'OrdersTable' }]],
      });
      const path = resolver().resolve({ 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['OrdersTable', 'Arn'] }, 'index', 'byStatus']] });

      // Assess
      expect(arn).toBe('arn:aws:dynamodb:eu-central-1:000000000000:table/orders-local-orders');
      expect(path).toBe('arn:aws:dynamodb:eu-central-1:000000000000:table/orders-local-orders/index/byStatus');
    });

    it('selects from a split', () => {
      // Act
      const last = resolver().resolve({ 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'CustomerNotificationsTopic' }] }] });

      // Assess
      expect(last).toBe('orders-local-customer-notifications');
    });
  });

  describe('other resources and lookups', () => {
    it('resolves an SQS queue Ref to its local URL and Fn::GetAtt QueueUrl to the same', () => {
      // Act
      const url = resolver().resolve({ Ref: 'WorkQueue' });
      const attribute = resolver().resolve({ 'Fn::GetAtt': ['WorkQueue', 'QueueUrl'] });

      // Assess
      expect(url).toBe('http://sqs.eu-central-1.localhost/000000000000/orders-local-work');
      expect(attribute).toBe(url);
    });

    it('names a rule on a bus of its own under the bus, as EventBridge does, and a default-bus rule directly', () => {
      // Prepare
      const rules = new TemplateResolver({
        Resources: {
          OrdersBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } },
          RestockedRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'restocked', EventBusName: { 'Fn::GetAtt': ['OrdersBus', 'Name'] } } },
          NightlyRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'nightly', ScheduleExpression: 'rate(1 day)' } },
        },
      }, REGION, STACK);

      // Act
      const arns = ['RestockedRule', 'NightlyRule'].map((id) => rules.resolve({ 'Fn::GetAtt': [id, 'Arn'] }));

      // Assess
      expect(arns).toEqual([`arn:aws:events:${REGION}:${LOCAL_ACCOUNT}:rule/orders/restocked`, `arn:aws:events:${REGION}:${LOCAL_ACCOUNT}:rule/nightly`]);
    });

    it('lists the logical ids of one resource type', () => {
      // Act
      const tables = resolver().logicalIdsOfType('AWS::DynamoDB::Table');

      // Assess
      expect(tables).toEqual(['OrdersTable', 'PaymentsTable', 'UnnamedTable']);
    });

    it('refuses a Ref to a resource the template does not have', () => {
      // Act
      const act = () => resolver().resolve({ Ref: 'Nope' });

      // Assess
      expect(act).toThrow('template has no resource Nope');
    });

    it('leaves values without intrinsics unchanged, including single-key objects and arrays', () => {
      // Prepare
      const value = { Name: 'x', Tags: [{ Key: 'stage', Value: 'local' }], Count: 3, Enabled: false, Nothing: null, Single: { Key: 'v' } };

      // Act
      const resolved = resolver().resolve(value);

      // Assess
      expect(resolved).toEqual(value);
    });
  });
});

describe('referencedLogicalIds', () => {
  it('finds every Ref inside intrinsic functions, in order', () => {
    const target = { 'Fn::Join': ['/', ['integrations', { Ref: 'HttpApiIntegrationPlaceOrder' }, { 'Fn::Sub': ['${x}', { x: { Ref: 'Other' } }] }]] };

    expect(referencedLogicalIds(target)).toEqual(['HttpApiIntegrationPlaceOrder', 'Other']);
    expect(referencedLogicalIds('integrations/plain')).toEqual([]);
  });
});

describe('conditions', () => {
  const conditional = (issuer: string): TemplateResolver => new TemplateResolver({
    Conditions: {
      CreateUserPool: { 'Fn::Equals': [issuer, ''] },
      UseExternalIssuer: { 'Fn::Not': [{ Condition: 'CreateUserPool' }] },
      Both: { 'Fn::And': [{ Condition: 'CreateUserPool' }, { Condition: 'UseExternalIssuer' }] },
      Either: { 'Fn::Or': [{ Condition: 'CreateUserPool' }, { Condition: 'UseExternalIssuer' }] },
    },
    Resources: {
      Pool: { Type: 'AWS::Cognito::UserPool', Condition: 'CreateUserPool', Properties: { UserPoolName: 'customers' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 't' } },
    },
  }, REGION, STACK);
  const issuerOf = { 'Fn::If': ['CreateUserPool', { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/pool' }, 'https://issuer.example'] };

  it('takes the true branch of Fn::If, and keeps resources whose condition holds', () => {
    // Act
    const resolver = conditional('');

    // Assess
    expect(resolver.resolve(issuerOf)).toBe(`https://cognito-idp.${REGION}.amazonaws.com/pool`);
    expect(resolver.logicalIdsOfType('AWS::Cognito::UserPool')).toEqual(['Pool']);
  });

  it('takes the false branch, and leaves out resources whose condition does not hold', () => {
    // Act
    const resolver = conditional('https://issuer.example');

    // Assess
    expect(resolver.resolve(issuerOf)).toBe('https://issuer.example');
    expect(resolver.logicalIdsOfType('AWS::Cognito::UserPool')).toEqual([]);
    expect(resolver.logicalIdsOfType('AWS::DynamoDB::Table')).toEqual(['Table']);
  });

  it('evaluates Fn::Not, Fn::And, Fn::Or and Condition references', () => {
    // Act
    const resolver = conditional('https://issuer.example');

    // Assess
    expect([resolver.condition('UseExternalIssuer'), resolver.condition('Both'), resolver.condition('Either')]).toEqual([true, false, true]);
  });

  it('refuses a condition the template does not define', () => {
    expect(() => conditional('').condition('Nope')).toThrow('template has no condition Nope');
  });
});

describe('an EventBridge connection', () => {
  const withConnection: Template = {
    Resources: {
      BillingConnection: { Type: 'AWS::Events::Connection', Properties: { Name: 'shop-local-billing', AuthorizationType: 'API_KEY' } },
      Caller: { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: { ConnectionArn: { 'Fn::GetAtt': ['BillingConnection', 'Arn'] } } } },
    },
  };

  it('is named by its Name and resolves to the ARN EventBridge gave it once created', () => {
    const resolver = new TemplateResolver(withConnection, REGION, STACK);
    expect(resolver.physicalName('BillingConnection')).toBe('shop-local-billing');
    expect(() => resolver.properties('Caller')).toThrow(/known once the connection is created/);

    const arn = `arn:aws:events:${REGION}:${LOCAL_ACCOUNT}:connection/shop-local-billing/7c0b7a4e-1111-4d2b-9f00-000000000001`;
    resolver.recordArn('BillingConnection', arn);

    expect(resolver.properties('Caller')).toEqual({ Definition: { ConnectionArn: arn } });
  });
});
