/**
 * A configuration value read once per container and kept: the store is not asked on every
 * request. A failed read is not kept, so the next request tries again.
 */
export const cachedValue = (read: () => Promise<string>): (() => Promise<string>) => {
  let value: Promise<string> | undefined;
  return () => {
    if (!value) {
      value = read();
      value.catch(() => { value = undefined; });
    }
    return value;
  };
};
