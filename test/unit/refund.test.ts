import { PaymentGatewayUnavailableError } from '../../functions/shared/errors.js';
import { chargePayment } from '../../functions/shared/payments/charge.js';
import { simulatedPaymentGateway, type PaymentGateway } from '../../functions/shared/payments/payment-gateway.js';
import type { PaymentLedger, PaymentStatus } from '../../functions/shared/payments/payment-ledger.js';
import { refundPayment } from '../../functions/shared/payments/refund.js';
import { AMOUNT, InMemoryPaymentLedger, ORDER_ID, rejectionOf, spyGateway } from './support/payments.js';

const REFUND_ID = /^re_[a-f0-9]{24}$/;

const refundInput = { orderId: ORDER_ID, amount: AMOUNT };

describe('refundPayment', () => {
  it('refunds the attempt its payment key names and leaves the order\'s other attempts alone', async () => {
    // Prepare
    const ledger = new InMemoryPaymentLedger();
    const { gateway } = spyGateway();
    const charge = chargePayment(ledger, gateway);
    await charge({ orderId: ORDER_ID, amount: AMOUNT, paymentToken: 'tok_visa' });
    await charge({ orderId: `${ORDER_ID}/backorder`, amount: AMOUNT, paymentToken: 'tok_visa' });

    // Act
    const result = await refundPayment(ledger, gateway)({ ...refundInput, paymentKey: `${ORDER_ID}/backorder` });

    // Assess
    expect(result).toMatchObject({ orderId: `${ORDER_ID}/backorder`, outcome: 'REFUNDED', previousStatus: 'CAPTURED' });
    expect((await ledger.get(`${ORDER_ID}/backorder`))?.status).toBe('REFUNDED');
    expect((await ledger.get(ORDER_ID))?.status).toBe('CAPTURED');
  });

  describe('before any charge', () => {
    it('writes a VOIDED tombstone without asking the gateway', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();

      // Act
      const result = await refundPayment(ledger, gateway)(refundInput);

      // Assess
      expect(result).toEqual({ orderId: ORDER_ID, outcome: 'VOIDED', previousStatus: 'ABSENT' });
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(), orderId: ORDER_ID, status: 'VOIDED', attempts: 0, amount: AMOUNT });
      expect(refunds).toEqual([]);
    });

    it('leaves a tombstone alone when compensation runs again', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      const refund = refundPayment(ledger, gateway);
      await refund(refundInput);

      // Act
      const again = await refund(refundInput);

      // Assess
      expect(again).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_REFUND', previousStatus: 'VOIDED' });
      expect((await ledger.get(ORDER_ID))?.status).toBe('VOIDED');
      expect(refunds).toEqual([]);
    });

    it('reads the row again and asks the gateway when a charge attempt was recorded between its read and its tombstone', async () => {
      // Prepare: the row is absent when compensation reads it; a charge attempt lands before the tombstone.
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      ledger.beforeTransition = async (orderId, _from, to) => {
        if (to !== 'VOIDED') return;
        ledger.beforeTransition = undefined;
        await ledger.recordAttempt(orderId, AMOUNT);
      };

      // Act
      const result = await refundPayment(ledger, gateway)(refundInput);

      // Assess
      expect(result).toMatchObject({ outcome: 'REFUNDED', previousStatus: 'PENDING' });
      expect(refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });
  });

  describe('a PENDING attempt', () => {
    it('asks the gateway, because the attempt may have captured, even when the gateway never answered it', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      await rejectionOf(() => chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_gateway_down' }));

      // Act
      const result = await refundPayment(ledger, spy.gateway)(refundInput);

      // Assess
      expect(result).toEqual({ orderId: ORDER_ID, outcome: 'REFUNDED', previousStatus: 'PENDING', refundId: expect.stringMatching(REFUND_ID) as string });
      expect(spy.refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
      expect(await ledger.get(ORDER_ID)).toEqual({ updatedAt: ledger.now.toISOString(), orderId: ORDER_ID, status: 'REFUNDED', amount: AMOUNT, attempts: 1, refundId: result.refundId });
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
    });

    it('refunds what the gateway captured when the charge step died before recording the capture', async () => {
      // Prepare: the gateway charges, then the Lambda dies (timeout, DynamoDB error) before PENDING -> CAPTURED;
      // the workflow does not retry that failure and goes straight to compensation.
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      ledger.beforeTransition = async (_orderId, _from, to) => {
        if (to === 'CAPTURED') throw new Error('Task timed out after 6.00 seconds');
      };
      await rejectionOf(() => chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_visa' }));
      ledger.beforeTransition = undefined;
      const heldBeforeCompensation = spy.holdsMoneyFor(ORDER_ID);

      // Act
      const result = await refundPayment(ledger, spy.gateway)(refundInput);

      // Assess
      expect(spy.charges).toHaveLength(1);
      expect(heldBeforeCompensation).toBe(true);
      expect(result).toMatchObject({ outcome: 'REFUNDED', previousStatus: 'PENDING' });
      expect(spy.succeededRefunds).toEqual([ORDER_ID]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });
  });

  describe('a CAPTURED charge', () => {
    it('refunds it through the gateway by order and records the refund id', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      const { chargeId } = await chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_visa' });
      const { refundId: simulatorRefundId } = await simulatedPaymentGateway().refund(ORDER_ID, AMOUNT);

      // Act
      const result = await refundPayment(ledger, spy.gateway)(refundInput);

      // Assess
      expect(spy.refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
      expect(result).toEqual({ orderId: ORDER_ID, outcome: 'REFUNDED', previousStatus: 'CAPTURED', refundId: simulatorRefundId });
      expect(await ledger.get(ORDER_ID)).toMatchObject({ status: 'REFUNDED', chargeId, refundId: simulatorRefundId });
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
    });

    it('marks the row REFUNDING before it asks the gateway', async () => {
      // Prepare: a gateway that notes the row's status at the moment it is asked to refund.
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway();
      await chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_visa' });
      const statusesAtRefund: (PaymentStatus | undefined)[] = [];
      const observing: PaymentGateway = {
        charge: (request) => spy.gateway.charge(request),
        async refund(orderId, amount) {
          statusesAtRefund.push((await ledger.get(orderId))?.status);
          return spy.gateway.refund(orderId, amount);
        },
      };

      // Act
      await refundPayment(ledger, observing)(refundInput);

      // Assess
      expect(statusesAtRefund).toEqual(['REFUNDING']);
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDED');
    });

    it('refunds the amount that was captured, not the amount compensation was given', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      await chargePayment(ledger, gateway)({ ...refundInput, paymentToken: 'tok_visa' });

      // Act
      await refundPayment(ledger, gateway)({ orderId: ORDER_ID, amount: { amount: 1, currency: 'EUR' } });

      // Assess
      expect(refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
    });

    it('refunds once however often compensation runs', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      await chargePayment(ledger, gateway)({ ...refundInput, paymentToken: 'tok_visa' });
      const refund = refundPayment(ledger, gateway);

      // Act
      const first = await refund(refundInput);
      const second = await refund(refundInput);
      const third = await refund(refundInput);

      // Assess
      expect(first.outcome).toBe('REFUNDED');
      expect(second).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_REFUND', previousStatus: 'REFUNDED' });
      expect(third).toEqual(second);
      expect(refunds).toHaveLength(1);
    });

    it('reads the row again and refunds when the charge captured between its read and its REFUNDING mark', async () => {
      // Prepare: the row is PENDING when compensation reads it; the charge lands before the mark.
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      ledger.seed({ orderId: ORDER_ID, status: 'PENDING', amount: AMOUNT, attempts: 1 });
      ledger.beforeTransition = async (orderId, from, to) => {
        if (to !== 'REFUNDING') return;
        ledger.beforeTransition = undefined;
        await ledger.transition(orderId, from, 'CAPTURED', { chargeId: 'ch_landed' });
      };

      // Act
      const result = await refundPayment(ledger, gateway)(refundInput);

      // Assess
      expect(result).toMatchObject({ outcome: 'REFUNDED', previousStatus: 'CAPTURED' });
      expect(refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
      expect(await ledger.get(ORDER_ID)).toMatchObject({ status: 'REFUNDED', chargeId: 'ch_landed' });
    });
  });

  describe('a refund the gateway could not complete', () => {
    it('leaves the row REFUNDING and throws PaymentGatewayUnavailable so the step is retried', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway({ failingRefunds: 1 });
      await chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_visa' });

      // Act
      const error = await rejectionOf(() => refundPayment(ledger, spy.gateway)(refundInput));

      // Assess
      expect(error).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect((error as Error).name).toBe('PaymentGatewayUnavailable');
      expect((await ledger.get(ORDER_ID))?.status).toBe('REFUNDING');
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(true);
    });

    it('completes it to REFUNDED on the retry, with one successful gateway refund', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const spy = spyGateway({ failingRefunds: 1 });
      await chargePayment(ledger, spy.gateway)({ ...refundInput, paymentToken: 'tok_visa' });
      const refund = refundPayment(ledger, spy.gateway);
      await rejectionOf(() => refund(refundInput));

      // Act
      const retry = await refund(refundInput);

      // Assess
      expect(retry).toEqual({ orderId: ORDER_ID, outcome: 'REFUNDED', previousStatus: 'REFUNDING', refundId: expect.stringMatching(REFUND_ID) as string });
      expect(spy.refunds).toHaveLength(2);
      expect(spy.succeededRefunds).toEqual([ORDER_ID]);
      expect(spy.holdsMoneyFor(ORDER_ID)).toBe(false);
      expect(await ledger.get(ORDER_ID)).toMatchObject({ status: 'REFUNDED', refundId: retry.refundId });
    });

    it('refunds the amount on the row when it completes a REFUNDING row', async () => {
      // Prepare
      const ledger = new InMemoryPaymentLedger();
      const { gateway, refunds } = spyGateway();
      ledger.seed({ orderId: ORDER_ID, status: 'REFUNDING', amount: AMOUNT, attempts: 1 });

      // Act
      await refundPayment(ledger, gateway)({ orderId: ORDER_ID, amount: { amount: 1, currency: 'EUR' } });

      // Assess
      expect(refunds).toEqual([{ orderId: ORDER_ID, amount: AMOUNT }]);
    });
  });

  it('has nothing to refund for a declined payment, and does not ask the gateway', async () => {
    // Prepare
    const ledger = new InMemoryPaymentLedger();
    const { gateway, refunds } = spyGateway();
    await rejectionOf(() => chargePayment(ledger, gateway)({ ...refundInput, paymentToken: 'tok_declined' }));

    // Act
    const result = await refundPayment(ledger, gateway)(refundInput);

    // Assess
    expect(result).toEqual({ orderId: ORDER_ID, outcome: 'NOTHING_TO_REFUND', previousStatus: 'DECLINED' });
    expect((await ledger.get(ORDER_ID))?.status).toBe('DECLINED');
    expect(refunds).toEqual([]);
  });

  it('gives up with an error when the row keeps changing under it', async () => {
    // Prepare: the row always reads PENDING, and every REFUNDING mark loses to another writer.
    const { gateway, refunds } = spyGateway();
    let reads = 0;
    const flapping: PaymentLedger = {
      async get(orderId) {
        reads += 1;
        return { orderId, status: 'PENDING', amount: AMOUNT, attempts: 1 };
      },
      async recordAttempt() {
        throw new Error('compensation never records an attempt');
      },
      async transition() {
        return false;
      },
      async listRefundsOwed() {
        return [];
      },
    };

    // Act
    const error = await rejectionOf(() => refundPayment(flapping, gateway)(refundInput));

    // Assess
    expect((error as Error).message).toBe(`payment row for ${ORDER_ID} kept changing; giving up after 5 reads`);
    expect(reads).toBe(5);
    expect(refunds).toEqual([]);
  });
});
