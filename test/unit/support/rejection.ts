/** Calls `act`, which must reject, and returns what it threw. */
export const rejectionOf = async (act: () => Promise<unknown>): Promise<unknown> => {
  try {
    await act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the call succeeded');
};
