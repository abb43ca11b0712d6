/** Reads a setting the deployment must provide; a missing one is a deployment bug, so fail loudly at init. */
export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};
