import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { runAs, type Caller } from './caller.js';
import type { TemplateResolver } from './template.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** `functions/my-function/handler.handler` as in the template. */
  handler: string;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** Where `serverless package` put the function's zip (its S3 key). */
  codeKey: string;
  /** The execution role's ARN: what the function's calls are held to. */
  role: string;
}

/** Every AWS::Lambda::Function of the compiled template, with its settings resolved. */
export const functionsOfTemplate = (resolver: TemplateResolver): LambdaFunction[] =>
  resolver.logicalIdsOfType('AWS::Lambda::Function').map((logicalId) => {
    const properties = resolver.properties(logicalId);
    return {
      logicalId,
      name: String(properties.FunctionName),
      arn: resolver.getAtt(logicalId, 'Arn'),
      handler: String(properties.Handler),
      timeoutSeconds: Number(properties.Timeout ?? 6),
      environment: (properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {},
      codeKey: String((properties.Code as { S3Key?: unknown } | undefined)?.S3Key ?? `${logicalId}.zip`),
      role: String(properties.Role ?? ''),
    };
  });

export type InvokeResult =
  | { ok: true; payload: unknown }
  | { ok: false; error: { errorType: string; errorMessage: string; trace: string[] } };

/** One execution environment of a function: its own instance of the handler's module, one invocation at a time. */
interface Environment {
  handler: Promise<Handler>;
  busy: boolean;
}

/**
 * Environments per function at most; an invocation beyond them waits for one to be free. Each has
 * its own SDK clients and connections, and dozens at once (a burst of carrier webhooks) cost the
 * emulator more than they give: on two cores nothing runs faster with more.
 */
export const MAX_ENVIRONMENTS = 8;

/**
 * Runs our real handlers in this process, as the template defines them. Like Lambda, each
 * function has execution environments that take one invocation at a time: a concurrent invocation
 * gets an environment of its own (a fresh instance of the handler's module, so module state such
 * as the logger's keys is never shared by two invocations at once), an idle one is reused, and one
 * whose invocation timed out is discarded. Errors keep their `name` as `errorType`, which is what
 * Step Functions' Retry/Catch match.
 */
export class LambdaRuntime {
  private readonly byName = new Map<string, LambdaFunction>();
  private readonly environments = new Map<string, Environment[]>();
  /** Invocations waiting for an environment, per function, first come first served. */
  private readonly waiters = new Map<string, ((environment: Environment | undefined) => void)[]>();
  /** Environments made in this process: each imports its module under a URL never used before. */
  private static made = 0;

  constructor(private readonly projectRoot: string) {}

  static fromTemplate(resolver: TemplateResolver, projectRoot: string): LambdaRuntime {
    const runtime = new LambdaRuntime(projectRoot);
    functionsOfTemplate(resolver).forEach((fn) => runtime.register(fn));
    return runtime;
  }

  register(fn: LambdaFunction): void {
    this.byName.set(fn.name, fn);
  }

  get functions(): LambdaFunction[] {
    return [...this.byName.values()];
  }

  /** Accepts a name, a full ARN, or an ARN with a version or alias qualifier. */
  find(nameOrArn: string): LambdaFunction | undefined {
    const decoded = decodeURIComponent(nameOrArn);
    const name = decoded.startsWith('arn:') ? decoded.split(':')[6] ?? '' : decoded.split(':')[0] ?? '';
    return this.byName.get(name);
  }

  /**
   * Handlers share this process, so their settings must agree; the template gives them all the
   * provider-level environment, and a conflict here is a template change that needs a real process per function.
   */
  applyEnvironment(overrides: Record<string, string>): void {
    const merged: Record<string, string> = {};
    for (const fn of this.byName.values()) {
      for (const [key, value] of Object.entries(fn.environment)) {
        if (key === 'NODE_OPTIONS') continue;
        if (merged[key] !== undefined && merged[key] !== value) {
          throw new Error(`functions disagree on ${key}; the local runtime runs them in one process`);
        }
        merged[key] = value;
      }
    }
    Object.assign(process.env, merged, overrides);
  }

  /** How many execution environments a function has had, busy or idle (timed-out ones are gone). */
  environmentsOf(name: string): number {
    return this.environments.get(name)?.length ?? 0;
  }

  private async acquire(fn: LambdaFunction): Promise<Environment> {
    const pool = this.environments.get(fn.name) ?? [];
    this.environments.set(fn.name, pool);
    const idle = pool.find((environment) => !environment.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (pool.length >= MAX_ENVIRONMENTS) {
      // Handed the environment the next invocation to end leaves, or room for a new one.
      const handedOver = await new Promise<Environment | undefined>((resolve) => this.waiting(fn.name).push(resolve));
      return handedOver ?? this.acquire(fn);
    }
    const dot = fn.handler.lastIndexOf('.');
    const modulePath = resolve(this.projectRoot, `${fn.handler.slice(0, dot)}.ts`);
    const exportName = fn.handler.slice(dot + 1);
    LambdaRuntime.made += 1;
    // A new query string is a new instance of the module; its imports stay shared (a bundle would copy them too).
    const url = `${pathToFileURL(modulePath).href}?environment=${LambdaRuntime.made}`;
    const handler = import(url).then((module: Record<string, unknown>) => {
      const exported = module[exportName];
      if (typeof exported !== 'function') throw new Error(`${modulePath} does not export ${exportName}`);
      return exported as Handler;
    });
    const environment: Environment = { handler, busy: true };
    pool.push(environment);
    return environment;
  }

  private waiting(name: string): ((environment: Environment | undefined) => void)[] {
    const queue = this.waiters.get(name) ?? [];
    this.waiters.set(name, queue);
    return queue;
  }

  private release(fn: LambdaFunction, environment: Environment, ended: boolean): void {
    const next = this.waiting(fn.name).shift();
    if (ended) {
      const pool = this.environments.get(fn.name) ?? [];
      pool.splice(pool.indexOf(environment), 1);
      next?.(undefined);
    } else if (next) {
      next(environment); // still busy: first come, first served
    } else {
      environment.busy = false;
    }
  }

  async invoke(fn: LambdaFunction, event: unknown): Promise<InvokeResult> {
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    const environment = await this.acquire(fn);
    // Lambda ends an environment whose module failed to load, or whose invocation timed out (its handler may still be running).
    let ended = true;
    try {
      const handler = await environment.handler;
      ended = false;
      // Everything the handler sends to the stack says it comes from this function (caller.ts).
      const caller: Caller = { kind: 'function', arn: fn.arn, ...(fn.role ? { role: fn.role } : {}) };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ended = true;
          reject(Object.assign(new Error(`Task timed out after ${fn.timeoutSeconds} seconds`), { name: 'Sandbox.Timedout' }));
        }, fn.timeoutSeconds * 1000);
      });
      try {
        return { ok: true, payload: await Promise.race([runAs(caller, () => handler(event, context)), timeout]) };
      } finally {
        clearTimeout(timer);
      }
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      return { ok: false, error: { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') } };
    } finally {
      this.release(fn, environment, ended);
    }
  }
}
