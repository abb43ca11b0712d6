import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { OnboardingWorkflow } from './start-signup.js';

/**
 * The execution is named after the signup: starting it again with the same input answers the
 * running or finished execution, never a second one (STANDARD workflows keep names 90 days).
 */
export const stepFunctionsOnboarding = (sfn: SFNClient, stateMachineArn: string): OnboardingWorkflow => ({
  async start(input) {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.signupId, input: JSON.stringify(input) }));
    } catch (error) {
      // A replay after the execution ended (AWS answers a closed one so): it ran, once.
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    }
  },
});
