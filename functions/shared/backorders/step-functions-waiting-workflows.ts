import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WaitingWorkflows } from './backorder.js';

/** What Step Functions answers for a token nobody waits on any more: timed out, or its execution ended. */
const NO_LONGER_WAITING = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const stepFunctionsWaitingWorkflows = (sfn: SFNClient): WaitingWorkflows => ({
  async resume(taskToken, output) {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'RESUMED';
    } catch (error) {
      if (error instanceof Error && NO_LONGER_WAITING.has(error.name)) return 'STOPPED_WAITING';
      throw error;
    }
  },
});
