import type { SQSRecord } from 'aws-lambda';
import { handledMessageIds, mappingsFromTemplate } from '../src/sqs-event-source.js';
import { TemplateResolver } from '../src/template.js';

const batch = ['a', 'b', 'c'].map((messageId) => ({ messageId }) as SQSRecord);
const ok = (payload: unknown) => ({ ok: true as const, payload });

describe('SQS event source: which messages a batch handled', () => {
  it('deletes the whole batch when the function succeeds', () => {
    expect(handledMessageIds(ok(null), batch, false)).toEqual(['a', 'b', 'c']);
    expect(handledMessageIds(ok({ batchItemFailures: [] }), batch, true)).toEqual(['a', 'b', 'c']);
  });

  it('keeps every message when the function fails', () => {
    expect(handledMessageIds({ ok: false, error: { errorType: 'Error', errorMessage: 'x', trace: [] } }, batch, true)).toEqual([]);
  });

  it('keeps only the reported failures with ReportBatchItemFailures', () => {
    expect(handledMessageIds(ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), batch, true)).toEqual(['a', 'c']);
  });

  it('ignores a failure report when the mapping did not ask for one, as Lambda does', () => {
    expect(handledMessageIds(ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }), batch, false)).toEqual(['a', 'b', 'c']);
  });

  it('treats a report naming an unknown or empty id as a failure of the whole batch', () => {
    expect(handledMessageIds(ok({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }), batch, true)).toEqual([]);
    expect(handledMessageIds(ok({ batchItemFailures: [{ itemIdentifier: '' }] }), batch, true)).toEqual([]);
  });
});

describe('SQS event source: mappings from the template', () => {
  it('reads queue, function, batch size and response types from AWS::Lambda::EventSourceMapping', () => {
    // Prepare
    const resolver = new TemplateResolver({
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'requests' } },
        WorkerLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'worker' } },
        Mapping: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] },
            BatchSize: 5,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      },
    }, 'us-east-1', 'stack');

    // Act
    const mappings = mappingsFromTemplate(resolver);

    // Assess
    expect(mappings).toEqual([{
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:requests',
      functionName: 'arn:aws:lambda:us-east-1:000000000000:function:worker',
      batchSize: 5,
      reportBatchItemFailures: true,
    }]);
  });
});
