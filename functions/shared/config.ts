/** Reads a setting the deployment must provide; a missing one is a deployment bug, so fail loudly at init. */
export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};

/**
 * A cache age for configuration read once per container, as the store is not asked again while
 * it lives: a year outlasts any Lambda execution environment. Finite, so the cache's expiry
 * arithmetic stays ordinary dates.
 */
export const FOR_THE_CONTAINER_LIFE = 365 * 24 * 60 * 60;
