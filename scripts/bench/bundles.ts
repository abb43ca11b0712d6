import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TemplateResolver } from '../local-stack/template.js';
import { sleep } from './stats.js';
import { listZip, type ZipEntry } from './zip.js';

export interface FunctionBundle {
  name: string;
  /** `functions/place-order/handler.mjs`, the bundle's path inside the zip. */
  entryPath: string;
  environment: Record<string, string>;
  zipPath: string;
  /** Read once, so a concurrent `serverless package` cannot change the bundle under the measurements. */
  zip?: Buffer;
  zipModified?: Date;
  handlerEntry?: ZipEntry;
  sourceMapEntry?: ZipEntry;
}

/** The functions as the compiled template defines them, with their zip, handler and resolved environment. */
export const functionsFromTemplate = (resolver: TemplateResolver, projectRoot: string): FunctionBundle[] =>
  resolver.logicalIdsOfType('AWS::Lambda::Function').map((logicalId) => {
    const properties = resolver.resource(logicalId).Properties ?? {};
    const handler = String(properties.Handler);
    const s3Key = String((properties.Code as { S3Key?: unknown } | undefined)?.S3Key ?? `${logicalId}.zip`);
    const variables = (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
    return {
      name: basename(s3Key, '.zip'),
      entryPath: `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`,
      environment: resolver.resolve(variables) as Record<string, string>,
      zipPath: join(projectRoot, '.serverless', basename(s3Key)),
    };
  });

const loadZip = (bundle: FunctionBundle): boolean => {
  if (!existsSync(bundle.zipPath)) return false;
  try {
    const zip = readFileSync(bundle.zipPath);
    const entries = listZip(zip);
    bundle.zip = zip;
    bundle.zipModified = statSync(bundle.zipPath).mtime;
    bundle.handlerEntry = entries.find((entry) => entry.name === bundle.entryPath) ?? entries.find((entry) => entry.name.endsWith('.mjs'));
    bundle.sourceMapEntry = entries.find((entry) => entry.name === `${bundle.handlerEntry?.name}.map`);
    return true;
  } catch {
    // Half-written while someone else packages; the retry below picks it up.
    return false;
  }
};

/** Reads every zip; others may be re-packaging `.serverless/` right now, so missing zips get a few retries. */
export const loadZips = async (bundles: FunctionBundle[], log: (line: string) => void, attempts = 4): Promise<void> => {
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const missing = bundles.filter((bundle) => !bundle.zip && !loadZip(bundle));
    if (missing.length === 0) return;
    if (attempt < attempts) {
      log(`${missing.length} zip(s) missing (${missing.map((bundle) => bundle.name).join(', ')}); retrying in 5 s`);
      await sleep(5000);
    }
  }
};
