import {
  ChargeVoidedError,
  PaymentDeclinedError,
  PaymentGatewayUnavailableError,
} from '../../functions/shared/errors.js';
import { chargePayment } from '../../functions/shared/payments/charge.js';
import { refundPayment, type RefundResult } from '../../functions/shared/payments/refund.js';
import { AMOUNT, InMemoryPaymentLedger, ORDER_ID, OTHER_ORDER_ID, rejectionOf, spyGateway } from './support/payments.js';

const CHARGE_ID = /^ch_[a-f0-9]{24}$/;
const REFUND_ID = /^re_[a-f0-9]{24}$/;

const chargeInput = (paymentToken = 'tok_visa') => ({ orderId: ORDER_ID, amount: AMOUNT, paymentToken });

describe('chargePayment', () => {
  describe('a good card', () => {
    it('charges the gateway, records the capture and returns the charge id', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();

      // Act
      const result = await chargePayment(ledger, gateway)(chargeInput());

      // Assess
      expect(result).toEqual({ orderId: ORDER_ID, chargeId: expect.stringMatching(CHARGE_ID) as string, amount: AMOUNT, attempts: 1 });
      expect(charges).toEqual([{ orderId: ORDER_ID, paymentToken: 'tok_visa', amount: AMOUNT, attempt: 1 }]);
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(), orderId: ORDER_ID, status: 'CAPTURED', amount: AMOUNT, attempts: 1, chargeId: result.chargeId });
    });

    it('charges once per order however often the step is retried', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);

      // Act
      const results = [await charge(chargeInput()), await charge(chargeInput()), await charge(chargeInput())];

      // Assess
      expect(charges).toHaveLength(1);
      expect(new Set(results.map(({ chargeId }) => chargeId)).size).toBe(1);
      expect((await ledger.get(ORDER_ID))?.status).toBe('CAPTURED');
    });

    it('answers a retry after the capture with the same charge id without calling the gateway', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);
      const first = await charge(chargeInput());

      // Act
      const retry = await charge(chargeInput());

      // Assess
      expect(retry.chargeId).toBe(first.chargeId);
      expect(retry.amount).toEqual(AMOUNT);
      expect(retry.attempts).toBe(2);
      expect(charges).toHaveLength(1);
    });

    it('answers a retry with the amount that was captured, even if the retry asks for another', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);
      await charge(chargeInput());

      // Act
      const retry = await charge({ ...chargeInput(), amount: { amount: 1, currency: 'EUR' } });

      // Assess
      expect(retry.amount).toEqual(AMOUNT);
      expect(charges).toHaveLength(1);
    });

    it('keeps the charges of different orders apart', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);

      // Act
      const first = await charge(chargeInput());
      const second = await charge({ ...chargeInput(), orderId: OTHER_ORDER_ID });

      // Assess
      expect(charges).toHaveLength(2);
      expect(second.chargeId).not.toBe(first.chargeId);
    });
  });

  describe('a declined card', () => {
    it.each(['tok_declined', 'tok_unknown'])('records DECLINED and throws PaymentDeclined for %s', async (token) => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway } = spyGateway();

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, gateway)(chargeInput(token)));

      // Assess
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect((error as Error).name).toBe('PaymentDeclined');
      expect((await ledger.get(ORDER_ID))?.status).toBe('DECLINED');
    });

    it('throws PaymentDeclined again on a retry without calling the gateway', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);
      await rejectionOf(() => charge(chargeInput('tok_declined')));

      // Act
      const error = await rejectionOf(() => charge(chargeInput('tok_declined')));

      // Assess
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(charges).toHaveLength(1);
      expect((await ledger.get(ORDER_ID))?.status).toBe('DECLINED');
    });

    it('does not charge a declined order even when the retry brings a good card', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);
      await rejectionOf(() => charge(chargeInput('tok_declined')));

      // Act
      const error = await rejectionOf(() => charge(chargeInput('tok_visa')));

      // Assess
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(charges).toHaveLength(1);
    });
  });

  describe('an unreachable gateway', () => {
    it('fails tok_flaky with PaymentGatewayUnavailable on attempts 1 and 2 and captures on attempt 3', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);

      // Act
      const first = await rejectionOf(() => charge(chargeInput('tok_flaky')));
      const statusAfterFirst = (await ledger.get(ORDER_ID))?.status;
      const second = await rejectionOf(() => charge(chargeInput('tok_flaky')));
      const third = await charge(chargeInput('tok_flaky'));

      // Assess
      expect(first).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect((first as Error).name).toBe('PaymentGatewayUnavailable');
      expect(statusAfterFirst).toBe('PENDING');
      expect(second).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(third).toEqual({ orderId: ORDER_ID, chargeId: expect.stringMatching(CHARGE_ID) as string, amount: AMOUNT, attempts: 3 });
      expect(charges.map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
      expect(await ledger.get(ORDER_ID)).toMatchObject({ status: 'CAPTURED', attempts: 3, chargeId: third.chargeId });
    });

    it('keeps failing tok_gateway_down and leaves the row PENDING, never DECLINED', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges } = spyGateway();
      const charge = chargePayment(ledger, gateway);

      // Act
      const errors = [];
      for (let attempt = 1; attempt <= 5; attempt += 1) errors.push(await rejectionOf(() => charge(chargeInput('tok_gateway_down'))));

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(charges.map(({ attempt }) => attempt)).toEqual([1, 2, 3, 4, 5]);
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(), orderId: ORDER_ID, status: 'PENDING', amount: AMOUNT, attempts: 5 });
    });
  });

  describe('after a step that died before recording the capture', () => {
    it('records the capture on the retry without charging the customer twice', async () => {
      // Prepare: the gateway captures, then the Lambda dies before PENDING -> CAPTURED.
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      const charge = chargePayment(ledger, spy.gateway);
      ledger.beforeTransition = async (_orderId, _from, to) => {
        if (to === 'CAPTURED') throw new Error('Task timed out after 6.00 seconds');
      };
      await rejectionOf(() => charge(chargeInput()));
      ledger.beforeTransition = undefined;

      // Act
      const retry = await charge(chargeInput());

      // Assess
      expect(spy.charges.map(({ attempt }) => attempt)).toEqual([1, 2]);
      expect(retry.chargeId).toMatch(CHARGE_ID);
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(), orderId: ORDER_ID, status: 'CAPTURED', amount: AMOUNT, attempts: 2, chargeId: retry.chargeId });
      expect(spy.refunds).toEqual([]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(true);
    });
  });

  describe('after compensation', () => {
    it('refuses with ChargeVoided, without calling the gateway, when the refund ran before any charge', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges, refunds } = spyGateway();
      await refundPayment(ledger, gateway)({ orderId: ORDER_ID, amount: AMOUNT });

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, gateway)(chargeInput()));

      // Assess
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect((error as Error).name).toBe('ChargeVoided');
      expect(charges).toEqual([]);
      expect(refunds).toEqual([]);
      expect((await ledger.get(ORDER_ID))?.status).toBe('VOIDED');
    });

    it('refuses with ChargeVoided, without calling the gateway, after the capture was refunded', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, charges, refunds } = spyGateway();
      const charge = chargePayment(ledger, gateway);
      await charge(chargeInput());
      await refundPayment(ledger, gateway)({ orderId: ORDER_ID, amount: AMOUNT });

      // Act
      const error = await rejectionOf(() => charge(chargeInput()));

      // Assess
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect(charges).toHaveLength(1);
      expect(refunds).toHaveLength(1);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });

    it('completes a refund left REFUNDING and throws ChargeVoided, without charging', async () => {
      // Prepare: a refund was started and its step died before the gateway answered.
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      ledger.seed({ orderId: ORDER_ID, status: 'REFUNDING', amount: AMOUNT, attempts: 1, chargeId: 'ch_earlier' });

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, spy.gateway)({ ...chargeInput(), amount: { amount: 1, currency: 'EUR' } }));

      // Assess
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect(spy.charges).toEqual([]);
      expect(spy.refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(),
        orderId: ORDER_ID, status: 'REFUNDED', amount: AMOUNT, attempts: 2, chargeId: 'ch_earlier', refundId: expect.stringMatching(REFUND_ID) as string,
      });
    });

    it('leaves a REFUNDING row REFUNDING and throws PaymentGatewayUnavailable when the gateway cannot refund, so the retry can finish', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway({ failingRefunds: 1 });
      ledger.seed({ orderId: ORDER_ID, status: 'REFUNDING', amount: AMOUNT, attempts: 1 });
      const charge = chargePayment(ledger, spy.gateway);

      // Act
      const first = await rejectionOf(() => charge(chargeInput()));
      const statusAfterFirst = (await ledger.get(ORDER_ID))?.status;
      const retry = await rejectionOf(() => charge(chargeInput()));

      // Assess
      expect(first).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(statusAfterFirst).toBe('REFUNDING');
      expect(retry).toBeInstanceOf(ChargeVoidedError);
      expect(spy.charges).toEqual([]);
      expect(spy.succeededRefunds).toEqual([ORDER_ID]);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });
  });

  describe('racing compensation', () => {
    it('refunds its capture and throws ChargeVoided when compensation refunded the order while the gateway call was in flight', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      let compensation: RefundResult | undefined;
      const spy = spyGateway({
        afterCapture: async () => {
          compensation = await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });
        },
      });

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, spy.gateway)(chargeInput()));

      // Assess
      expect(compensation).toEqual({ orderId: ORDER_ID, outcome: 'REFUNDED', previousStatus: 'PENDING', refundId: expect.stringMatching(REFUND_ID) as string });
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect((error as Error).message).toMatch(/refunded ch_[a-f0-9]{24}$/);
      expect(spy.charges).toHaveLength(1);
      expect(spy.refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }, { orderId: ORDER_ID, amount: AMOUNT }]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect(await ledger.get(ORDER_ID)).toMatchObject({ status: 'REFUNDED', refundId: compensation?.refundId });
      expect((await ledger.get(ORDER_ID))?.chargeId).toBeUndefined();
    });

    it('refunds its capture when compensation asked the gateway before the capture existed', async () => {
      // Prepare: compensation reaches the gateway first, when there is nothing to refund yet.
      const ledger = new InMemoryPaymentLedger();
      let compensation: RefundResult | undefined;
      const spy = spyGateway({
        beforeCapture: async () => {
          compensation = await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });
        },
      });

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, spy.gateway)(chargeInput()));

      // Assess
      expect(compensation).toMatchObject({ outcome: 'REFUNDED', previousStatus: 'PENDING' });
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect(spy.succeededRefunds).toEqual([ORDER_ID, ORDER_ID]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });

    it('does not charge or refund again after that race, however often the step is retried', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      let raced = false;
      const spy = spyGateway({
        afterCapture: async () => {
          if (raced) return;
          raced = true;
          await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });
        },
      });
      const charge = chargePayment(ledger, spy.gateway);
      await rejectionOf(() => charge(chargeInput()));
      const refundCallsAfterRace = spy.refunds.length;

      // Act
      const retries = [await rejectionOf(() => charge(chargeInput())), await rejectionOf(() => charge(chargeInput()))];

      // Assess
      for (const retry of retries) expect(retry).toBeInstanceOf(ChargeVoidedError);
      expect(spy.charges).toHaveLength(1);
      expect(refundCallsAfterRace).toBe(2);
      expect(spy.refunds).toHaveLength(refundCallsAfterRace);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });

    it('refunds its capture on the step retry when its own refund fails at the gateway', async () => {
      // Prepare: compensation refunds before the capture exists (a no-op), then the charge's own
      // refund hits an unreachable gateway; the workflow retries ChargePayment on PaymentGatewayUnavailable.
      const ledger = new InMemoryPaymentLedger();
      let raced = false;
      const spy = spyGateway({
        beforeCapture: async () => {
          if (raced) return;
          raced = true;
          await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });
          spy.failNextRefunds(1);
        },
      });
      const charge = chargePayment(ledger, spy.gateway);
      const first = await rejectionOf(() => charge(chargeInput()));
      const statusAfterFirst = (await ledger.get(ORDER_ID))?.status;
      const heldAfterFirst = spy.holdsMoneyFor(ORDER_ID);

      // Act: the retry, and compensation running again for good measure.
      const retry = await rejectionOf(() => charge(chargeInput()));
      const compensationAgain = await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });

      // Assess
      expect(first).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(statusAfterFirst).toBe('REFUNDING');
      expect(heldAfterFirst).toBe(true);
      expect(retry).toBeInstanceOf(ChargeVoidedError);
      expect(compensationAgain).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_REFUND', previousStatus: 'REFUNDED' });
      expect(spy.charges).toHaveLength(1);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });

    it('refunds its capture itself when the racing compensation fails at the gateway', async () => {
      // Prepare: compensation's refund hits an unreachable gateway (its step would be retried later).
      const ledger = new InMemoryPaymentLedger();
      let compensationError: unknown;
      const spy = spyGateway({
        failingRefunds: 1,
        afterCapture: async () => {
          compensationError = await rejectionOf(() => refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT }));
        },
      });

      // Act
      const error = await rejectionOf(() => chargePayment(ledger, spy.gateway)(chargeInput()));
      const compensationRetry = await refundPayment(ledger, spy.gateway)({ orderId: ORDER_ID, amount: AMOUNT });

      // Assess
      expect(compensationError).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(error).toBeInstanceOf(ChargeVoidedError);
      expect(compensationRetry).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_REFUND', previousStatus: 'REFUNDED' });
      expect(spy.succeededRefunds).toEqual([ORDER_ID]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });
  });

  describe('racing another attempt of the same step', () => {
    it('keeps the money a concurrent attempt captured and recorded, instead of refunding it behind a CAPTURED row', async () => {
      // Prepare: attempt 1 is still waiting on the gateway when Step Functions retries the task
      // (Lambda.SdkClientException is retried while the first invocation may still run); attempt 2
      // captures (the gateway is idempotent per order) and records CAPTURED before attempt 1 resumes.
      const ledger = new InMemoryPaymentLedger();
      let secondAttempt: unknown;
      let overlapped = false;
      const spy = spyGateway({
        afterCapture: async () => {
          if (overlapped) return;
          overlapped = true;
          secondAttempt = await chargePayment(ledger, spy.gateway)(chargeInput());
        },
      });

      // Act: attempt 1; whatever it returns or throws goes nowhere, as its caller has moved on.
      await chargePayment(ledger, spy.gateway)(chargeInput()).catch((error: unknown) => error);

      // Assess
      expect(secondAttempt).toMatchObject({ orderId: ORDER_ID, chargeId: expect.stringMatching(CHARGE_ID) as string });
      expect((await ledger.get(ORDER_ID))?.status).toBe('CAPTURED');
      expect(spy.refunds).toEqual([]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(true);
    });
  });
});
