import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ApiKeyUnavailableError } from '../errors.js';

/**
 * A customer's API key is a secret from the moment it exists: stored encrypted (AES-256-GCM) under
 * its signup until the welcome email sends it, then only its SHA-256 hash remains (what a gateway
 * checks a presented key against). Its prefix and last four characters are what anyone else sees.
 */
export const API_KEY_PREFIX = 'sk_live_';

export interface ApiKeyRow {
  signupId: string;
  prefix: string;
  last4: string;
  /** Present until the welcome email was sent: iv, tag and ciphertext, base64, dot-separated. */
  encryptedKey?: string;
  /** Present once the welcome email was sent. */
  keyHash?: string;
  createdAt: string;
  deliveredAt?: string;
}

export interface ApiKeyStore {
  /** Writes the row if the signup has none; answers the row that is there either way. */
  createOnce(row: ApiKeyRow): Promise<ApiKeyRow>;
  get(signupId: string): Promise<ApiKeyRow | undefined>;
  /** Drops the encrypted key and keeps the hash, only while the encrypted key is still there. */
  keepOnlyHash(signupId: string, keyHash: string, deliveredAt: string): Promise<void>;
}

export const newApiKey = (random: (bytes: number) => Buffer = randomBytes): string =>
  `${API_KEY_PREFIX}${random(24).toString('base64url')}`;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The 256-bit key of AES-GCM, from the secret string Secrets Manager generated. */
const aesKeyOf = (secret: string): Buffer => createHash('sha256').update(`api-key-encryption:${secret}`).digest();

export const encryptApiKey = (key: string, secret: string, signupId: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKeyOf(secret), iv);
  // The signup is authenticated data: a ciphertext moved to another signup's row does not decrypt.
  cipher.setAAD(Buffer.from(signupId));
  const ciphertext = Buffer.concat([cipher.update(key, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64')).join('.');
};

export const decryptApiKey = (encrypted: string, secret: string, signupId: string): string => {
  const [iv, tag, ciphertext] = encrypted.split('.').map((part) => Buffer.from(part, 'base64'));
  if (!iv || !tag || !ciphertext) throw new Error('the encrypted API key is malformed');
  const decipher = createDecipheriv('aes-256-gcm', aesKeyOf(secret), iv);
  decipher.setAAD(Buffer.from(signupId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
};

export interface ApiKeyHint {
  prefix: string;
  last4: string;
}

/**
 * customer-onboarding's CreateApiKey: a new key, stored encrypted under the signup. Safe to repeat:
 * a retry finds the row the first attempt wrote and answers its hint, never a second key.
 */
export const createApiKey = (store: ApiKeyStore, secret: () => Promise<string>, now: () => Date = () => new Date()) =>
  async ({ signupId }: { signupId: string }): Promise<ApiKeyHint> => {
    const key = newApiKey();
    const row = await store.createOnce({
      signupId,
      prefix: API_KEY_PREFIX,
      last4: key.slice(-4),
      encryptedKey: encryptApiKey(key, await secret(), signupId),
      createdAt: now().toISOString(),
    });
    return { prefix: row.prefix, last4: row.last4 };
  };

/**
 * The key in clear, for the one email that carries it; then `afterSending` reduces the row to the
 * hash. A key already reduced (the email went, a retry came) or gone (the signup was undone) is not
 * sent again: ApiKeyUnavailable, unless it was delivered, which answers `alreadySent`.
 */
export const deliverApiKeyOnce = (store: ApiKeyStore, secret: () => Promise<string>, now: () => Date = () => new Date()) =>
  async (signupId: string, send: (key: string) => Promise<void>): Promise<{ alreadySent: boolean }> => {
    const row = await store.get(signupId);
    if (row?.keyHash && !row.encryptedKey) return { alreadySent: true };
    if (!row?.encryptedKey) throw new ApiKeyUnavailableError(`signup ${signupId} has no API key to send`);
    const key = decryptApiKey(row.encryptedKey, await secret(), signupId);
    await send(key);
    await store.keepOnlyHash(signupId, hashApiKey(key), now().toISOString());
    return { alreadySent: false };
  };
