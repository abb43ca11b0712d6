import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Caller } from '../src/caller.js';
import { FaultInjector, FaultSpecError, parseFaults, seededRandom, type Fault, type FaultRequest } from '../src/faults.js';
import type { Answer } from '../src/iam/errors.js';

const fn: Caller = { kind: 'function', arn: 'arn:aws:lambda:us-east-1:000000000000:function:shop-charge', role: 'arn:aws:iam::000000000000:role/shop-charge' };
const machine: Caller = { kind: 'state-machine', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:shop-fulfilment', role: 'arn:aws:iam::000000000000:role/sfn' };
const rule: Caller = { kind: 'rule', arn: 'arn:aws:events:us-east-1:000000000000:rule/shop/placed' };

const dynamoGet: FaultRequest = {
  method: 'POST', url: '/', body: Buffer.from(JSON.stringify({ TableName: 'orders', Key: {} })),
  headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-type': 'application/x-amz-json-1.0' },
};
const invoke = (type?: string): FaultRequest => ({
  method: 'POST', url: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Ashop-charge/invocations', body: Buffer.from('{}'),
  headers: type ? { 'x-amz-invocation-type': type } : {},
});
const publish: FaultRequest = {
  method: 'POST', url: '/', body: Buffer.from('Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aops&Message=hi'),
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=x' },
};
const putEvents = (count: number): FaultRequest => ({
  method: 'POST', url: '/', headers: { 'x-amz-target': 'AWSEvents.PutEvents' },
  body: Buffer.from(JSON.stringify({ Entries: Array.from({ length: count }, (_, index) => ({ Source: 'shop', DetailType: `Event${index}`, Detail: '{}' })) })),
});

const injector = (spec: string, seed = '7') => {
  const lines: string[] = [];
  return { faults: new FaultInjector(parseFaults(spec, seed), (line) => lines.push(line)), lines };
};

/** What the SDK hands a request handler (the fields read here). */
interface SentRequest { method: string; path: string; headers: Record<string, string>; body?: unknown }

/** An SDK request handler that answers every request with `answer`, counting the attempts: the SDK's own parsing and retries, no network. */
const answering = (answer: () => Answer) => {
  const sent: SentRequest[] = [];
  return {
    sent,
    handler: {
      handle: async (request: SentRequest) => {
        sent.push(request);
        const { status, headers, body } = answer();
        return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(body)]) } };
      },
    },
  };
};
const clientConfig = { region: 'us-east-1', endpoint: 'http://localhost:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const answerOf = (fault: Fault | undefined): Answer => {
  if (fault?.kind !== 'answer') throw new Error(`expected an answer, got ${fault?.kind}`);
  return fault.answer;
};

describe('LOCAL_FAULTS', () => {
  it('reads kinds and rates, and names what it cannot read', () => {
    expect(parseFaults(undefined)).toBeUndefined();
    expect(parseFaults(' ')).toBeUndefined();
    expect(parseFaults('dynamodb-throttle=0.05, sns-publish-error=1', '42')).toEqual({ rates: { 'dynamodb-throttle': 0.05, 'sns-publish-error': 1 }, seed: 42 });
    expect(parseFaults('lambda-crash-after=0.1', 'chaos')?.seed).toBe(parseFaults('lambda-crash-after=0.1', 'chaos')?.seed);
    expect(() => parseFaults('disk-full=0.1')).toThrow(/unknown kind "disk-full"/);
    expect(() => parseFaults('dynamodb-throttle=2')).toThrow(FaultSpecError);
    expect(() => parseFaults('dynamodb-throttle')).toThrow(/expected dynamodb-throttle=<rate from 0 to 1>/);
    expect(() => parseFaults('dynamodb-throttle=0.1,dynamodb-throttle=0.2')).toThrow(/given twice/);
  });

  it('draws the same sequence from the same seed', () => {
    const draw = (seed: number) => { const random = seededRandom(seed); return Array.from({ length: 5 }, random); };

    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('injects at about its rate, the same calls for the same seed', () => {
    const decisions = (seed: string) => {
      const { faults } = injector('dynamodb-throttle=0.1', seed);
      return Array.from({ length: 2000 }, () => faults.faultFor(fn, dynamoGet) !== undefined);
    };
    const hits = decisions('1').filter(Boolean).length;

    expect(hits).toBeGreaterThan(140);
    expect(hits).toBeLessThan(260);
    expect(decisions('1')).toEqual(decisions('1'));
  });

  it('touches only the calls of functions and Tasks, and logs each injection', () => {
    const { faults, lines } = injector('dynamodb-throttle=1');

    expect(faults.faultFor(undefined, dynamoGet)).toBeUndefined();
    expect(faults.faultFor(rule, dynamoGet)).toBeUndefined();
    expect(faults.faultFor(machine, dynamoGet)?.kind).toBe('answer');
    expect(faults.faultFor(fn, { ...dynamoGet, headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } })).toBeUndefined();
    expect(lines).toEqual(['injected dynamodb-throttle shop-fulfilment dynamodb:GetItem orders']);
    expect(faults.counts['dynamodb-throttle']).toBe(1);
  });

  it('is off, and says so, without a rate above zero', () => {
    const { faults } = injector('dynamodb-throttle=0');

    expect(faults.active).toBe(false);
    expect(faults.faultFor(fn, dynamoGet)).toBeUndefined();
    expect(new FaultInjector(undefined, () => undefined).describe()).toMatch(/^off/);
    expect(injector('sns-publish-error=0.5', '9').faults.describe()).toMatch(/^sns-publish-error=0.5 \(LOCAL_FAULTS_SEED=9\)/);
  });

  it('throttles DynamoDB as DynamoDB does: the SDK retries it, then names it', async () => {
    const { faults } = injector('dynamodb-throttle=1');
    const { sent, handler } = answering(() => answerOf(faults.faultFor(fn, dynamoGet)));
    const client = new DynamoDBClient({ ...clientConfig, maxAttempts: 2, requestHandler: handler });

    const error = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })).catch((thrown: Error) => thrown);

    expect((error as Error).name).toBe('ProvisionedThroughputExceededException');
    expect(sent).toHaveLength(2);
  });

  it('fails a Lambda invoke before the function runs with Lambda\'s ServiceException', async () => {
    const { faults, lines } = injector('lambda-service-error=1');
    const { handler } = answering(() => answerOf(faults.faultFor(machine, invoke())));
    const client = new LambdaClient({ ...clientConfig, maxAttempts: 1, requestHandler: handler });

    const error = await client.send(new InvokeCommand({ FunctionName: 'shop-charge', Payload: Buffer.from('{}') })).catch((thrown: Error) => thrown);

    expect((error as Error).name).toBe('ServiceException');
    expect(lines).toEqual(['injected lambda-service-error shop-fulfilment lambda:Invoke shop-charge']);
  });

  it('reports a crash after the handler ran as an unhandled runtime exit, never for an asynchronous invoke', async () => {
    const { faults } = injector('lambda-crash-after=1');
    const fault = faults.faultFor(machine, invoke());
    if (fault?.kind !== 'crash-after') throw new Error(`expected crash-after, got ${fault?.kind}`);
    const { handler } = answering(() => fault.answer('req-1'));
    const client = new LambdaClient({ ...clientConfig, maxAttempts: 1, requestHandler: handler });

    const result = await client.send(new InvokeCommand({ FunctionName: 'shop-charge', Payload: Buffer.from('{}') }));

    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload!).toString('utf8'))).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: req-1 Error: Runtime exited with error: signal: killed' });
    expect(faults.faultFor(machine, invoke('Event'))).toBeUndefined();
  });

  it('fails an SNS publish with InternalError, which the SDK retries', async () => {
    const { faults } = injector('sns-publish-error=1');
    const { sent, handler } = answering(() => answerOf(faults.faultFor(fn, publish)));
    const client = new SNSClient({ ...clientConfig, maxAttempts: 2, requestHandler: handler });
    const request = await (async () => {
      const probe = answering(() => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: '<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>' }));
      await new SNSClient({ ...clientConfig, requestHandler: probe.handler }).send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:ops', Message: 'hi' })).catch(() => undefined);
      return probe.sent[0]!;
    })();
    // The fault recognises the SDK's own request, whichever protocol it speaks.
    const { faults: onSdkRequest } = injector('sns-publish-error=1');
    expect(onSdkRequest.faultFor(fn, { method: request.method, url: request.path, headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(String(request.body ?? '')) })?.kind).toBe('answer');

    const error = await client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:ops', Message: 'hi' })).catch((thrown: Error) => thrown);

    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(500);
    expect((error as Error).name).toMatch(/^InternalError/);
    expect(sent).toHaveLength(2);
  });

  it('fails PutEvents entries one by one: the others are put, the answer counts the failed', async () => {
    const { faults } = injector('events-put-failure=0.5', '3');
    let fault: Fault | undefined;
    while (fault?.kind !== 'put-events' || fault.failed.size === 3) fault = faults.faultFor(fn, putEvents(3));
    const kept = JSON.parse(fault.keep()!.toString('utf8')) as { Entries: { DetailType: string }[] };
    const put = { Entries: kept.Entries.map((_, index) => ({ EventId: `e-${index}` })), FailedEntryCount: 0 };
    const { handler } = answering(() => fault.merge(200, Buffer.from(JSON.stringify(put))));
    const client = new EventBridgeClient({ ...clientConfig, requestHandler: handler });

    const result = await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'x', Detail: '{}' }] }));

    expect(kept.Entries).toHaveLength(3 - fault.failed.size);
    expect(result.FailedEntryCount).toBe(fault.failed.size);
    expect(result.Entries).toHaveLength(3);
    result.Entries!.forEach((entry, index) => expect(entry.ErrorCode).toBe(fault.failed.has(index) ? 'InternalFailure' : undefined));
  });

  it('answers a PutEvents whose every entry failed without putting any', () => {
    const { faults } = injector('events-put-failure=1');
    const fault = faults.faultFor(machine, putEvents(1));
    if (fault?.kind !== 'put-events') throw new Error('expected a PutEvents fault');

    expect(fault.keep()).toBeUndefined();
    expect(JSON.parse(fault.merge(200, Buffer.alloc(0)).body)).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: expect.any(String) }] });
  });
});
