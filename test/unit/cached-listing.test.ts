import { cachedListing } from '../../functions/shared/catalogue/cached-listing.js';

/** GET /products: one Scan per container every few seconds, however many requests arrive. */
const counting = <T>(answers: (() => Promise<T>)[]) => {
  let reads = 0;
  return { read: () => answers[Math.min(reads++, answers.length - 1)]!(), reads: () => reads };
};

describe('cachedListing', () => {
  it('reads once for every call within its age, then again once it is older', async () => {
    // Prepare
    let clock = 1_000;
    const source = counting([async () => ['v1'], async () => ['v2']]);
    const listing = cachedListing(source.read, 5_000, () => clock);

    // Act
    const first = await Promise.all(Array.from({ length: 50 }, () => listing()));
    clock += 4_999;
    const stillFresh = await listing();
    clock += 1;
    const refreshed = await listing();

    // Assess
    expect(first.every((answer) => answer[0] === 'v1')).toBe(true);
    expect(stillFresh).toEqual(['v1']);
    expect(refreshed).toEqual(['v2']);
    expect(source.reads()).toBe(2);
  });

  it('keeps no failed read: the next call asks again', async () => {
    const source = counting([async () => { throw new Error('throttled'); }, async () => ['v1']]);
    const listing = cachedListing(source.read, 5_000, () => 0);

    await expect(listing()).rejects.toThrow('throttled');
    expect(await listing()).toEqual(['v1']);
    expect(source.reads()).toBe(2);
  });
});
