import { createHmac } from 'node:crypto';
import { BadRequestError, InvalidCarrierEventsError, InvalidSignatureError } from '../../functions/shared/errors.js';
import {
  checkedWebhookSecret,
  MAX_EVENTS_PER_BATCH,
  MAX_WEBHOOK_BODY_BYTES,
  parseCarrierEvents,
  rawBodyOf,
  receiveCarrierWebhook,
  signCarrierWebhook,
  verifyCarrierSignature,
  type CarrierEventsBatch,
} from '../../functions/shared/shipping/carrier-webhook.js';
import { rejectionOf } from './support/rejection.js';

const SECRET = 'whsec_test';
const NOW = new Date('2026-11-24T10:00:00.000Z');
const T = Math.floor(NOW.getTime() / 1000);
const event = { eventId: 'evt-1', trackingNumber: 'DP0123456789AB', status: 'IN_TRANSIT', occurredAt: '2026-11-24T09:59:00.000Z' };
const BODY = JSON.stringify({ events: [event] });
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

const thrownBy = (act: () => unknown): Error => {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('verifyCarrierSignature', () => {
  it('accepts the signature the carrier computes: HMAC-SHA256 of "<t>.<raw body>"', () => {
    // Prepare
    const header = `t=${T},v1=${hmac(SECRET, `${T}.${BODY}`)}`;

    // Act + Assess
    expect(() => verifyCarrierSignature(SECRET, header, BODY, NOW)).not.toThrow();
    expect(signCarrierWebhook(SECRET, BODY, NOW)).toBe(header);
  });

  it('accepts a header with a second v1 while the carrier rotates its secret', () => {
    // Prepare
    const header = `t=${T},v1=${hmac('the-old-secret', `${T}.${BODY}`)},v1=${hmac(SECRET, `${T}.${BODY}`)}`;

    // Act + Assess
    expect(() => verifyCarrierSignature(SECRET, header, BODY, NOW)).not.toThrow();
  });

  it.each<[string, string | undefined, string, RegExp]>([
    ['no header', undefined, BODY, /missing/],
    ['a header without v1', `t=${T}`, BODY, /must be "t=/],
    ['a header without t', `v1=${hmac(SECRET, `${T}.${BODY}`)}`, BODY, /must be "t=/],
    ['two timestamps', `t=${T},t=${T},v1=${hmac(SECRET, `${T}.${BODY}`)}`, BODY, /must be "t=/],
    ['a tampered body', `t=${T},v1=${hmac(SECRET, `${T}.${BODY}`)}`, BODY.replace('IN_TRANSIT', 'DELIVERED'), /no v1 signature matches/],
    ['a body with one byte more', `t=${T},v1=${hmac(SECRET, `${T}.${BODY}`)}`, `${BODY} `, /no v1 signature matches/],
    ['a wrong secret', `t=${T},v1=${hmac('another-secret', `${T}.${BODY}`)}`, BODY, /no v1 signature matches/],
    ['a timestamp moved after signing', `t=${T - 1},v1=${hmac(SECRET, `${T}.${BODY}`)}`, BODY, /no v1 signature matches/],
    ['a stale timestamp (301 s)', `t=${T - 301},v1=${hmac(SECRET, `${T - 301}.${BODY}`)}`, BODY, /301 s old/],
    ['a future timestamp (301 s)', `t=${T + 301},v1=${hmac(SECRET, `${T + 301}.${BODY}`)}`, BODY, /301 s in the future/],
    ['a signature that is not hex', `t=${T},v1=${'z'.repeat(64)}`, BODY, /no v1 signature matches/],
    ['a truncated signature', `t=${T},v1=${hmac(SECRET, `${T}.${BODY}`).slice(0, 63)}`, BODY, /no v1 signature matches/],
  ])('refuses %s with InvalidSignature', (_, header, body, reason) => {
    // Act
    const error = thrownBy(() => verifyCarrierSignature(SECRET, header, body, NOW));

    // Assess
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.name).toBe('InvalidSignature');
    expect(error.message).toMatch(reason);
  });

  it('accepts timestamps at the edge of the five minutes, either side', () => {
    for (const t of [T - 300, T + 300]) {
      expect(() => verifyCarrierSignature(SECRET, `t=${t},v1=${hmac(SECRET, `${t}.${BODY}`)}`, BODY, NOW)).not.toThrow();
    }
  });
});

describe('parseCarrierEvents', () => {
  it('reads a batch, normalising each occurredAt to UTC', () => {
    // Act
    const events = parseCarrierEvents(JSON.stringify({ events: [{ ...event, occurredAt: '2026-11-24T10:59:00+01:00' }] }));

    // Assess
    expect(events).toEqual([{ ...event, occurredAt: '2026-11-24T09:59:00.000Z' }]);
  });

  it.each<[string, unknown, string[]]>([
    ['not JSON', '{"events": [', ['']],
    ['no events', {}, ['events']],
    ['events not an array', { events: {} }, ['events']],
    ['an empty batch', { events: [] }, ['events']],
    ['too many events', { events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => event) }, ['events']],
    ['an event that is not an object', { events: ['x'] }, ['events[0]']],
    ['an unknown status', { events: [{ ...event, status: 'LOST_IN_SPACE' }] }, ['events[0].status']],
    ['a lower-case tracking number', { events: [{ ...event, trackingNumber: 'dp0123' }] }, ['events[0].trackingNumber']],
    ['a date without a time', { events: [{ ...event, occurredAt: '2026-11-24' }] }, ['events[0].occurredAt']],
    ['several problems at once', { events: [event, { ...event, eventId: '', status: 1 }] }, ['events[1].eventId', 'events[1].status']],
  ])('refuses %s, naming each field', (_, body, fields) => {
    // Act
    const error = thrownBy(() => parseCarrierEvents(typeof body === 'string' ? body : JSON.stringify(body)));

    // Assess
    expect(error).toBeInstanceOf(InvalidCarrierEventsError);
    expect((error as InvalidCarrierEventsError).problems.map(({ field }) => field)).toEqual(fields);
  });
});

describe('receiveCarrierWebhook', () => {
  const recordingWorkflow = () => {
    const started: CarrierEventsBatch[] = [];
    return { started, async start(batch: CarrierEventsBatch) { started.push(batch); } };
  };

  it('hands a signed batch to the workflow and counts the events', async () => {
    // Prepare
    const workflow = recordingWorkflow();
    const receive = receiveCarrierWebhook(async () => SECRET, workflow, () => NOW);

    // Act
    const result = await receive({ signature: signCarrierWebhook(SECRET, BODY, NOW), rawBody: BODY });

    // Assess
    expect(result).toEqual({ accepted: 1 });
    expect(workflow.started).toEqual([{ events: [event], receivedAt: NOW.toISOString() }]);
  });

  it('checks the signature before it reads the body, and starts nothing when it fails', async () => {
    // Prepare
    const workflow = recordingWorkflow();
    const receive = receiveCarrierWebhook(async () => SECRET, workflow, () => NOW);

    // Act
    const error = await rejectionOf(() => receive({ signature: signCarrierWebhook('wrong', 'not json', NOW), rawBody: 'not json' }));

    // Assess
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(workflow.started).toEqual([]);
  });

  it('refuses a body over 256 KB with 413 before it reads the secret or computes any HMAC', async () => {
    // Prepare
    const workflow = recordingWorkflow();
    let secretReads = 0;
    const receive = receiveCarrierWebhook(async () => { secretReads += 1; return SECRET; }, workflow, () => NOW);
    const body = JSON.stringify({ events: [event], padding: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) });

    // Act
    const error = await rejectionOf(() => receive({ signature: signCarrierWebhook(SECRET, body, NOW), rawBody: body }));

    // Assess
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ name: 'PayloadTooLarge' });
    expect(secretReads).toBe(0);
    expect(workflow.started).toEqual([]);
  });

  it('starts nothing for a signed batch that is malformed', async () => {
    // Prepare
    const workflow = recordingWorkflow();
    const receive = receiveCarrierWebhook(async () => SECRET, workflow, () => NOW);
    const body = JSON.stringify({ events: [{ ...event, status: 'NOPE' }] });

    // Act
    const error = await rejectionOf(() => receive({ signature: signCarrierWebhook(SECRET, body, NOW), rawBody: body }));

    // Assess
    expect(error).toBeInstanceOf(InvalidCarrierEventsError);
    expect(workflow.started).toEqual([]);
  });
});

describe('rawBodyOf', () => {
  it('gives the body as sent, decoding base64', () => {
    expect(rawBodyOf({ body: BODY, isBase64Encoded: false })).toBe(BODY);
    expect(rawBodyOf({ body: Buffer.from(BODY).toString('base64'), isBase64Encoded: true })).toBe(BODY);
    expect(rawBodyOf({})).toBe('');
  });

  it.each([
    ['as text', (text: string) => ({ body: text, isBase64Encoded: false })],
    ['base64-encoded', (text: string) => ({ body: Buffer.from(text).toString('base64'), isBase64Encoded: true })],
  ])('takes 256 KB %s and refuses a byte more as PayloadTooLarge (413)', (_, request) => {
    expect(rawBodyOf(request('x'.repeat(MAX_WEBHOOK_BODY_BYTES)))).toHaveLength(MAX_WEBHOOK_BODY_BYTES);
    expect(() => rawBodyOf(request('x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1)))).toThrow(expect.objectContaining({ name: 'PayloadTooLarge' }));
  });
});

describe('checkedWebhookSecret', () => {
  it('refuses a signing secret shorter than 32 characters, as the approval link key is refused', async () => {
    await expect(checkedWebhookSecret(async () => 'short-secret', 'parameter /x')()).rejects.toThrow('parameter /x must hold a secret of at least 32 characters');
    await expect(checkedWebhookSecret(async () => 'a'.repeat(32), 'parameter /x')()).resolves.toBe('a'.repeat(32));
  });
});
