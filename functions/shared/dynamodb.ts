import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** A conditional write whose condition did not hold; the name is what every SDK and emulator reports. */
const isConditionalCheckFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const isTransactionCancelled = (error: unknown): error is TransactionCanceledException =>
  error instanceof Error && error.name === 'TransactionCanceledException';

/** Awaits a conditional write: true when it was applied, false when its condition did not hold. */
export const conditionalWrite = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
};
