import { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from './endpoint.js';

export const ssmClient = (): SSMClient => new SSMClient(clientConfig('SSM'));
