import { rejectionOf } from './support/rejection.js';
import { BadRequestError, OrderNotFoundError } from '../../functions/shared/errors.js';
import type { Order } from '../../functions/shared/orders/order.js';
import { getOrder, toOrderView, type OrderReader, type OrderRow, type ShipmentTrackingRow } from '../../functions/shared/orders/order-view.js';

const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';

const order: Order = {
  orderId: ORDER_ID,
  customerId: 'cust_42',
  email: 'ada@example.com',
  items: [{ sku: 'KB-01', name: 'Keyboard', quantity: 2, unitPrice: { amount: 12900, currency: 'EUR' }, lineTotal: { amount: 25800, currency: 'EUR' } }],
  total: { amount: 25800, currency: 'EUR' },
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  placedAt: '2026-03-04T05:06:07.089Z',
};

const placedRow = (changes: Partial<OrderRow> = {}): OrderRow => ({
  orderId: ORDER_ID,
  status: 'PLACED',
  document: JSON.stringify(order),
  placedAt: order.placedAt,
  ...changes,
});

/** A reader over a fixed set of rows that records which ids it was asked for. */
const fakeReader = (rows: OrderRow[], tracking: Record<string, ShipmentTrackingRow> = {}): OrderReader & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    async find(orderId) {
      asked.push(orderId);
      return rows.find((row) => row.orderId === orderId);
    },
    async findShipmentTracking(orderId) {
      return tracking[orderId];
    },
  };
};


describe('getOrder', () => {
  it.each([
    ['a missing id', undefined],
    ['an empty id', ''],
    ['an id without the prefix', '0123456789abcdef0123456789abcdef'],
    ['upper-case hex', 'ord_0123456789ABCDEF0123456789ABCDEF'],
    ['31 hex digits', 'ord_0123456789abcdef0123456789abcde'],
    ['33 hex digits', 'ord_0123456789abcdef0123456789abcdef0'],
    ['a non-hex letter', 'ord_0123456789abcdef0123456789abcdeg'],
    ['trailing whitespace', `${ORDER_ID} `],
    ['a path traversal', '../ord_0123456789abcdef0123456789abcdef'],
  ])('refuses %s with BadRequestError InvalidOrderId without reading the table', async (_, orderId) => {
    // Prepare
    const reader = fakeReader([placedRow()]);

    // Act
    const error = await rejectionOf(() => getOrder(reader)(orderId, order.customerId));

    // Assess
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).name).toBe('InvalidOrderId');
    expect(reader.asked).toEqual([]);
  });

  it('throws OrderNotFoundError for a well-formed id that has no row', async () => {
    // Prepare
    const reader = fakeReader([placedRow()]);
    const unknown = 'ord_ffffffffffffffffffffffffffffffff';

    // Act
    const error = await rejectionOf(() => getOrder(reader)(unknown, order.customerId));

    // Assess
    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect((error as Error).name).toBe('OrderNotFound');
    expect((error as Error).message).toBe(`no order ${unknown}`);
    expect(reader.asked).toEqual([unknown]);
  });

  it("reads the shipment's tracking for a shipped order", async () => {
    // Prepare
    const reader = fakeReader(
      [placedRow({ status: 'SHIPPED', carrier: 'DEMO-PARCEL', trackingNumber: 'DP0123456789AB' })],
      { [ORDER_ID]: { trackingStatus: 'IN_TRANSIT', history: [{ eventId: 'e1', status: 'IN_TRANSIT', occurredAt: '2026-03-05T08:00:00.000Z', receivedAt: '2026-03-05T08:00:01.000Z' }] } },
    );

    // Act
    const view = await getOrder(reader)(ORDER_ID, order.customerId);

    // Assess
    expect(view.shipment).toMatchObject({ status: 'IN_TRANSIT', history: [{ status: 'IN_TRANSIT', occurredAt: '2026-03-05T08:00:00.000Z' }] });
  });

  it('returns the view of the row it finds', async () => {
    // Prepare
    const reader = fakeReader([placedRow({ status: 'PROCESSING' })]);

    // Act
    const view = await getOrder(reader)(ORDER_ID, order.customerId);

    // Assess
    expect(view.orderId).toBe(ORDER_ID);
    expect(view.status).toBe('PROCESSING');
    expect(reader.asked).toEqual([ORDER_ID]);
  });

  it("answers another customer's order exactly as a missing one, so an id reveals nothing", async () => {
    // Prepare
    const reader = fakeReader([placedRow()]);
    const missing = 'ord_ffffffffffffffffffffffffffffffff';

    // Act
    const someoneElses = await rejectionOf(() => getOrder(reader)(ORDER_ID, 'cust_other'));
    const unknown = await rejectionOf(() => getOrder(reader)(missing, 'cust_other'));

    // Assess
    expect(someoneElses).toBeInstanceOf(OrderNotFoundError);
    expect((someoneElses as Error).message).toBe(`no order ${ORDER_ID}`);
    expect((unknown as Error).message).toBe(`no order ${missing}`);
  });
});

describe('toOrderView', () => {
  it('shows a freshly placed order with no execution, shipment or failure yet', () => {
    // Act
    const view = toOrderView(placedRow());

    // Assess
    expect(view).toEqual({
      ...order,
      status: 'PLACED',
      updatedAt: order.placedAt,
      shipment: null,
      failure: null,
      approval: null,
    });
  });

  it('shows a pending approval while the order waits for it', () => {
    // Act
    const view = toOrderView(placedRow({ status: 'AWAITING_APPROVAL', approval: '{"status":"PENDING","decidedBy":null,"decidedAt":null,"comment":null}' }));

    // Assess
    expect(view.approval).toEqual({ status: 'PENDING', decidedBy: null, decidedAt: null, comment: null });
  });

  it('shows who decided an approval, when, and their comment; an empty comment as none', () => {
    // Prepare
    const decided = { approvalId: 'approve-ord_1', status: 'REJECTED', decidedBy: 'boss@example.com', decidedAt: '2026-03-04T06:00:00.000Z', comment: 'Too much' };

    // Act
    const rejected = toOrderView(placedRow({ status: 'APPROVAL_REJECTED', approval: JSON.stringify(decided) }));
    const expired = toOrderView(placedRow({ status: 'APPROVAL_EXPIRED', approval: JSON.stringify({ ...decided, status: 'EXPIRED', decidedBy: null, comment: '' }) }));

    // Assess
    expect(rejected.approval).toEqual({ status: 'REJECTED', decidedBy: 'boss@example.com', decidedAt: '2026-03-04T06:00:00.000Z', comment: 'Too much' });
    expect(expired.approval).toEqual({ status: 'EXPIRED', decidedBy: null, decidedAt: '2026-03-04T06:00:00.000Z', comment: null });
  });

  it('shows the latest update once fulfilment has picked the order up, and never an execution ARN or account id', () => {
    // Prepare
    const row = placedRow({
      status: 'PROCESSING',
      updatedAt: '2026-03-04T05:07:00.000Z',
      intakeExecutionArn: 'arn:aws:states:us-east-1:000000000000:express:intake:1:2',
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:fulfilment:ord_1',
    });

    // Act
    const view = toOrderView(row);

    // Assess
    expect(JSON.stringify(view)).not.toMatch(/arn:|000000000000/);
    expect(view.updatedAt).toBe('2026-03-04T05:07:00.000Z');
    expect(view.placedAt).toBe(order.placedAt);
  });

  it('shows the shipment once a tracking number is set', () => {
    // Act
    const view = toOrderView(placedRow({ status: 'SHIPPED', carrier: 'DEMO-PARCEL', trackingNumber: 'DP0123456789AB' }));

    // Assess
    expect(view.shipment).toEqual({ carrier: 'DEMO-PARCEL', trackingNumber: 'DP0123456789AB', status: 'BOOKED', history: [] });
  });

  it("shows the shipment's tracking status and history, without the carrier's event ids", () => {
    // Prepare
    const history = [
      { eventId: 'e1', status: 'IN_TRANSIT' as const, occurredAt: '2026-03-05T08:00:00.000Z', receivedAt: '2026-03-05T08:00:01.000Z' },
      { eventId: 'e2', status: 'DELIVERED' as const, occurredAt: '2026-03-05T12:00:00.000Z', receivedAt: '2026-03-05T12:00:01.000Z' },
    ];

    // Act
    const view = toOrderView(placedRow({ status: 'DELIVERED', carrier: 'DEMO-PARCEL', trackingNumber: 'DP0123456789AB' }), { trackingStatus: 'DELIVERED', history });

    // Assess
    expect(view.status).toBe('DELIVERED');
    expect(view.shipment).toEqual({
      carrier: 'DEMO-PARCEL',
      trackingNumber: 'DP0123456789AB',
      status: 'DELIVERED',
      history: [{ status: 'IN_TRANSIT', occurredAt: '2026-03-05T08:00:00.000Z' }, { status: 'DELIVERED', occurredAt: '2026-03-05T12:00:00.000Z' }],
    });
  });

  it('shows no shipment for a carrier without a tracking number', () => {
    // Act
    const view = toOrderView(placedRow({ carrier: 'DEMO-PARCEL' }));

    // Assess
    expect(view.shipment).toBeNull();
  });

  it.each([
    ['PaymentDeclined', 'PAYMENT_DECLINED', 'Your card was declined'],
    ['OutOfStock', 'OUT_OF_STOCK', 'not have enough stock'],
    ['ApprovalRejected', 'APPROVAL_REJECTED', 'it was declined'],
    ['ApprovalExpired', 'APPROVAL_EXPIRED', 'none was given in time'],
    ['PaymentGatewayUnavailable', 'FAILED', 'payment provider could not be reached'],
    ['CarrierUnavailable', 'FAILED', 'carrier could not be reached'],
  ] as const)('says what %s means in words for the customer, whatever cause was recorded', (failureError, status, words) => {
    // Prepare
    const cause = JSON.stringify({ errorType: failureError, errorMessage: 'gateway said: card 4242 declined (code 51)', trace: ['at charge (/var/task/index.js:1:1)'] });

    // Act
    const view = toOrderView(placedRow({ status, failureError, failureCause: cause }));

    // Assess
    expect(view.failure).toEqual({ error: failureError, reason: expect.stringContaining(words) });
    expect(JSON.stringify(view)).not.toMatch(/var\/task|code 51/);
  });

  it.each([
    ['an IAM denial', 'AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/sfn-orders-prod-reserveInventory/x is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/sfn-orders-prod-reservations'],
    ['an SDK error', 'DynamoDB.AmazonDynamoDBException', 'Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: ABC)'],
    ['a Step Functions runtime error', 'States.Runtime', "An error occurred while executing the state 'CreateShipment'. The JSONPath '$.order' could not be found"],
    ['a timeout', 'States.Timeout', 'Task timed out after 10.00 seconds'],
  ])('says only that something went wrong on our side for %s, never its text, ARN or account', (_, failureError, failureCause) => {
    // Act
    const view = toOrderView(placedRow({ status: 'FAILED', failureError, failureCause }));

    // Assess
    expect(view.failure).toEqual({ error: 'ProcessingFailed', reason: 'Something went wrong on our side. Any payment is refunded in full and our team has been told.' });
    expect(JSON.stringify(view)).not.toMatch(/arn:|123456789012|Exception|States\.|JSONPath|not authorized/);
  });

  it('shows no failure when only a cause is set', () => {
    // Act
    const view = toOrderView(placedRow({ failureCause: 'left over' }));

    // Assess
    expect(view.failure).toBeNull();
  });

  it('takes the status from the row, not from the document', () => {
    // Prepare
    const row = placedRow({ status: 'SHIPPED', document: JSON.stringify({ ...order, status: 'PLACED' }) });

    // Act
    const view = toOrderView(row);

    // Assess
    expect(view.status).toBe('SHIPPED');
  });
});
