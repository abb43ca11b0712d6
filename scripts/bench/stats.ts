/** Small statistics and formatting helpers for the benchmark report. */

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile: with 15 samples p95 is the largest one. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const ordered = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return ordered[rank - 1] ?? Number.NaN;
};

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2;
};

export const max = (values: number[]): number => (values.length === 0 ? Number.NaN : Math.max(...values));

export const ms = (value: number, digits = 1): string => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');

export const signedMs = (value: number): string => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms` : 'n/a');

export const bytes = (value: number | undefined): string => {
  if (value === undefined) return 'n/a';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(2)} MiB`;
};

export const usd = (value: number): string => `$${value.toFixed(value < 0.01 ? 4 : 3)}`;

export const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;

export const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

/** A Markdown table; every row must have as many cells as the header. */
export const table = (header: string[], rows: string[][], alignRight: boolean[] = header.map((_, index) => index > 0)): string => {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = alignRight.map((right) => (right ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
};
