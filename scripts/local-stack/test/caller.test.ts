import { Agent, request, type ClientRequest } from 'node:http';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CALLER_HEADER, callerName, callerOf, currentCaller, decodeCaller, encodeCaller, runAs, tagCallsTo, type Caller } from '../src/caller.js';

const charge: Caller = {
  kind: 'function',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:shop-charge',
  role: 'arn:aws:iam::000000000000:role/shop-charge',
};
const PORT = 4566;

/** An agent that keeps each request's caller header and sends nothing: no network. */
class CapturingAgent extends Agent {
  readonly seen: (string | undefined)[] = [];

  // Called from the request's constructor, before the diagnostics channel that tags it: read its
  // headers once the constructor is done, as they would be written.
  addRequest(outgoing: ClientRequest): void {
    process.nextTick(() => {
      const value = outgoing.getHeader(CALLER_HEADER);
      this.seen.push(value === undefined ? undefined : String(value));
      // A request without a socket never reports its destruction: fail it by hand.
      outgoing.emit('error', new Error('captured'));
    });
  }
}

const sdkCall = (agent: Agent, port = PORT) => {
  const client = new DynamoDBClient({
    endpoint: `http://localhost:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: agent },
  });
  return client.send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } })).catch(() => undefined).finally(() => client.destroy());
};

describe('who is calling', () => {
  it('writes a caller in three words and reads it back', () => {
    const rule: Caller = { kind: 'rule', arn: 'arn:aws:events:us-east-1:000000000000:rule/orders/restocked' };

    expect(encodeCaller(charge)).toBe('function arn:aws:lambda:us-east-1:000000000000:function:shop-charge arn:aws:iam::000000000000:role/shop-charge');
    expect(decodeCaller(encodeCaller(charge))).toEqual(charge);
    expect(decodeCaller(encodeCaller(rule))).toEqual(rule);
    expect(callerOf({ [CALLER_HEADER]: 'state-machine arn:aws:states:us-east-1:000000000000:stateMachine:m arn:aws:iam::000000000000:role/r' }))
      .toEqual({ kind: 'state-machine', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m', role: 'arn:aws:iam::000000000000:role/r' });
    expect([decodeCaller(undefined), decodeCaller('admin x y'), decodeCaller('function not-an-arn')]).toEqual([undefined, undefined, undefined]);
    expect([callerName(charge), callerName(rule)]).toEqual(['shop-charge', 'orders/restocked']);
  });

  it('tags the SDK\'s requests to the stack made inside runAs, and only those', async () => {
    // Prepare
    const agent = new CapturingAgent();
    const untag = tagCallsTo(PORT);

    try {
      // Act
      await runAs(charge, () => sdkCall(agent));
      await sdkCall(agent);
      await runAs(charge, () => sdkCall(agent, PORT + 1));
    } finally {
      untag();
    }
    await runAs(charge, () => sdkCall(agent));

    // Assess: inside runAs to the stack; outside; to another port; after untagging
    expect(agent.seen).toEqual([encodeCaller(charge), undefined, undefined, undefined]);
  });

  it('keeps each caller to its own calls when invocations interleave', async () => {
    // Prepare
    const agent = new CapturingAgent();
    const other: Caller = { ...charge, arn: charge.arn.replace('shop-charge', 'shop-refund'), role: charge.role!.replace('shop-charge', 'shop-refund') };
    const untag = tagCallsTo(PORT);

    try {
      // Act
      await Promise.all([charge, other, charge, other].map((caller, index) => runAs(caller, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5 * (4 - index)));
        expect(currentCaller()).toBe(caller);
        await sdkCall(agent);
      })));
    } finally {
      untag();
    }

    // Assess
    expect([...agent.seen].sort()).toEqual([encodeCaller(charge), encodeCaller(charge), encodeCaller(other), encodeCaller(other)].sort());
  });

  it('leaves a header a request already carries', async () => {
    const agent = new CapturingAgent();
    const untag = tagCallsTo(PORT);
    try {
      runAs(charge, () => request({ host: 'localhost', port: PORT, agent, headers: { [CALLER_HEADER]: 'rule arn:aws:events:us-east-1:000000000000:rule/r -' } }).on('error', () => undefined));
    } finally {
      untag();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(agent.seen).toEqual(['rule arn:aws:events:us-east-1:000000000000:rule/r -']);
  });
});
