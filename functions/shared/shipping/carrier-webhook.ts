import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError, InvalidCarrierEventsError, InvalidSignatureError, type Problem } from '../errors.js';
import { isObject } from '../validation.js';

/**
 * The carrier signs each webhook the way payment and shipping providers do:
 * `Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. A timestamp
 * more than five minutes from now is refused, so a captured request cannot be replayed later.
 * More than one v1 may be sent while the carrier rotates its secret.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
export const MAX_EVENTS_PER_BATCH = 100;
/** A batch of 100 events is ~15 KB; anything near this is not a carrier's batch and gets no HMAC work. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** As the approval link key: a shorter HMAC key is one an attacker may guess offline from a single signed request. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;
export const TRACKING_STATUSES = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingEvent {
  eventId: string;
  trackingNumber: string;
  status: TrackingStatus;
  occurredAt: string;
}

export const signatureOf = (secret: string, timestamp: number, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

/** The header a carrier sends for this body at this time (the simulated carrier and tests sign with it). */
export const signCarrierWebhook = (secret: string, rawBody: string, now: Date = new Date()): string => {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, rawBody)}`;
};

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/** Throws InvalidSignature unless the header signs exactly this body, recently, with this secret. */
export const verifyCarrierSignature = (secret: string, header: string | undefined, rawBody: string, now: Date = new Date()): void => {
  if (!header) throw new InvalidSignatureError('the Carrier-Signature header is missing');
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  const [timestampText] = timestamps;
  if (timestamps.length !== 1 || !timestampText || !/^\d{1,12}$/.test(timestampText) || signatures.length === 0) {
    throw new InvalidSignatureError('the Carrier-Signature header must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"');
  }
  const timestamp = Number(timestampText);
  const skew = Math.floor(now.getTime() / 1000) - timestamp;
  if (Math.abs(skew) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new InvalidSignatureError(`the signature timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; at most ${SIGNATURE_TOLERANCE_SECONDS} s are accepted`);
  }
  const expected = Buffer.from(signatureOf(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((candidate) => HEX_SIGNATURE.test(candidate) && timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) throw new InvalidSignatureError('no v1 signature matches the body');
};

const TRACKING_NUMBER = /^[A-Z0-9]{6,40}$/;
const EVENT_ID = /^[\x21-\x7e]{1,128}$/;

/** `{"events":[{"eventId","trackingNumber","status","occurredAt"}]}`, every problem named at once. */
export const parseCarrierEvents = (rawBody: string): TrackingEvent[] => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch (error) {
    throw new InvalidCarrierEventsError([{ field: '', problem: `the body is not valid JSON: ${(error as Error).message}` }]);
  }
  if (!isObject(body) || !Array.isArray(body.events)) {
    throw new InvalidCarrierEventsError([{ field: 'events', problem: 'is required and must be an array' }]);
  }
  const { events } = body;
  if (events.length === 0 || events.length > MAX_EVENTS_PER_BATCH) {
    throw new InvalidCarrierEventsError([{ field: 'events', problem: `must hold 1 to ${MAX_EVENTS_PER_BATCH} events` }]);
  }
  const problems: Problem[] = [];
  const parsed = events.map((event: unknown, index): TrackingEvent => {
    const field = `events[${index}]`;
    if (!isObject(event)) {
      problems.push({ field, problem: 'must be an object' });
      return { eventId: '', trackingNumber: '', status: 'IN_TRANSIT', occurredAt: '' };
    }
    const { eventId, trackingNumber, status, occurredAt } = event;
    if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) problems.push({ field: `${field}.eventId`, problem: 'must be 1 to 128 printable ASCII characters' });
    if (typeof trackingNumber !== 'string' || !TRACKING_NUMBER.test(trackingNumber)) problems.push({ field: `${field}.trackingNumber`, problem: 'must be 6 to 40 upper-case letters and digits' });
    if (typeof status !== 'string' || !(TRACKING_STATUSES as readonly string[]).includes(status)) problems.push({ field: `${field}.status`, problem: `must be one of ${TRACKING_STATUSES.join(', ')}` });
    const time = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
    if (typeof occurredAt !== 'string' || Number.isNaN(time) || !occurredAt.includes('T')) problems.push({ field: `${field}.occurredAt`, problem: 'must be an ISO 8601 date-time' });
    return { eventId: String(eventId), trackingNumber: String(trackingNumber), status: status as TrackingStatus, occurredAt: Number.isNaN(time) ? '' : new Date(time).toISOString() };
  });
  if (problems.length > 0) throw new InvalidCarrierEventsError(problems);
  return parsed;
};

const tooLarge = (bytes: number) =>
  new BadRequestError('PayloadTooLarge', `the body is ${bytes} bytes; a carrier webhook may have at most ${MAX_WEBHOOK_BODY_BYTES}`);

/**
 * The body exactly as the carrier sent it (the signature covers those bytes). Its size is known
 * from the request before anything is decoded: an oversized body is refused (413) at once.
 */
export const rawBodyOf = ({ body, isBase64Encoded }: { body?: string; isBase64Encoded?: boolean }): string => {
  const text = body ?? '';
  const padding = isBase64Encoded ? (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0) : 0;
  const bytes = isBase64Encoded ? Math.floor((text.length * 3) / 4) - padding : Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_WEBHOOK_BODY_BYTES) throw tooLarge(bytes);
  return isBase64Encoded ? Buffer.from(text, 'base64').toString('utf8') : text;
};

/** The signing secret, refused (a 500 and a log line, never a weak check) when it is too short to be one. */
export const checkedWebhookSecret = (read: () => Promise<string>, name: string) => async (): Promise<string> => {
  const secret = await read();
  if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) throw new Error(`${name} must hold a secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
  return secret;
};

/** What the webhook hands the carrier-events workflow; the workflow owns everything after the 202. */
export interface CarrierEventsBatch {
  events: TrackingEvent[];
  receivedAt: string;
}

export interface CarrierEventsWorkflow {
  start(batch: CarrierEventsBatch): Promise<void>;
}

/** Size first (an oversized body costs no HMAC), then the signature (an unsigned body is never parsed), then hand the batch over. */
export const receiveCarrierWebhook = (secret: () => Promise<string>, workflow: CarrierEventsWorkflow, now: () => Date = () => new Date()) =>
  async ({ signature, rawBody }: { signature: string | undefined; rawBody: string }): Promise<{ accepted: number }> => {
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    if (bytes > MAX_WEBHOOK_BODY_BYTES) throw tooLarge(bytes);
    verifyCarrierSignature(await secret(), signature, rawBody, now());
    const events = parseCarrierEvents(rawBody);
    await workflow.start({ events, receivedAt: now().toISOString() });
    return { accepted: events.length };
  };
