import { SNSClient } from '@aws-sdk/client-sns';
import { clientConfig } from './endpoint.js';

export const snsClient = (): SNSClient => new SNSClient(clientConfig('SNS'));
