import { SFNClient } from '@aws-sdk/client-sfn';
import { clientConfig } from './endpoint.js';

// StartSyncExecution adds a `sync-` host prefix; an emulator on localhost has no such host.
export const stepFunctionsClient = (): SFNClient => {
  const config = clientConfig('SFN');
  return new SFNClient({ ...config, disableHostPrefix: config.endpoint !== undefined });
};
