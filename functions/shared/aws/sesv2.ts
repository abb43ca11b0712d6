import { SESv2Client } from '@aws-sdk/client-sesv2';
import { clientConfig } from './endpoint.js';

export const sesClient = (): SESv2Client => new SESv2Client(clientConfig('SESV2'));
