import { PaymentDeclinedError, PaymentGatewayUnavailableError } from '../../functions/shared/errors.js';
import { simulatedPaymentGateway } from '../../functions/shared/payments/payment-gateway.js';
import { AMOUNT, ORDER_ID, OTHER_ORDER_ID, rejectionOf } from './support/payments.js';

const REFUND_ID = /^re_[a-f0-9]{24}$/;

describe('simulatedPaymentGateway', () => {
  describe('refund', () => {
    it('answers with the same refund id for an order however often, and whatever the amount', async () => {
      // Prepare
      const gateway = simulatedPaymentGateway();

      // Act
      const first = await gateway.refund(ORDER_ID, AMOUNT);
      const again = await gateway.refund(ORDER_ID, { amount: 1, currency: 'EUR' });

      // Assess
      expect(first.refundId).toMatch(REFUND_ID);
      expect(again).toEqual(first);
    });

    it('answers with different refund ids for different orders', async () => {
      // Prepare
      const gateway = simulatedPaymentGateway();

      // Act
      const first = await gateway.refund(ORDER_ID, AMOUNT);
      const other = await gateway.refund(OTHER_ORDER_ID, AMOUNT);

      // Assess
      expect(other.refundId).toMatch(REFUND_ID);
      expect(other.refundId).not.toBe(first.refundId);
    });
  });

  describe('refund during an outage (the demo switch)', () => {
    it('fails refunds transiently while its refunds are down, and refunds the same once they are up', async () => {
      // Prepare
      let down = true;
      const gateway = simulatedPaymentGateway({ refundsDown: async () => down });

      // Act
      const during = await rejectionOf(() => gateway.refund(ORDER_ID, AMOUNT));
      down = false;
      const after = await gateway.refund(ORDER_ID, AMOUNT);

      // Assess
      expect(during).toBeInstanceOf(PaymentGatewayUnavailableError);
      expect(after).toEqual(await simulatedPaymentGateway().refund(ORDER_ID, AMOUNT));
    });

    it('keeps charging while its refunds are down', async () => {
      // Prepare
      const gateway = simulatedPaymentGateway({ refundsDown: async () => true });

      // Act
      const charged = await gateway.charge({ orderId: ORDER_ID, paymentToken: 'tok_visa', amount: AMOUNT, attempt: 1 });

      // Assess
      expect(charged.chargeId).toMatch(/^ch_/);
    });
  });

  describe('charge', () => {
    it('answers with the same charge id for an order on every attempt', async () => {
      // Prepare
      const gateway = simulatedPaymentGateway();

      // Act
      const first = await gateway.charge({ orderId: ORDER_ID, paymentToken: 'tok_visa', amount: AMOUNT, attempt: 1 });
      const again = await gateway.charge({ orderId: ORDER_ID, paymentToken: 'tok_visa', amount: AMOUNT, attempt: 2 });

      // Assess
      expect(first.chargeId).toMatch(/^ch_[a-f0-9]{24}$/);
      expect(again).toEqual(first);
    });

    it.each([
      ['tok_declined', 'PaymentDeclined', PaymentDeclinedError],
      ['tok_something_else', 'PaymentDeclined', PaymentDeclinedError],
      ['tok_gateway_down', 'PaymentGatewayUnavailable', PaymentGatewayUnavailableError],
    ])('refuses %s with %s', async (paymentToken, _name, expected) => {
      // Prepare
      const gateway = simulatedPaymentGateway();

      // Act
      const error = await rejectionOf(() => gateway.charge({ orderId: ORDER_ID, paymentToken, amount: AMOUNT, attempt: 1 }));

      // Assess
      expect(error).toBeInstanceOf(expected);
    });
  });
});
