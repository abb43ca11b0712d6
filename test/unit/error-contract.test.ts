import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as errors from '../../functions/shared/errors.js';
import { PaymentTokenMissingError } from '../../functions/shared/payments/payment-tokens.js';
import { RefundsStillOwedError } from '../../functions/shared/payments/reconcile-refunds.js';

/**
 * The names of our typed errors are the contract with the state machines: every error a
 * definition catches or retries by a name of ours must be thrown by some class with that name.
 */
// AWS's own names: `Sandbox.Timedout` is what Lambda reports for a function that ran out of time.
const SERVICE_PREFIXES = /^(States|Lambda|Sandbox|DynamoDB|SNS|SQS|EventBridge|StepFunctions|Textract)\./;
const definitionsDir = new URL('../../statemachines/', import.meta.url);

const errorNamesIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(errorNamesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    key === 'ErrorEquals' ? (item as string[]) : errorNamesIn(item));
};

const definitions = readdirSync(definitionsDir).filter((file) => file.endsWith('.asl.yaml'));

const ourErrorNames = (): Set<string> => {
  const names = new Set<string>();
  const classes = [...Object.values(errors), PaymentTokenMissingError, RefundsStillOwedError];
  for (const candidate of classes) {
    if (typeof candidate !== 'function' || !(candidate.prototype instanceof Error)) continue;
    try {
      names.add((new (candidate as new (...args: unknown[]) => Error)([])).name);
    } catch {
      // a constructor that needs other arguments; BadRequestError names its instances itself
    }
  }
  return names;
};

describe('error names shared with the state machines', () => {
  it('finds the definitions', () => {
    expect(definitions).toEqual(expect.arrayContaining(['order-intake.asl.yaml', 'order-fulfilment.asl.yaml', 'approval.asl.yaml', 'document-processing.asl.yaml']));
  });

  it.each(definitions)('%s catches and retries only errors some class of ours throws', (file) => {
    const definition = parse(readFileSync(new URL(file, definitionsDir), 'utf8')) as unknown;
    const ours = ourErrorNames();

    const names = [...new Set(errorNamesIn(definition))];
    const custom = names.filter((name) => !SERVICE_PREFIXES.test(name));

    // Every definition catches something (States.ALL at least): an empty list means the reader missed them.
    expect(names.length).toBeGreaterThan(0);
    expect(custom.filter((name) => !ours.has(name))).toEqual([]);
  });
});
