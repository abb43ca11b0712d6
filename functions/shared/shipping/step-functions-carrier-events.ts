import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CarrierEventsUnavailableError } from '../errors.js';
import type { CarrierEventsWorkflow } from './carrier-webhook.js';

/** Starts the EXPRESS carrier-events workflow asynchronously: the carrier gets its 202 at once. */
export const stepFunctionsCarrierEvents = (sfn: SFNClient, stateMachineArn: string): CarrierEventsWorkflow => ({
  async start(batch) {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(batch) }));
    } catch (error) {
      throw new CarrierEventsUnavailableError(`the events could not be queued (${(error as Error).name}); the carrier should retry`);
    }
  },
});
