import type { LambdaFunction } from './lambda-runtime.js';
import { putSecureParameter } from './provision.js';

/**
 * SecureStrings an operator creates once per stage on AWS (README, Deploy) and the functions read
 * through Powertools Parameters. Locally the stack creates them, from the environment or from a
 * documented default that is public and therefore no secret.
 */
export const LOCAL_APPROVAL_LINK_KEY = 'local-approval-link-key--public--never-use-on-aws';

const PARAMETERS = [
  { environmentVariable: 'APPROVAL_LINK_KEY_PARAMETER', value: () => process.env.APPROVAL_LINK_KEY ?? LOCAL_APPROVAL_LINK_KEY },
];

/** Creates each parameter some function names in its environment; returns the names created. */
export const createOperatorParameters = async (clientConfig: { endpoint: string; region: string }, functions: LambdaFunction[]): Promise<string[]> => {
  const created: string[] = [];
  for (const { environmentVariable, value } of PARAMETERS) {
    const names = new Set(functions.map((fn) => fn.environment[environmentVariable]).filter((name): name is string => Boolean(name)));
    for (const name of names) {
      await putSecureParameter(clientConfig, name, value());
      created.push(name);
    }
  }
  return created;
};
