import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { provisionFromTemplate, provisionStateMachines } from './provision.js';
import { REGION } from './stack.js';
import type { TemplateResolver } from './template.js';

/**
 * Gives an engine someone else runs the compiled template (`local-stack provision`):
 * SFN_ENDPOINT_URL (Step Functions Local) gets the state machines only, AWS_ENDPOINT_URL
 * (LocalStack) every resource. Does nothing when the state machines exist already.
 */
export const provisionExternalEngine = async (resolver: TemplateResolver, endpoints: { sfn?: string; aws?: string }, log: (line: string) => void): Promise<void> => {
  const endpoint = endpoints.sfn ?? endpoints.aws;
  if (!endpoint) throw new Error('set SFN_ENDPOINT_URL (Step Functions Local) or AWS_ENDPOINT_URL (LocalStack)');
  const region = process.env.AWS_REGION ?? REGION;
  const sfn = new SFNClient({ endpoint, region });
  const existing = new Set((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.map((sm) => sm.name));
  const wanted = resolver.logicalIdsOfType('AWS::StepFunctions::StateMachine').map((id) => resolver.physicalName(id));
  if (wanted.every((name) => existing.has(name))) {
    log(`${endpoint} already has ${wanted.join(', ')}`);
  } else if (endpoints.sfn) {
    await provisionStateMachines(resolver, sfn);
    log(`created ${wanted.join(', ')} in ${endpoint}`);
  } else {
    await provisionFromTemplate(resolver, { endpoint, region });
    log(`created the template's resources in ${endpoint}`);
  }
};
