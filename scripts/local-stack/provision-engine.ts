import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { provisionFromTemplate, provisionStateMachines } from './provision.js';
import { loadCompiledTemplate, REGION } from './stack.js';

/**
 * Gives an engine someone else runs the compiled template:
 *   SFN_ENDPOINT_URL=http://localhost:8083 tsx scripts/local-stack/provision-engine.ts   (Step Functions Local: state machines only)
 *   AWS_ENDPOINT_URL=http://localhost:4566 tsx scripts/local-stack/provision-engine.ts   (LocalStack: every resource)
 * Does nothing when the state machines exist already.
 */
const sfnEndpoint = process.env.SFN_ENDPOINT_URL;
const awsEndpoint = process.env.AWS_ENDPOINT_URL;
const endpoint = sfnEndpoint ?? awsEndpoint;
if (!endpoint) {
  console.error('set SFN_ENDPOINT_URL (Step Functions Local) or AWS_ENDPOINT_URL (LocalStack)');
  process.exit(2);
}

const resolver = await loadCompiledTemplate((line) => console.log(line));
const region = process.env.AWS_REGION ?? REGION;
const sfn = new SFNClient({ endpoint, region });
const existing = new Set((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.map((sm) => sm.name));
const wanted = resolver.logicalIdsOfType('AWS::StepFunctions::StateMachine').map((id) => resolver.physicalName(id));
if (wanted.every((name) => existing.has(name))) {
  console.log(`${endpoint} already has ${wanted.join(', ')}`);
} else if (sfnEndpoint) {
  await provisionStateMachines(resolver, sfn);
  console.log(`created ${wanted.join(', ')} in ${endpoint}`);
} else {
  await provisionFromTemplate(resolver, { endpoint, region });
  console.log(`created the template's resources in ${endpoint}`);
}
