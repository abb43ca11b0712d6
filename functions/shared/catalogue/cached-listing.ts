/**
 * GET /products is public and answered from a Scan of the whole table: uncached, anyone could turn
 * each request into a full read. One read per container every `maxAgeMs` serves them all (calls
 * while a read is under way share it); availability may lag that long, and reservation, not this
 * listing, is what decides whether stock is there. A failed read is not kept: the next call asks again.
 */
export const cachedListing = <T>(read: () => Promise<T>, maxAgeMs: number, now: () => number = Date.now): (() => Promise<T>) => {
  let cached: { readAt: number; value: Promise<T> } | undefined;
  return () => {
    const at = now();
    if (!cached || at - cached.readAt >= maxAgeMs) {
      const entry = { readAt: at, value: read() };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
};

/** How stale GET /products may be: a few seconds, and said to clients in Cache-Control too. */
export const LISTING_MAX_AGE_SECONDS = 5;
