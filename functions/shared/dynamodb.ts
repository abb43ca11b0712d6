import { type ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** A conditional write whose condition did not hold; the name is what every SDK and emulator reports. */
const isConditionalCheckFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const isTransactionCancelled = (error: unknown): error is TransactionCanceledException =>
  error instanceof Error && error.name === 'TransactionCanceledException';

/**
 * Awaits a conditional write sent with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`: undefined
 * when it was applied; when its condition did not hold, the item the condition was checked against
 * (absent when there was none). The document client does not translate errors, so it is unmarshalled here.
 */
export const conditionalWriteOrItem = async (write: Promise<unknown>): Promise<{ item: Record<string, unknown> | undefined } | undefined> => {
  try {
    await write;
    return undefined;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    const { Item } = error as ConditionalCheckFailedException;
    return { item: Item && unmarshall(Item) };
  }
};

/** Awaits a conditional write: true when it was applied, false when its condition did not hold. */
export const conditionalWrite = async (write: Promise<unknown>): Promise<boolean> => (await conditionalWriteOrItem(write)) === undefined;
