import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chargeOrder, dynamoDbPaymentTokens, PaymentTokenMissingError, type PaymentTokens } from '../../functions/shared/payments/payment-tokens.js';
import type { ChargeInput } from '../../functions/shared/payments/charge.js';
import { rejectionOf } from './support/rejection.js';
import { AMOUNT, ORDER_ID } from './support/payments.js';

const fakeDb = (item: Record<string, unknown> | undefined) => {
  const sent: unknown[] = [];
  const client = { send: async (command: { input: unknown }) => { sent.push(command.input); return { Item: item }; } } as unknown as DynamoDBDocumentClient;
  return { client, sent };
};

describe('chargeOrder', () => {
  it('charges with the token kept on the order, which the workflow never carries', async () => {
    // Prepare
    const tokens: PaymentTokens = { tokenFor: async (orderId) => (orderId === ORDER_ID ? 'tok_flaky' : 'tok_other') };
    const charged: ChargeInput[] = [];
    const charge = chargeOrder(tokens, async (input) => {
      charged.push(input);
      return { orderId: input.orderId, chargeId: 'ch_1', amount: input.amount, attempts: 1 };
    });

    // Act
    const result = await charge({ orderId: ORDER_ID, amount: AMOUNT });

    // Assess
    expect(charged).toEqual([{ orderId: ORDER_ID, amount: AMOUNT, paymentToken: 'tok_flaky' }]);
    expect(result.chargeId).toBe('ch_1');
  });

  it('charges a later attempt under its own payment key, with the order\'s token', async () => {
    // Prepare
    const tokens: PaymentTokens = { tokenFor: async (orderId) => (orderId === ORDER_ID ? 'tok_visa' : 'tok_other') };
    const charged: ChargeInput[] = [];
    const charge = chargeOrder(tokens, async (input) => {
      charged.push(input);
      return { orderId: input.orderId, chargeId: 'ch_2', amount: input.amount, attempts: 1 };
    });

    // Act
    await charge({ orderId: ORDER_ID, amount: AMOUNT, paymentKey: `${ORDER_ID}/backorder` });

    // Assess
    expect(charged).toEqual([{ orderId: `${ORDER_ID}/backorder`, amount: AMOUNT, paymentToken: 'tok_visa' }]);
  });
});

describe('dynamoDbPaymentTokens', () => {
  it('reads only the token attribute of the order, consistently', async () => {
    const { client, sent } = fakeDb({ paymentToken: 'tok_visa' });

    const token = await dynamoDbPaymentTokens(client, 'orders').tokenFor(ORDER_ID);

    expect(token).toBe('tok_visa');
    expect(sent).toEqual([{ TableName: 'orders', Key: { orderId: ORDER_ID }, ProjectionExpression: 'paymentToken', ConsistentRead: true }]);
  });

  it('fails with PaymentTokenMissing for an order without a token', async () => {
    const { client } = fakeDb(undefined);

    const error = await rejectionOf(() => dynamoDbPaymentTokens(client, 'orders').tokenFor(ORDER_ID));

    expect(error).toBeInstanceOf(PaymentTokenMissingError);
    expect((error as Error).name).toBe('PaymentTokenMissing');
  });
});
