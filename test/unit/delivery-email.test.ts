import { NotificationUnavailableError } from '../../functions/shared/errors.js';
import { sendDeliveryEmail, type DeliveryEmailOutbox } from '../../functions/shared/notifications/delivery-email.js';
import type { Email, EmailSender } from '../../functions/shared/notifications/emails.js';
import { rejectionOf } from './support/rejection.js';

/** The orders row's outbox in memory, with the conditions the DynamoDB outbox writes under. */
const memoryOutbox = (row: { status: string; deliveryEmail?: string; email: string }) => {
  const state = { ...row, claim: undefined as { token: string; expiresAt: Date } | undefined };
  const outbox: DeliveryEmailOutbox = {
    async claim(_, { token, now, expiresAt }) {
      if (state.status !== 'DELIVERED' || state.deliveryEmail !== 'PENDING' || (state.claim && state.claim.expiresAt >= now)) return undefined;
      state.claim = { token, expiresAt };
      return { email: state.email };
    },
    async release(_, token) {
      if (state.claim?.token === token) state.claim = undefined;
    },
    async markSent(_, token) {
      if (state.claim?.token !== token) return;
      state.deliveryEmail = 'SENT';
      state.claim = undefined;
    },
  };
  return { outbox, state };
};

const recordingSender = (failures = 0): EmailSender & { sent: Email[] } => {
  const sent: Email[] = [];
  let toFail = failures;
  return {
    sent,
    async send(email) {
      if (toFail > 0) {
        toFail -= 1;
        throw new NotificationUnavailableError(`email "${email.subject}" not published: SNS.InternalErrorException`);
      }
      sent.push(email);
    },
  };
};

const LEASE_MS = 30_000;
const input = { orderId: 'ord_1', event: { occurredAt: '2026-12-01T15:00:00.000Z' } };
let tokens = 0;
const nextToken = () => `claim-${(tokens += 1)}`;
const at = (iso: string) => () => new Date(iso);

describe('sendDeliveryEmail', () => {
  it('sends the pending delivery email to the order\'s address, and nothing is pending after', async () => {
    // Prepare
    const { outbox, state } = memoryOutbox({ status: 'DELIVERED', deliveryEmail: 'PENDING', email: 'ada@example.com' });
    const sender = recordingSender();

    // Act
    const result = await sendDeliveryEmail(outbox, sender, LEASE_MS, nextToken)(input);

    // Assess
    expect(result).toEqual({ sent: true });
    expect(sender.sent).toEqual([{ to: 'ada@example.com', subject: 'Your order ord_1 has been delivered', text: 'Your order ord_1 was delivered at 2026-12-01T15:00:00.000Z. Thank you for shopping with us.' }]);
    expect(state.deliveryEmail).toBe('SENT');
  });

  it('sends nothing the second time (a redelivery after the email went out)', async () => {
    // Prepare
    const { outbox } = memoryOutbox({ status: 'DELIVERED', deliveryEmail: 'PENDING', email: 'ada@example.com' });
    const sender = recordingSender();
    const send = sendDeliveryEmail(outbox, sender, LEASE_MS, nextToken);

    // Act
    const results = [await send(input), await send(input)];

    // Assess
    expect(results).toEqual([{ sent: true }, { sent: false }]);
    expect(sender.sent).toHaveLength(1);
  });

  it.each([
    ['an order not DELIVERED (the carrier was quicker than fulfilment)', { status: 'PROCESSING', email: 'ada@example.com' }],
    ['an order delivered before the outbox was kept (nothing pending)', { status: 'DELIVERED', email: 'ada@example.com' }],
  ])('sends nothing for %s', async (_, row) => {
    // Prepare
    const sender = recordingSender();

    // Act
    const result = await sendDeliveryEmail(memoryOutbox(row).outbox, sender, LEASE_MS, nextToken)(input);

    // Assess
    expect(result).toEqual({ sent: false });
    expect(sender.sent).toEqual([]);
  });

  it('gives the email back when it could not be sent, so the next attempt (or a redelivery) sends it once', async () => {
    // Prepare
    const { outbox, state } = memoryOutbox({ status: 'DELIVERED', deliveryEmail: 'PENDING', email: 'ada@example.com' });
    const sender = recordingSender(1);
    const send = sendDeliveryEmail(outbox, sender, LEASE_MS, nextToken);

    // Act
    const error = await rejectionOf(() => send(input));
    const pendingAfterFailure = state.deliveryEmail;
    const retried = await send(input);

    // Assess
    expect(error).toBeInstanceOf(NotificationUnavailableError);
    expect(pendingAfterFailure).toBe('PENDING');
    expect(retried).toEqual({ sent: true });
    expect(sender.sent).toHaveLength(1);
  });

  it('leaves an email another sender has claimed to it while its lease runs, and takes it over once the lease ran out (that sender died)', async () => {
    // Prepare
    const { outbox } = memoryOutbox({ status: 'DELIVERED', deliveryEmail: 'PENDING', email: 'ada@example.com' });
    await outbox.claim('ord_1', { token: 'dead-sender', now: new Date('2026-12-01T15:00:00.000Z'), expiresAt: new Date('2026-12-01T15:00:30.000Z') });
    const sender = recordingSender();

    // Act
    const within = await sendDeliveryEmail(outbox, sender, LEASE_MS, nextToken, at('2026-12-01T15:00:10.000Z'))(input);
    const after = await sendDeliveryEmail(outbox, sender, LEASE_MS, nextToken, at('2026-12-01T15:00:31.000Z'))(input);

    // Assess
    expect([within, after]).toEqual([{ sent: false }, { sent: true }]);
    expect(sender.sent).toHaveLength(1);
  });
});
