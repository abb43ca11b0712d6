import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Readable stack traces for the minified bundle without `--enable-source-maps`, which makes Node
 * read and parse the whole source map while the bundle is imported (on every cold start). Here
 * the map next to the bundle is read only when a stack trace is first formatted, that is on the
 * first error, and frames in the bundle are rewritten to the TypeScript file, line and column.
 *
 * Installed only when this module runs from a bundle with its `.map` beside it (the deployed
 * zip); from the TypeScript sources (tests, the local stack) it does nothing.
 */
export const installSourceMappedStacks = (bundleUrl: string): boolean => {
  if (!bundleUrl.startsWith('file:') || process.sourceMapsEnabled) return false;
  const mapFile = `${fileURLToPath(bundleUrl)}.map`;
  if (!existsSync(mapFile)) return false;

  let map: SourceMap | null | undefined;
  const sourceMap = (): SourceMap | null => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  const originOf = (site: NodeJS.CallSite) => {
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (site.getFileName() !== bundleUrl || line === null || column === null) return undefined;
    const origin = sourceMap()?.findOrigin(line, column);
    return origin && 'fileName' in origin ? origin : undefined;
  };

  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
    let header: string;
    try {
      header = String(error);
    } catch {
      header = 'Error';
    }
    const origins = sites.map(originOf);
    const frames = sites.map((site, index) => {
      const origin = origins[index];
      if (!origin) return `    at ${site.toString()}`;
      // A minified frame's own name means nothing; the name its caller called it by does.
      const name = origins[index + 1]?.name || origin.name || site.getFunctionName() || '<anonymous>';
      const file = origin.fileName.replace(/^(\.\.\/)+/, '');
      return `    at ${name} (${file}:${origin.lineNumber}:${origin.columnNumber})`;
    });
    return [header, ...frames].join('\n');
  };
  return true;
};

installSourceMappedStacks(import.meta.url);
