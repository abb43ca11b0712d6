import { checkLink, linkQuery, sameSignature, signLink } from '../../functions/shared/approvals/signed-links.js';

const KEY = 'k'.repeat(40);
const NOW = Date.parse('2026-11-24T10:00:00.000Z');
const claims = { approvalId: 'approve-ord_1', approver: 'boss@example.com', expires: NOW / 1000 + 600 };
const queryOf = (text: string): Record<string, string> => Object.fromEntries(new URLSearchParams(text));

describe('signed approval links', () => {
  it('accepts the link it issued, until its expiry', () => {
    // Prepare
    const query = queryOf(linkQuery(claims, KEY));

    // Act
    const check = checkLink(claims.approvalId, query, KEY, NOW);

    // Assess
    expect(check).toEqual({ ok: true, claims });
    expect(Object.keys(query).sort()).toEqual(['approver', 'expires', 'sig']);
  });

  it.each([
    ['the approval id', (query: Record<string, string>) => ({ id: 'approve-ord_2', query })],
    ['the approver', (query: Record<string, string>) => ({ id: claims.approvalId, query: { ...query, approver: 'mallory@example.com' } })],
    ['the expiry', (query: Record<string, string>) => ({ id: claims.approvalId, query: { ...query, expires: String(claims.expires + 86_400) } })],
    ['the signature', (query: Record<string, string>) => ({ id: claims.approvalId, query: { ...query, sig: `${query.sig?.slice(0, -1)}${query.sig?.endsWith('0') ? '1' : '0'}` } })],
  ])('refuses a link whose %s was changed', (_, tamper) => {
    // Prepare
    const { id, query } = tamper(queryOf(linkQuery(claims, KEY)));

    // Act
    const check = checkLink(id, query, KEY, NOW);

    // Assess
    expect(check).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a link signed with another key', () => {
    // Act
    const check = checkLink(claims.approvalId, queryOf(linkQuery(claims, 'another key of at least 32 chars..')), KEY, NOW);

    // Assess
    expect(check).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('says a genuine link has expired once its expiry has passed, and only then', () => {
    // Prepare
    const query = queryOf(linkQuery(claims, KEY));

    // Act
    const lastSecond = checkLink(claims.approvalId, query, KEY, claims.expires * 1000 - 1);
    const atExpiry = checkLink(claims.approvalId, query, KEY, claims.expires * 1000);

    // Assess
    expect(lastSecond.ok).toBe(true);
    expect(atExpiry).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['no signature', { approver: claims.approver, expires: String(claims.expires) }],
    ['no approver', { expires: String(claims.expires), sig: signLink(claims, KEY) }],
    ['an expiry that is not a number', { approver: claims.approver, expires: '1e10', sig: signLink(claims, KEY) }],
  ])('calls a link with %s malformed', (_, query) => {
    // Act
    const check = checkLink(claims.approvalId, query, KEY, NOW);

    // Assess
    expect(check).toEqual({ ok: false, reason: 'malformed' });
  });

  it('cannot be fooled by claims that run into each other', () => {
    // Act: the same characters split differently between id and approver
    const a = signLink({ approvalId: 'a-b', approver: 'c@d', expires: 1 }, KEY);
    const b = signLink({ approvalId: 'a', approver: '-bc@d', expires: 1 }, KEY);

    // Assess
    expect(a).not.toBe(b);
  });

  describe('sameSignature (constant-time comparison)', () => {
    const expected = signLink(claims, KEY);

    it('answers true only for the identical signature', () => {
      expect(sameSignature(expected, expected)).toBe(true);
      expect(sameSignature(`${expected.slice(0, 63)}${expected.endsWith('a') ? 'b' : 'a'}`, expected)).toBe(false);
    });

    it.each([
      ['shorter', expected.slice(0, 62)],
      ['longer', `${expected}00`],
      ['not hex', `${expected.slice(0, 63)}z`],
      ['upper-case hex', expected.toUpperCase()],
      ['empty', ''],
    ])('answers false, without throwing, for a %s signature', (_, given) => {
      expect(sameSignature(given, expected)).toBe(false);
    });
  });
});
