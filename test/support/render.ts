import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test documents made the way a person makes them: HTML rendered by headless Chromium to a PNG
 * (a screenshot, as a phone photo of a page) or to a PDF (print to PDF, one page per sheet).
 */
const run = promisify(execFile);

const chromium = (): string => {
  const path = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
  if (!path) throw new Error('headless Chromium is needed to render test documents: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return path;
};

const render = async (html: string, output: string, flags: string[]): Promise<Buffer> => {
  // A profile of its own: Chromium refuses a second browser on a profile in use (other runs, other tests).
  const directory = await mkdtemp(join(tmpdir(), 'render-'));
  try {
    const page = join(directory, 'page.html');
    await writeFile(page, html);
    const target = join(directory, output);
    await run(chromium(), ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(directory, 'profile')}`, ...flags.map((flag) => flag.replace('{out}', target)), `file://${page}`], { timeout: 60_000 });
    return await readFile(target);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

/** A page of text: paragraphs in a plain, large font. */
export const textPage = (paragraphs: string[]): string =>
  `<!doctype html><html><body style="font-family: 'DejaVu Sans', sans-serif; font-size: 24px; margin: 48px; background: #fff; color: #000">${paragraphs.map((text) => `<p>${text}</p>`).join('')}</body></html>`;

/** Several pages, each starting on a new sheet when printed. */
export const pages = (each: string[][]): string =>
  `<!doctype html><html><body style="font-family: 'DejaVu Sans', sans-serif; font-size: 20px; margin: 0">${each.map((paragraphs) => `<section style="page-break-after: always">${paragraphs.map((text) => `<p>${text}</p>`).join('')}</section>`).join('')}</body></html>`;

export const renderPng = (html: string, size = { width: 1000, height: 700 }): Promise<Buffer> =>
  render(html, 'page.png', [`--window-size=${size.width},${size.height}`, '--hide-scrollbars', '--screenshot={out}']);

export const renderPdf = (html: string): Promise<Buffer> =>
  render(html, 'document.pdf', ['--no-pdf-header-footer', '--print-to-pdf={out}']);
