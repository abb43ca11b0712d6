import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbStockLedger } from '../../functions/shared/catalogue/dynamodb-product-catalogue.js';
import { RestockConflictError } from '../../functions/shared/errors.js';
import { dynamoDbInventoryStore } from '../../functions/shared/inventory/dynamodb-inventory-store.js';
import { rejectionOf } from './support/rejection.js';

/**
 * How the DynamoDB adapters read a cancelled transaction. DynamoDB cancels a transaction that
 * meets another one on the same item with `TransactionConflict` (the emulator never does): for a
 * hot SKU that is a busy row, not missing stock or a missing product.
 */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code): CancellationReason => ({ Code })),
  });

/** A document client that answers each command by its name, and records what it was sent. */
const clientAnswering = (answer: (name: string, input: Record<string, unknown>) => unknown) => {
  const sent: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push(command.constructor.name);
      const result = answer(command.constructor.name, command.input);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
};

const tables = { products: 'products', reservations: 'reservations', restocks: 'restocks' };
const ORDER_ID = 'ord_0123456789abcdef0123456789abcdef';

describe('dynamoDbInventoryStore.reserve reads the cancellation reasons', () => {
  const reserveAgainst = (error: Error) => {
    const { client } = clientAnswering(() => error);
    return dynamoDbInventoryStore(client, tables).reserve(ORDER_ID, [{ sku: 'KB', quantity: 1 }, { sku: 'MS', quantity: 2 }]);
  };

  it('reads a conflict with another transaction as CONFLICT, not as stock that ran out', async () => {
    expect(await reserveAgainst(cancelled('None', 'TransactionConflict', 'None'))).toEqual({ kind: 'CONFLICT' });
  });

  it('names only the SKUs whose stock check failed, even beside a conflict', async () => {
    expect(await reserveAgainst(cancelled('None', 'TransactionConflict', 'ConditionalCheckFailed'))).toEqual({ kind: 'INSUFFICIENT_STOCK', skus: ['MS'] });
  });

  it('reads a failed check on the reservation row as ALREADY_EXISTS', async () => {
    expect(await reserveAgainst(cancelled('ConditionalCheckFailed', 'None', 'None'))).toEqual({ kind: 'ALREADY_EXISTS' });
  });

  it('without reasons, reads the stock check as what failed', async () => {
    expect(await reserveAgainst(cancelled())).toEqual({ kind: 'INSUFFICIENT_STOCK', skus: ['KB', 'MS'] });
  });
});

describe('dynamoDbStockLedger.add', () => {
  const product = { sku: 'KB', name: 'Keyboard', priceAmount: 4999, currency: 'EUR', stock: 3 };

  it('tries a restock that conflicting writes cancelled again, and adds it once they let it through', async () => {
    let transactions = 0;
    const { client, sent } = clientAnswering((name, input) => {
      if (name === 'TransactWriteCommand') return ++transactions < 3 ? cancelled('None', 'TransactionConflict') : {};
      if (name === 'GetCommand') return { Item: input.TableName === 'products' ? product : undefined };
      throw new Error(`unexpected ${name}`);
    });

    const result = await dynamoDbStockLedger(client, tables).add('KB', 5, 'admin:key-1');

    expect(result).toEqual({ applied: true, product: expect.objectContaining({ sku: 'KB' }) });
    expect(sent.filter((name) => name === 'TransactWriteCommand')).toHaveLength(3);
  });

  it('refuses with RestockConflict when every try was cancelled by a conflict, having added nothing', async () => {
    const { client, sent } = clientAnswering((name, input) => {
      if (name === 'TransactWriteCommand') return cancelled('None', 'TransactionConflict');
      if (name === 'GetCommand') return { Item: input.TableName === 'products' ? product : undefined };
      throw new Error(`unexpected ${name}`);
    });

    const error = await rejectionOf(() => dynamoDbStockLedger(client, tables).add('KB', 5, 'admin:key-1'));

    expect(error).toBeInstanceOf(RestockConflictError);
    expect((error as Error).message).toMatch(/nothing was added: retry with the same Idempotency-Key/);
    expect(sent.filter((name) => name === 'TransactWriteCommand')).toHaveLength(3);
  });

  it('answers a replayed restock id as not applied, without trying again', async () => {
    const { client, sent } = clientAnswering((name) => {
      if (name === 'TransactWriteCommand') return cancelled('ConditionalCheckFailed', 'None');
      if (name === 'GetCommand') return { Item: product };
      throw new Error(`unexpected ${name}`);
    });

    const result = await dynamoDbStockLedger(client, tables).add('KB', 5, 'admin:key-1');

    expect(result).toEqual({ applied: false, product: expect.objectContaining({ sku: 'KB' }) });
    expect(sent.filter((name) => name === 'TransactWriteCommand')).toHaveLength(1);
  });
});
