import { describeCondition, describeResource, describeRetry, machineEdges, machineStates, renderMermaid, shortResourceName, type AslMachine } from '../src/asl-diagram.js';

/** A small machine with every feature the diagram draws: a Choice, a Parallel, a Map, Retry, Catch and terminal states. */
const lambdaRetry = { ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], MaxAttempts: 3 };
const machine: AslMachine = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 100, Next: 'Fan' },
        { And: [{ Variable: '$.kind', StringEquals: 'gift' }, { Variable: '$.note', IsPresent: true }], Next: 'Fan' },
        { Not: { Variable: '$.items', IsPresent: true }, Next: 'Nothing' },
      ],
      Default: 'Each',
    },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: { 'Fn::GetAtt': ['ChargeLambdaFunction', 'Arn'] } }, Retry: [{ ErrorEquals: ['GatewayDown'], MaxAttempts: 2 }, lambdaRetry], End: true } } },
        { StartAt: 'Reserve', States: { Reserve: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { TableName: '${self:custom.tables.stock}' }, Next: 'Reserved' }, Reserved: { Type: 'Pass', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['Declined'], Next: 'Nothing' }, { ErrorEquals: ['States.ALL'], Next: 'Oops' }],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ItemProcessor: { StartAt: 'Ship', States: { Ship: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: { Ref: 'ShippedTopic' } }, End: true } } },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }],
      Next: 'Done',
    },
    Nothing: { Type: 'Pass', Catch: [], Next: 'Done' },
    Oops: { Type: 'Fail', Error: 'Oops' },
    Done: { Type: 'Succeed' },
  },
};

describe('machineStates', () => {
  it('lists every state, branch and iterator states included, with the group that holds each', () => {
    // Act
    const states = machineStates(machine);

    // Assess
    expect(states.map(({ name, container, branch }) => [name, container, branch])).toEqual([
      ['Route', undefined, undefined], ['Fan', undefined, undefined], ['Charge', 'Fan', 0], ['Reserve', 'Fan', 1], ['Reserved', 'Fan', 1],
      ['Each', undefined, undefined], ['Ship', 'Each', undefined], ['Nothing', undefined, undefined], ['Oops', undefined, undefined], ['Done', undefined, undefined],
    ]);
  });
});

describe('machineEdges', () => {
  it('has one edge per source, target and kind: Choice rules to one target joined, Catch labelled with its errors', () => {
    // Act
    const edges = machineEdges(machine);

    // Assess
    expect(edges).toEqual(expect.arrayContaining([
      { from: 'Route', to: 'Fan', kind: 'choice', label: 'total > 100 or (kind = gift and note is present)' },
      { from: 'Route', to: 'Nothing', kind: 'choice', label: 'not items is present' },
      { from: 'Route', to: 'Each', kind: 'default', label: 'otherwise' },
      { from: 'Fan', to: 'Charge', kind: 'branch' },
      { from: 'Fan', to: 'Reserve', kind: 'branch' },
      { from: 'Reserve', to: 'Reserved', kind: 'next' },
      { from: 'Fan', to: 'Nothing', kind: 'catch', errors: ['Declined'], label: 'Declined' },
      { from: 'Fan', to: 'Oops', kind: 'catch', errors: ['States.ALL'], label: 'States.ALL' },
      { from: 'Each', to: 'Ship', kind: 'branch' },
      { from: 'Each', to: 'Done', kind: 'next' },
    ]));
    expect(edges.filter((edge) => edge.from === 'Route' && edge.to === 'Fan')).toHaveLength(1);
  });
});

describe('conditions, resources and retries in short', () => {
  it.each([
    [{ Variable: '$.status', StringEquals: 'APPROVED' }, 'status = APPROVED'],
    [{ Variable: '$.polls', NumericGreaterThanEquals: 5 }, 'polls ≥ 5'],
    [{ Variable: '$.a', StringEqualsPath: '$.b' }, 'a = b'],
    [{ Variable: '$.ok', BooleanEquals: false }, 'ok = false'],
    [{ Variable: '$.x', IsNull: false }, 'x is not null'],
    [{ Or: [{ Variable: '$.s', StringEquals: 'A' }, { Variable: '$.s', StringMatches: 'B*' }] }, 's = A or s matches B*'],
  ])('%j reads "%s"', (rule, expected) => {
    expect(describeCondition(rule)).toBe(expected);
  });

  it.each([
    ['${self:custom.tables.orders}', 'orders'],
    ['${self:stepFunctions.stateMachines.approval.name}', 'approval'],
    [{ 'Fn::GetAtt': ['ChargePaymentLambdaFunction', 'Arn'] }, 'ChargePayment'],
    [{ Ref: 'AlertsTopic' }, 'AlertsTopic'],
    [{ 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${self:stepFunctions.stateMachines.approval.name}' }, 'approval'],
    ['arn:aws:lambda:us-east-1:000000000000:function:svc-local-charge:$LATEST', 'svc-local-charge'],
    ['http://sqs.us-east-1.localhost/000000000000/svc-local-requests', 'svc-local-requests'],
  ])('names %j in short as %s', (value, expected) => {
    expect(shortResourceName(value)).toBe(expected);
  });

  it('describes a Task by its integration and the resource it names', () => {
    expect(describeResource(machine.States.Fan!.Branches![0]!.States.Charge!)).toBe('lambda:invoke · Charge');
    expect(describeResource({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: { Ref: 'Requests' } } })).toBe('sqs:sendMessage.waitForTaskToken · Requests');
    expect(describeResource({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:direct' })).toBe('lambda · direct');
  });

  it('notes each retrier: its errors (counted per service), then its attempts', () => {
    expect(describeRetry(machine.States.Fan!.Branches![0]!.States.Charge!)).toBe('GatewayDown ×2 · 2 Lambda errors ×3');
    expect(describeRetry({ Type: 'Task', Retry: [{ ErrorEquals: ['Busy', 'Lambda.ServiceException', 'Lambda.SdkClientException'] }] })).toBe('Busy + 2 Lambda errors ×3');
    expect(describeRetry({ Type: 'Task', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] })).toBe('any error ×5');
  });
});

describe('renderMermaid', () => {
  it('draws every state, groups a Parallel\'s branches and a Map\'s iterator, labels Choice and Catch edges, and notes Retry', () => {
    // Act
    const { mermaid, nodeIds } = renderMermaid(machine);

    // Assess
    expect(mermaid.startsWith('flowchart TD\n')).toBe(true);
    for (const { name } of machineStates(machine)) expect(mermaid).toContain(nodeIds[name]);
    expect(mermaid).toContain('subgraph s_Fan["Fan<br/><small>Parallel, 2 branches</small>"]');
    expect(mermaid).toMatch(/subgraph s_Fan_branch2\["branch 2"\]\n\s+s_Reserve\[/);
    expect(mermaid).toContain('subgraph s_Each["Each<br/><small>Map over items, 2 at a time</small>"]');
    expect(mermaid).toContain('s_Route -->|"total #gt; 100 or (kind = gift and note is present)"| s_Fan');
    expect(mermaid).toContain('s_Route -->|"otherwise"| s_Each');
    expect(mermaid).toContain('s_Fan -.->|"Declined"| s_Nothing');
    expect(mermaid).toContain('<small>↻ GatewayDown ×2 · 2 Lambda errors ×3</small>');
    expect(mermaid).toContain('s_Oops[["Oops"]]');
    expect(mermaid).toContain('s_Done(["Done"])');
  });

  it('gives states named like Mermaid keywords, or with odd characters, ids of their own', () => {
    // Prepare
    const odd: AslMachine = { StartAt: 'end', States: { end: { Type: 'Pass', Next: 'a b' }, 'a b': { Type: 'Pass', Next: 'a_b' }, a_b: { Type: 'Succeed' } } };

    // Act
    const { mermaid, nodeIds } = renderMermaid(odd);

    // Assess
    expect(nodeIds).toEqual({ end: 's_end', 'a b': 's_a_b', a_b: 's_a_b_2' });
    expect(mermaid).toContain('s_end --> s_a_b\n');
    expect(mermaid).toContain('s_a_b --> s_a_b_2\n');
  });

  it('collapses catch-all edges into one state from many states into one edge, and marks each source', () => {
    // Prepare: five Tasks in a row, each with a catch-all to Handle
    const states: AslMachine['States'] = {};
    for (let index = 1; index <= 5; index += 1) {
      states[`Step${index}`] = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], ...(index < 5 ? { Next: `Step${index + 1}` } : { End: true }) };
    }
    states.Handle = { Type: 'Fail' };
    const long: AslMachine = { StartAt: 'Step1', States: states };

    // Act
    const collapsed = renderMermaid(long);
    const full = renderMermaid(long, { collapseCatchAllFrom: 0 });

    // Assess
    expect(collapsed.mermaid).not.toMatch(/s_Step\d -\.->/);
    expect(collapsed.mermaid).toContain('⚠ else → Handle');
    expect(collapsed.mermaid).toMatch(/catchall_s_Handle -\.->\|"States.ALL"\| s_Handle/);
    expect(collapsed.collapsed).toEqual([{ target: 'Handle', sources: ['Step1', 'Step2', 'Step3', 'Step4', 'Step5'] }]);
    expect(full.mermaid.match(/s_Step\d -\.->\|"States.ALL"\| s_Handle/g)).toHaveLength(5);
  });

  it('overlays an execution: a class per state status, the route taken emphasised, a collapsed catch-all taken drawn in full', () => {
    // Prepare
    const states: AslMachine['States'] = {};
    for (let index = 1; index <= 5; index += 1) {
      states[`Step${index}`] = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], ...(index < 5 ? { Next: `Step${index + 1}` } : { End: true }) };
    }
    states.Handle = { Type: 'Fail' };

    // Act
    const { mermaid } = renderMermaid({ StartAt: 'Step1', States: states }, {
      overlay: {
        mode: 'execution',
        states: { Step1: { status: 'SUCCEEDED' }, Step2: { status: 'CAUGHT', note: '✖ Boom, caught' }, Handle: { status: 'FAILED' } },
        taken: [{ from: 'Step1', to: 'Step2', kind: 'next' }, { from: 'Step2', to: 'Handle', kind: 'catch' }],
      },
    });

    // Assess
    expect(mermaid).toContain('class s_Step2 caught');
    expect(mermaid).toContain('classDef caught ');
    expect(mermaid).toContain('<small>✖ Boom, caught</small>');
    const edges = mermaid.split('\n').filter((line) => /-->|-\.->/.test(line)).map((line) => line.trim());
    const takenIndexes = edges.flatMap((line, index) => (line === 's_Step1 --> s_Step2' || line.startsWith('s_Step2 -.->') ? [index] : []));
    expect(takenIndexes).toHaveLength(2);
    expect(mermaid).toContain(`linkStyle ${takenIndexes.join(',')} stroke:#1a73e8`);
  });
});
