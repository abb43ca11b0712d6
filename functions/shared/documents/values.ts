/**
 * Values as people print them, found in a piece of text and returned as printed (trimmed of the
 * OCR's stray marks around them), never rewritten: a date stays "2 Nov 2026", an amount
 * "1.416,00 €". Every pattern here is linear: no quantifier nests over another, so a long line of
 * noise cannot make a match slow.
 */
export interface Found { text: string; index: number; end: number }

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?`;
const DATE_PATTERNS = [
  String.raw`\d{4}-\d{1,2}-\d{1,2}`,
  String.raw`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})`,
  String.raw`${DAY}(?:\s+day\s+of)?[\s-]+${MONTH}\.?,?[\s-]+\d{4}`,
  String.raw`${MONTH}\.?\s+${DAY},?\s+\d{4}`,
];
const DATE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${DATE_PATTERNS.join('|')})(?![\p{N}])`, 'giu');

const plausibleDate = (text: string): boolean => {
  const numbers = text.match(/\d+/g)?.map(Number) ?? [];
  if (/^\d{4}-/.test(text)) return numbers[1]! >= 1 && numbers[1]! <= 12 && numbers[2]! >= 1 && numbers[2]! <= 31;
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]/.test(text)) {
    const [a, b] = numbers as [number, number];
    // Day first or month first: either way one of the two is a month and neither is zero.
    return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
  }
  return numbers.some((value) => value >= 1 && value <= 31);
};

/** Every date in the text, in order. */
export const findDates = (text: string): Found[] =>
  [...text.matchAll(DATE)].filter((match) => plausibleDate(match[0])).map((match) => ({ text: match[0].replace(/\s+/g, ' '), index: match.index, end: match.index + match[0].length }));

export const findDate = (text: string): Found | undefined => findDates(text)[0];

/** Year, month, day of a printed date, for comparing two dates; day-first when a numeric date could be either. */
export const dateValue = (printed: string): number | undefined => {
  const text = printed.toLowerCase();
  const numbers = text.match(/\d+/g)?.map(Number) ?? [];
  const monthName = new RegExp(MONTH).exec(text)?.[0];
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  if (/^\d{4}-/.test(text)) [year, month, day] = numbers;
  else if (monthName) {
    month = months.indexOf(monthName.slice(0, 3)) + 1;
    day = numbers.find((value) => value <= 31);
    year = numbers.find((value) => value > 31);
  } else if (numbers.length >= 3) {
    const [a, b, c] = numbers as [number, number, number];
    [day, month, year] = a > 12 || b <= 12 ? [a, b, c] : [b, a, c];
    if (year < 100) year += 2000;
  }
  return year && month && day ? year * 10_000 + month * 100 + day : undefined;
};

const CURRENCY_CODES = 'EUR|USD|GBP|CHF|AUD|CAD|NZD|JPY|SEK|NOK|DKK|PLN|CZK|HUF|INR|ZAR|SGD|HKD|CNY|MXN|BRL|AED';
const SYMBOL = String.raw`(?:US\$|A\$|C\$|NZ\$|[$€£¥₹])`;
const CURRENCY = String.raw`(?:${CURRENCY_CODES}|${SYMBOL})`;
// Thousands grouped by a comma, dot, apostrophe or (thin) space, then two decimals after a dot or
// comma; or plain digits. The groups have a fixed length, so there is one way to read a number.
// The OCR sometimes reads a space after a grouped figure's comma ("€7, 694.00", "9.633, 75"): it is
// still one figure. After a bare figure it is a list ("Flat 3, 19 Bedford Place").
const NUMBER = String.raw`(?:\d{1,3}(?:(?:[,.'’] ?|[\u00a0\u202f ])\d{3})+(?:[.,] ?\d{2}(?!\d)|[.,]\d)?|\d+(?:[.,]\d{2}(?!\d)|[.,]\d)?)`;
const AMOUNT = new RegExp(String.raw`(?<![\p{L}\p{N}.,])(?:(${CURRENCY})\s?)?(${NUMBER})(?:\s?(${CURRENCY}))?(?![\p{N}%])`, 'giu');
const HAS_DECIMALS = /[.,] ?\d{1,2}$/;

/**
 * Every amount in the text, in order: a figure with two decimals or a currency (so a quantity,
 * a percentage or a year is none), with its currency when printed next to it.
 */
export const findAmounts = (text: string): Found[] => {
  const found: Found[] = [];
  for (const match of text.matchAll(AMOUNT)) {
    const [whole, before, figure = '', after] = match;
    if (!before && !after && !HAS_DECIMALS.test(figure)) continue;
    // A date's pieces ("03.11.2026") are not amounts.
    if (findDate(text.slice(Math.max(0, match.index - 6), match.index + whole.length + 6))?.text.includes(figure)) continue;
    found.push({ text: whole.trim(), index: match.index, end: match.index + whole.length });
  }
  return found;
};

export const findAmount = (text: string): Found | undefined => findAmounts(text)[0];

/** An amount's size, for comparing a total with a subtotal: the last separator followed by one or two digits is the decimal point. */
export const amountValue = (printed: string): number => {
  const figure = printed.replace(/[^\d.,'’\s]/g, '').trim();
  const decimals = /[.,](\d{1,2})$/.exec(figure);
  const whole = (decimals ? figure.slice(0, decimals.index) : figure).replace(/\D/g, '');
  return Number(whole || '0') + (decimals ? Number(`0.${decimals[1]}`) : 0);
};

/**
 * A document number: the first token that has a digit and is not a date or an amount, taken
 * whole ("INV-2026-0042", "A/2026/311", "2026-0147"), without the "#", "No." or colon before it.
 */
export const findIdentifier = (original: string): Found | undefined => {
  // The OCR may read a space after a prefix's hyphen ("RE- 2025-807"): the number is one token.
  const text = original.replace(/(\p{L}[-/])\s(\d)/gu, '$1$2');
  const pattern = /[\p{L}\p{N}][\p{L}\p{N}!|/._-]*/gu;
  for (const match of text.matchAll(pattern)) {
    // An exclamation mark or a bar inside a number is a misread capital I ("S!-0103" is "SI-0103").
    const token = match[0].replace(/[._!|-]+$/, '').replace(/[!|]/g, 'I');
    if (!/\d/.test(token) || token.length < 2) continue;
    if (/^(?:no|nr|num|number)$/i.test(token)) continue;
    if (findDate(token)?.text === token) continue;
    if (/^\d{1,3}(?:[.,]\d{2})$/.test(token)) continue;
    // A percentage is a rate, not a number of anything.
    if (text[match.index + match[0].length] === '%') continue;
    return { text: token, index: match.index, end: match.index + token.length };
  }
  return undefined;
};

const LEGAL_ABBREVIATIONS = new Set(['inc', 'ltd', 'co', 'corp', 'llc', 'plc', 'llp', 'b.v', 'n.v', 's.a', 'ag', 'gmbh', 'pty', 'sarl', 'bv', 'nv', 'sa', 'srl', 'spa', 'oy', 'ab', 'as', 'kg', 'lp', 'p.c', 'pc', 'l.l.c', 'jr', 'sr', 'dr', 'mr', 'mrs', 'ms']);

/** The company suffixes that end a company's name: what follows them is no longer the name. */
export const LEGAL_SUFFIX = /\b(?:limited|ltd|inc|incorporated|llc|l\.l\.c|llp|plc|corp|corporation|company|co|gmbh|ag|b\.?v|n\.?v|s\.?a|sarl|s\.?r\.?l|pty(?:\s+ltd)?|oy|ab|kg|lp)\b\.?/i;
/** One word that is a legal form, as a name's last word ("Inc.", "LLP", "B.V."). */
const LEGAL_FORM = /^(?:limited|ltd|inc|llc|l\.l\.c|llp|plc|corp|corporation|gmbh|ag|b\.v|n\.v|s\.a|bv|nv|sarl|srl|pty|oy|kg|lp)\.?$/i;

/**
 * A name as it starts a piece of text: up to a comma, a parenthesis, a semicolon, a quote, or the
 * words that start a description ("a company", "incorporated", "whose", "of"), at most eight
 * words. A final full stop stays when it ends an abbreviation ("Inc.", "B.V."), else it goes.
 */
export const readName = (text: string): string | undefined => {
  const words: string[] = [];
  // Specks before a name are the OCR's ("?OLARIS", "‘Acme"), not the name's.
  const all = text.split('\n')[0]!.trim().replace(/^[^\p{L}\p{N}(“"‘']+/u, '').split(/\s+/);
  for (const [at, word] of all.entries()) {
    if (word === '' || /^[(“"‘'[]/.test(word)) break;
    if (words.length > 0 && /^(?:a|an|incorporated|registered|whose|having|with|acting|represented|hereinafter|residing|being)$/i.test(word)) break;
    // "of 14 Cedar Close" or "of Rosenweg 3, Munich" starts an address; "Bank of Ireland" is a name.
    if (words.length > 0 && /^of$/i.test(word) && /\d/.test(all.slice(at + 1, at + 5).join(' ').split(',')[0]!)) break;
    const stop = /[,;:)“”"]/.exec(word);
    // "Stark Industries, Inc.": a legal form after a comma is still the name.
    if (stop && word[stop.index] === ',' && stop.index === word.length - 1 && LEGAL_FORM.test((all[at + 1] ?? '').replace(/[,;:)]+$/, ''))) {
      words.push(word);
      continue;
    }
    if (stop) {
      const head = word.slice(0, stop.index);
      if (head) words.push(head);
      break;
    }
    // A date or a figure after the name, or a verb, starts what is said about it.
    if (words.length > 0 && (/^\d/.test(word) || /^(?:dated|made|entered|effective|this|which|who|is|are|was|shall|will|has|have|hereby)$/i.test(word))) break;
    words.push(word);
    // A company's name ends with its legal form ("Globex Corporation", "Acme Ltd."), unless another follows ("Co. Ltd").
    if (words.length > 1 && LEGAL_FORM.test(word) && !LEGAL_FORM.test((all[at + 1] ?? '').replace(/[,;:)]+$/, ''))) break;
    if (words.length === 8) break;
  }
  let name = words.join(' ').replace(/[\s·•|–—-]+$/, '');
  if (name.endsWith('.')) {
    const last = name.slice(name.lastIndexOf(' ') + 1, -1).toLowerCase();
    // "B.V." keeps its stops; "Inc." keeps its own when a comma follows ("Inc., a Delaware
    // corporation"), not when the sentence ends with it ("between Hooli Inc and Pied Piper Ltd.").
    const dotted = /^(?:[a-z]\.)+[a-z]$/i.test(last);
    const endsSentence = words.length === all.length || /^[\p{Lu}\d]/u.test(all[words.length] ?? '');
    if (!dotted && (!LEGAL_ABBREVIATIONS.has(last) || endsSentence)) name = name.slice(0, -1);
  }
  return /\p{L}/u.test(name) ? name : undefined;
};
