import type { Random } from './random.js';

/**
 * Dates and amounts as people print them. The evaluation's truth is the printed string: a field
 * is right when the extraction returns what is on the page (scoring ignores spacing and, for
 * dates, punctuation), not a normalised value the page never showed.
 */
export interface CalendarDate { year: number; month: number; day: number }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (value: number) => String(value).padStart(2, '0');
const ordinal = (day: number) => `${day}${day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th'}`;

export const DATE_FORMATS = {
  iso: (d: CalendarDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`,
  dayMonthYearSlash: (d: CalendarDate) => `${pad(d.day)}/${pad(d.month)}/${d.year}`,
  monthDayYearSlash: (d: CalendarDate) => `${pad(d.month)}/${pad(d.day)}/${d.year}`,
  dayMonthYearDot: (d: CalendarDate) => `${pad(d.day)}.${pad(d.month)}.${d.year}`,
  dayMonthNameYear: (d: CalendarDate) => `${d.day} ${MONTHS[d.month - 1]} ${d.year}`,
  dayShortMonthYear: (d: CalendarDate) => `${d.day} ${MONTHS[d.month - 1]!.slice(0, 3)} ${d.year}`,
  monthNameDayYear: (d: CalendarDate) => `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  shortMonthDayYear: (d: CalendarDate) => `${MONTHS[d.month - 1]!.slice(0, 3)} ${d.day}, ${d.year}`,
  dayShortMonthYearDash: (d: CalendarDate) => `${pad(d.day)}-${MONTHS[d.month - 1]!.slice(0, 3)}-${d.year}`,
  ordinalDayMonthYear: (d: CalendarDate) => `${ordinal(d.day)} ${MONTHS[d.month - 1]} ${d.year}`,
  shortYearSlash: (d: CalendarDate) => `${pad(d.day)}/${pad(d.month)}/${String(d.year).slice(2)}`,
} satisfies Record<string, (date: CalendarDate) => string>;
export type DateFormat = keyof typeof DATE_FORMATS;

export const randomDate = (random: Random, year = random.int(2025, 2027)): CalendarDate =>
  ({ year, month: random.int(1, 12), day: random.int(1, 28) });

export const addDays = (date: CalendarDate, days: number): CalendarDate => {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

export type Currency = 'EUR' | 'USD' | 'GBP' | 'CHF' | 'AUD';
const SYMBOL: Partial<Record<Currency, string>> = { EUR: '€', USD: '$', GBP: '£' };

/** Digits grouped in threes by `group`, `decimals` after `point`. */
const number = (cents: number, group: string, point: string): string => {
  const whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${whole}${point}${pad(cents % 100)}`;
};

export const AMOUNT_FORMATS = {
  codeBefore: (cents: number, currency: Currency) => `${currency} ${number(cents, ',', '.')}`,
  codeAfter: (cents: number, currency: Currency) => `${number(cents, ',', '.')} ${currency}`,
  symbolBefore: (cents: number, currency: Currency) => `${SYMBOL[currency] ?? `${currency} `}${number(cents, ',', '.')}`,
  continental: (cents: number, currency: Currency) => `${number(cents, '.', ',')} ${SYMBOL[currency] ?? currency}`,
  spacedContinental: (cents: number, currency: Currency) => `${number(cents, ' ', ',')} ${currency}`,
  swiss: (cents: number, currency: Currency) => `${currency} ${number(cents, "'", '.')}`,
  plain: (cents: number) => number(cents, '', '.'),
  grouped: (cents: number) => number(cents, ',', '.'),
} satisfies Record<string, (cents: number, currency: Currency) => string>;
export type AmountFormat = keyof typeof AMOUNT_FORMATS;

/** A printer's amount format: the figures on one document all share it. */
export interface Money {
  format: AmountFormat;
  currency: Currency;
  print(cents: number): string;
}

export const money = (format: AmountFormat, currency: Currency): Money => ({ format, currency, print: (cents) => AMOUNT_FORMATS[format](cents, currency) });

/** Amounts in a table column: the number only, formatted like the totals but without the currency. */
export const bare = (money: Money, cents: number): string =>
  ['continental', 'spacedContinental'].includes(money.format) ? number(cents, money.format === 'continental' ? '.' : ' ', ',')
    : money.format === 'swiss' ? number(cents, "'", '.') : number(cents, ',', '.');
