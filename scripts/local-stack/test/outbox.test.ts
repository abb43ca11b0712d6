import { Outbox, parsePublish, parseSesSendEmail, renderOutboxPage } from '../src/outbox.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:orders-local-customer-notifications';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const JSON_10 = 'application/x-amz-json-1.0';

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

const publish = (message: string, attributes: Record<string, string> = {}, subject?: string) => ({
  topicArn: TOPIC_ARN,
  message,
  attributes,
  ...(subject === undefined ? {} : { subject }),
});

describe('parsePublish', () => {
  describe('the query (form-encoded) protocol', () => {
    it('reads topic, subject, message and every MessageAttributes.entry.N', () => {
      // Prepare
      const body = form({
        Action: 'Publish',
        Version: '2010-03-31',
        TopicArn: TOPIC_ARN,
        Subject: 'Your order ord_1 has shipped',
        Message: 'Tracking: DP0123 & more + symbols',
        'MessageAttributes.entry.1.Name': 'email',
        'MessageAttributes.entry.1.Value.DataType': 'String',
        'MessageAttributes.entry.1.Value.StringValue': 'ada@example.com',
        'MessageAttributes.entry.2.Name': 'orderId',
        'MessageAttributes.entry.2.Value.DataType': 'String',
        'MessageAttributes.entry.2.Value.StringValue': 'ord_1',
      });

      // Act
      const parsed = parsePublish(body, FORM);

      // Assess
      expect(parsed).toEqual({
        topicArn: TOPIC_ARN,
        subject: 'Your order ord_1 has shipped',
        message: 'Tracking: DP0123 & more + symbols',
        attributes: { email: 'ada@example.com', orderId: 'ord_1' },
      });
    });

    it('stops reading attributes at the first missing entry number', () => {
      // Prepare
      const body = form({
        Action: 'Publish',
        TopicArn: TOPIC_ARN,
        Message: 'm',
        'MessageAttributes.entry.1.Name': 'email',
        'MessageAttributes.entry.1.Value.StringValue': 'ada@example.com',
        'MessageAttributes.entry.3.Name': 'skipped',
        'MessageAttributes.entry.3.Value.StringValue': 'x',
      });

      // Act
      const parsed = parsePublish(body, FORM);

      // Assess
      expect(parsed?.attributes).toEqual({ email: 'ada@example.com' });
    });

    it('reads a publish without subject or attributes, addressed by TargetArn', () => {
      // Act
      const parsed = parsePublish(form({ Action: 'Publish', TargetArn: TOPIC_ARN, Message: 'hello' }), 'application/x-www-form-urlencoded');

      // Assess
      expect(parsed).toEqual({ topicArn: TOPIC_ARN, subject: undefined, message: 'hello', attributes: {} });
    });

    it('ignores every other action', () => {
      // Act
      const parsed = parsePublish(form({ Action: 'Subscribe', TopicArn: TOPIC_ARN, Protocol: 'email' }), FORM);

      // Assess
      expect(parsed).toBeUndefined();
    });
  });

  describe('the JSON protocol', () => {
    it('reads topic, subject, message and the string values of the attributes', () => {
      // Prepare
      const body = JSON.stringify({
        TopicArn: TOPIC_ARN,
        Subject: 'Approve order ord_1',
        Message: 'Approve: https://localhost/approve?token=abc',
        MessageAttributes: {
          email: { DataType: 'String', StringValue: 'ops@example.com' },
          count: { DataType: 'Number' },
        },
      });

      // Act
      const parsed = parsePublish(body, JSON_10);

      // Assess
      expect(parsed).toEqual({
        topicArn: TOPIC_ARN,
        subject: 'Approve order ord_1',
        message: 'Approve: https://localhost/approve?token=abc',
        attributes: { email: 'ops@example.com', count: '' },
      });
    });

    it('reads a JSON publish addressed by TargetArn, without a content type', () => {
      // Act
      const parsed = parsePublish(JSON.stringify({ TargetArn: TOPIC_ARN, Message: 'hi' }), undefined);

      // Assess
      expect(parsed).toEqual({ topicArn: TOPIC_ARN, subject: undefined, message: 'hi', attributes: {} });
    });

    it.each([
      ['a JSON request that is not a publish', JSON.stringify({ Name: 'orders-local-topic' })],
      ['a body that is not JSON', 'Action=Publish&Message=hi'],
      ['an empty body', ''],
    ])('ignores %s', (_, body) => {
      // Act
      const parsed = parsePublish(body, JSON_10);

      // Assess
      expect(parsed).toBeUndefined();
    });
  });
});

describe('Outbox', () => {
  it('lists emails newest first', () => {
    // Prepare
    const outbox = new Outbox();

    // Act
    outbox.record(publish('first'));
    outbox.record(publish('second'));
    outbox.record(publish('third'));

    // Assess
    expect(outbox.list().map(({ text }) => text)).toEqual(['third', 'second', 'first']);
  });

  it('keeps only the newest emails up to its limit', () => {
    // Prepare
    const outbox = new Outbox(2);

    // Act
    for (const text of ['1', '2', '3', '4']) outbox.record(publish(text));

    // Assess
    expect(outbox.list().map(({ text }) => text)).toEqual(['4', '3']);
  });

  it('addresses an email to the email attribute, else to the subscribers of the topic', () => {
    // Prepare
    const outbox = new Outbox();

    // Act
    const direct = outbox.record(publish('m', { email: 'ada@example.com' }, 'Hello'));
    const broadcast = outbox.record(publish('m'));

    // Assess
    expect(direct.to).toBe('ada@example.com');
    expect(direct.subject).toBe('Hello');
    expect(broadcast.to).toBe('subscribers of orders-local-customer-notifications');
    expect(broadcast.subject).toBe('');
  });

  it('extracts every http and https link, stopping at whitespace, quotes and angle brackets', () => {
    // Prepare
    const message = [
      'Approve: https://localhost:3000/approvals/ord_1/approve?token=a%2Bb&x=1',
      'Reject: "http://localhost/approvals/ord_1/reject?token=c"',
      'Docs <https://example.com/docs>',
      'not a link: ftp://example.com/file',
    ].join('\n');

    // Act
    const email = new Outbox().record(publish(message));

    // Assess
    expect(email.links).toEqual([
      'https://localhost:3000/approvals/ord_1/approve?token=a%2Bb&x=1',
      'http://localhost/approvals/ord_1/reject?token=c',
      'https://example.com/docs',
    ]);
  });

  it('has no links for a message without any', () => {
    // Act
    const email = new Outbox().record(publish('Your order has shipped.'));

    // Assess
    expect(email.links).toEqual([]);
  });

  it('stamps each email with an ISO time and keeps its topic', () => {
    // Act
    const email = new Outbox().record(publish('m'));

    // Assess
    expect(email.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(email.topicArn).toBe(TOPIC_ARN);
  });

  it('hands out a copy of its list, so callers cannot change the outbox', () => {
    // Prepare
    const outbox = new Outbox();
    outbox.record(publish('kept'));

    // Act
    outbox.list().pop();

    // Assess
    expect(outbox.list()).toHaveLength(1);
  });

  it('records what parsePublish reads from the wire', () => {
    // Prepare
    const parsed = parsePublish(form({
      Action: 'Publish',
      TopicArn: TOPIC_ARN,
      Subject: 'Approve',
      Message: 'Open https://localhost/a?token=t to approve',
      'MessageAttributes.entry.1.Name': 'email',
      'MessageAttributes.entry.1.Value.StringValue': 'ops@example.com',
    }), FORM);

    // Act
    const email = new Outbox().record(parsed ?? publish('missing'));

    // Assess
    expect(email).toMatchObject({ to: 'ops@example.com', subject: 'Approve', links: ['https://localhost/a?token=t'] });
  });
});

describe('renderOutboxPage', () => {
  it('escapes HTML in subjects, addresses, texts and links', () => {
    // Prepare
    const email = new Outbox().record(publish('<script>alert(1)</script> https://x/?a="b"', { email: '"evil"@example.com' }, '<b>Hi</b> & bye'));

    // Act
    const page = renderOutboxPage([email], 'http://localhost:3000/_local/outbox');

    // Assess
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>Hi</b>');
    expect(page).toContain('&lt;b&gt;Hi&lt;/b&gt; &amp; bye');
    expect(page).toContain('&quot;evil&quot;@example.com');
    expect(page).toContain('1 email(s)');
  });

  it('tells where the same list is served as JSON', () => {
    const page = renderOutboxPage([], 'http://localhost:3999/_local/outbox');

    expect(page).toContain('<code>curl http://localhost:3999/_local/outbox</code>');
  });
});

describe('SES email', () => {
  const sendEmail = (fields: object) => JSON.stringify({
    FromEmailAddress: 'onboarding@example.com',
    Destination: { ToAddresses: ['founder@acme.example'] },
    Content: { Simple: { Subject: { Data: 'Welcome aboard' }, Body: { Text: { Data: 'Your key: sk_live_x. Docs: https://docs.example.com/start' } } } },
    ...fields,
  });

  it('reads a simple SendEmail of SES v2, and nothing else', () => {
    expect(parseSesSendEmail('POST', '/v2/email/outbound-emails', sendEmail({}))).toEqual({
      from: 'onboarding@example.com', to: ['founder@acme.example'], subject: 'Welcome aboard', text: 'Your key: sk_live_x. Docs: https://docs.example.com/start',
    });
    expect(parseSesSendEmail('GET', '/v2/email/identities', '')).toBeUndefined();
    expect(parseSesSendEmail('POST', '/v2/email/outbound-emails', 'not json')).toBeUndefined();
  });

  it('shows in the outbox as SNS email does, once per recipient, with its links', () => {
    const outbox = new Outbox();
    const sent = parseSesSendEmail('POST', '/v2/email/outbound-emails', sendEmail({ Destination: { ToAddresses: ['a@acme.example'], CcAddresses: ['b@acme.example'] } }));

    outbox.recordSesEmail(sent!);

    expect(outbox.list().map(({ to, subject, links, from }) => ({ to, subject, links, from }))).toEqual([
      { to: 'b@acme.example', subject: 'Welcome aboard', links: ['https://docs.example.com/start'], from: 'onboarding@example.com' },
      { to: 'a@acme.example', subject: 'Welcome aboard', links: ['https://docs.example.com/start'], from: 'onboarding@example.com' },
    ]);
  });
});
