import type { RunningStack } from './stack.js';

/** What a person needs to find their way around a running stack, one line each. */
export const describeStack = (stack: RunningStack): string[] => {
  const { provisioned } = stack;
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : '(none)');
  return [
    `HTTP API        ${stack.httpEndpoint}   (the template's routes, behind their authorizers)`,
    ...(stack.issuer
      ? [`Tokens          POST ${stack.httpEndpoint}/_local/token {"sub":"alice"}   (default scope "${stack.issuer.defaultScope}")`]
      : ['Tokens          from the issuer the template names (no local issuer)']),
    `Outbox          ${stack.httpEndpoint}/_local/outbox   (email the stack sent: JSON, or a page in a browser)`,
    `Console         ${stack.httpEndpoint}/_local/console   (state machines, executions drawn on their diagrams, search by input)`,
    `AWS endpoint    ${stack.awsEndpoint}   (aws --endpoint-url ${stack.awsEndpoint} ...; any credentials)`,
    'State machines',
    ...provisioned.stateMachines.map((sm) => `    ${sm.type.padEnd(8)} ${sm.arn}`),
    `Tables          ${list(provisioned.tables)}`,
    `Queues          ${list(provisioned.queues)}   (SQS event sources polled as Lambda would)`,
    `Buckets         ${list(provisioned.buckets)}   (Textract reads them by OCR: tesseract, pdftoppm)`,
    ...(stack.parameters.length > 0 ? [`Parameters      ${list(stack.parameters)}   (SSM SecureStrings)`] : []),
    `IAM             ${stack.iam.summary}   (LOCAL_IAM)`,
    `Faults          ${stack.faults.summary}`,
    `Emulator log    ${stack.logFiles.emulator}`,
  ];
};
