/**
 * The two parties of a contract line such as "This Agreement is made between Acme Limited (the
 * Supplier) and Globex Corporation (the Customer).": exactly the groups of
 *
 *   /\bbetween\s+(.+?)\s*(?:\(.*?\)\s*)?,?\s+and\s+(.+?)\s*(?:\(.*?\))?\s*[.;,]?$/i
 *
 * but in time linear in the line. The regex backtracks through every way of sharing a run of
 * whitespace among its \s+, \s* and .+? (seconds on a 1,500-character line, minutes on a line of
 * spaces after "between"). Here each part of the pattern is decided once per position, from the
 * end of the line backwards, and the candidates are tried in the order the regex tries them, so
 * the first that succeeds is the one it finds. test/unit/contract-parties.test.ts checks the two
 * agree on many thousands of generated lines.
 */

const SPACE = /\s/;
/** What `.` does not match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const WORD = /\w/;
const BETWEEN = /between/iy;
const AND = /and/iy;
const NONE = -1;

const startsAt = (word: RegExp, text: string, index: number): boolean => {
  word.lastIndex = index;
  return word.test(text);
};

export const partiesOf = (line: string): [first: string, second: string] | undefined => {
  // Most lines never say "between": no tables for them.
  if (!/between/i.test(line)) return undefined;
  const n = line.length;
  const char = (index: number) => line.charAt(index);
  // spaces[i]: the whitespace run starting at i; lineEnd[i]: the first line terminator at or after i (n when none), where `.` stops.
  const spaces = new Int32Array(n + 2);
  const lineEnd = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i -= 1) {
    spaces[i] = SPACE.test(char(i)) ? spaces[i + 1]! + 1 : 0;
    lineEnd[i] = LINE_TERMINATOR.test(char(i)) ? i : lineEnd[i + 1]!;
  }

  // The tail `\s*(?:\(.*?\))?\s*[.;,]?$`: whitespace and one final stop, or before them a remark in
  // brackets, whose ")" can then only be the character just before that whitespace.
  const stop = n > 0 && '.;,'.includes(char(n - 1)) ? n - 1 : n;
  let closingSpaces = stop;
  while (closingSpaces > 0 && SPACE.test(char(closingSpaces - 1))) closingSpaces -= 1;
  const remarkClose = closingSpaces - 1;
  const tailStartsAt = (e: number): boolean => {
    if (e >= closingSpaces) return true;
    const open = e + spaces[e]!;
    return char(remarkClose) === ')' && char(open) === '(' && open < remarkClose && lineEnd[open + 1]! > remarkClose;
  };
  // firstTail[e]: the first position at or after e where the tail can start (the end of the line always can).
  const firstTail = new Int32Array(n + 2).fill(n);
  for (let e = n; e >= 0; e -= 1) firstTail[e] = tailStartsAt(e) ? e : firstTail[e + 1]!;

  // The second party `(.+?)` from q ends where the tail can first start, unless a line terminator comes before.
  const secondPartyEnd = (q: number): number => {
    if (q >= n) return NONE;
    const end = firstTail[q + 1]!;
    return end <= lineEnd[q]! ? end : NONE;
  };

  // `and\s+` at a, then the second party: the greedy \s+ gives back one character at a time. Where it starts, or NONE.
  const afterAndMemo = new Int32Array(n + 1).fill(-2);
  const afterAnd = (a: number): number => {
    if (afterAndMemo[a] !== -2) return afterAndMemo[a]!;
    let found = NONE;
    if (startsAt(AND, line, a)) {
      for (let q = a + 3 + spaces[a + 3]!; q > a + 3 && found === NONE; q -= 1) if (secondPartyEnd(q) !== NONE) found = q;
    }
    afterAndMemo[a] = found;
    return found;
  };

  // `\s*,?\s+and` from x. The whitespace before "and" is all of the run (a comma cannot be in it):
  // so "and" follows the comma's whitespace, or else the run.
  const andFrom = (x: number): number => {
    const next = x + spaces[x]!;
    if (char(next) === ',') return spaces[next + 1]! > 0 ? afterAnd(next + 1 + spaces[next + 1]!) : NONE;
    return next > x ? afterAnd(next) : NONE;
  };

  // firstUsableClose[x]: the first ")" at or after x that a remark can end with and still be followed by "and" and the second party.
  const firstUsableClose = new Int32Array(n + 2).fill(n);
  for (let x = n - 1; x >= 0; x -= 1) firstUsableClose[x] = char(x) === ')' && andFrom(x + 1) !== NONE ? x : firstUsableClose[x + 1]!;

  // After a first party ending at j: `\s*(?:\(.*?\)\s*)?` tries the remark first, closing it as early as works, then goes without it.
  const secondPartyStart = new Int32Array(n + 2).fill(NONE);
  // firstPartyEnd[x]: the first j at or after x that a first party can end at (n + 1 when none).
  const firstPartyEnd = new Int32Array(n + 2).fill(n + 1);
  for (let j = n; j >= 0; j -= 1) {
    const open = j + spaces[j]!;
    const close = char(open) === '(' ? firstUsableClose[open + 1]! : n;
    secondPartyStart[j] = close < n && close < lineEnd[open + 1]! ? andFrom(close + 1) : andFrom(j);
    firstPartyEnd[j] = secondPartyStart[j] !== NONE ? j : firstPartyEnd[j + 1]!;
  }

  // The leftmost "between" that has parties; its greedy \s+ gives back one character at a time to the first party `(.+?)`.
  for (let b = 0; b + 7 <= n; b += 1) {
    if (!startsAt(BETWEEN, line, b) || (b > 0 && WORD.test(char(b - 1)))) continue;
    for (let i = b + 7 + spaces[b + 7]!; i > b + 7; i -= 1) {
      const j = firstPartyEnd[i + 1]!;
      if (j <= lineEnd[i]!) {
        const q = secondPartyStart[j]!;
        return [line.slice(i, j), line.slice(q, secondPartyEnd(q))];
      }
    }
  }
  return undefined;
};
