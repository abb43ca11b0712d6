/**
 * Text someone outside the company wrote (a customer's name or address, a file name, what was read
 * off an uploaded document), made safe to show a person. Two dangers, two steps:
 * - characters that change how text looks without being seen: bidi overrides and isolates
 *   (`invoice\u202Efdp.exe` reads as "invoiceexe.pdf"), zero-width and other format characters,
 *   control characters, line and paragraph separators;
 * - links: a mail client turns `https://…`, `www.…`, a bare `example.com` or an address into
 *   something to click, which in an approver's email looks as if we sent it.
 */

// Cc: control characters; Cf: format characters (bidi controls, zero-width, soft hyphen, BOM);
// Zl, Zp: line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const WHITESPACE_CONTROL = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * One line of visible text: compatibility forms folded (full-width `ｈｔｔｐ` is `http`),
 * line breaks and tabs as spaces, every other invisible character removed, runs of spaces as one.
 */
export const cleanText = (value: unknown): string =>
  String(value ?? '')
    .normalize('NFKC')
    .replace(WHITESPACE_CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();

// `scheme://` (any scheme a client might link) and a dot between a name and letters (`evil.example`,
// `www.x`, `invoice.zip`, a top-level domain since 2023): the two things link detection keys on.
const SCHEME = /\b([a-z][a-z0-9+.-]*):\/\//gi;
const DOMAIN_DOT = /(?<=[\p{L}\p{N}_-])\.(?=\p{L})/gu;

/**
 * {@link cleanText}, then defanged the way security teams quote indicators: `https://evil.example/x`
 * becomes `https[:]//evil[.]example/x`, `ada@example.com` becomes `ada@example[.]com`. A person can
 * still read it; no mail client makes it a link. Numbers keep their dots (`1,499.00`, `2.5`).
 */
export const inertText = (value: unknown): string =>
  cleanText(value).replace(SCHEME, '$1[:]//').replace(DOMAIN_DOT, '[.]');
