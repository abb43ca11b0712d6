import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An approval link names the approval, the approver and the expiry, and carries an HMAC-SHA256
 * over the three. Nothing in it lets anyone resume the workflow: the task token stays in the
 * approvals table. Changing any part, or signing with another key, makes the link worthless.
 */
export interface LinkClaims {
  approvalId: string;
  approver: string;
  /** Unix seconds. */
  expires: number;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/** JSON of a fixed-order array: no two different claims serialise alike, whatever characters they hold. */
const signedText = ({ approvalId, approver, expires }: LinkClaims): string => JSON.stringify(['approval-link/v1', approvalId, approver, expires]);

export const signLink = (claims: LinkClaims, key: string): string =>
  createHmac('sha256', key).update(signedText(claims)).digest('hex');

/** The query string of a link: `approver`, `expires`, `sig`. */
export const linkQuery = (claims: LinkClaims, key: string): string =>
  new URLSearchParams({ approver: claims.approver, expires: String(claims.expires), sig: signLink(claims, key) }).toString();

/** Constant-time whatever the inputs: a wrong length or non-hex answers false without comparing. */
export const sameSignature = (given: string, expected: string): boolean => {
  if (!SIGNATURE_PATTERN.test(given) || !SIGNATURE_PATTERN.test(expected)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
};

/** Checks a link's query for an approval id: signature first (nothing is read for a forged link), then expiry. */
export const checkLink = (approvalId: string, query: Record<string, string | undefined>, key: string, nowMs: number): LinkCheck => {
  const { approver, expires, sig } = query;
  if (!approver || !expires || !sig || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'malformed' };
  const claims = { approvalId, approver, expires: Number(expires) };
  if (!sameSignature(sig, signLink(claims, key))) return { ok: false, reason: 'bad-signature' };
  if (nowMs >= claims.expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
};
