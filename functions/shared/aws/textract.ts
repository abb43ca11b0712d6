import { TextractClient } from '@aws-sdk/client-textract';
import { clientConfig } from './endpoint.js';

export const textractClient = (): TextractClient => new TextractClient(clientConfig('TEXTRACT'));
