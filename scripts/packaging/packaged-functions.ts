import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { functionsOfTemplate, type TemplateResolver } from 'local-stack';
import { listZip, type ZipEntry } from './zip.js';

/** Each function's deployable zip as `serverless package` left it, read for the tests and the benchmark. */
export interface FunctionBundle {
  name: string;
  logicalId: string;
  /** `functions/place-order/handler.mjs`, the bundle's path inside the zip. */
  entryPath: string;
  environment: Record<string, string>;
  zipPath: string;
  zip?: Buffer;
  zipModified?: Date;
  handlerEntry?: ZipEntry;
  sourceMapEntry?: ZipEntry;
  /** Size of its floor's handler.mjs (sdk-floor.ts), when the benchmark built one. */
  floorSize?: number;
}

/** The functions as the compiled template defines them, with their zip, handler and resolved environment. */
export const functionsFromTemplate = (resolver: TemplateResolver, projectRoot: string): FunctionBundle[] =>
  functionsOfTemplate(resolver).map(({ logicalId, handler, environment, codeKey }) => ({
    name: basename(codeKey, '.zip'),
    logicalId,
    entryPath: `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`,
    environment,
    zipPath: join(projectRoot, '.serverless', basename(codeKey)),
  }));

/** Reads every function's zip once, so the measurements all see the same bundles. */
export const loadZips = (bundles: FunctionBundle[], log: (line: string) => void): void => {
  for (const bundle of bundles) {
    if (!existsSync(bundle.zipPath)) {
      log(`${bundle.zipPath} is missing; run serverless package`);
      continue;
    }
    const zip = readFileSync(bundle.zipPath);
    const entries = listZip(zip);
    bundle.zip = zip;
    bundle.zipModified = statSync(bundle.zipPath).mtime;
    bundle.handlerEntry = entries.find((entry) => entry.name === bundle.entryPath) ?? entries.find((entry) => entry.name.endsWith('.mjs'));
    bundle.sourceMapEntry = entries.find((entry) => entry.name === `${bundle.handlerEntry?.name}.map`);
  }
};
