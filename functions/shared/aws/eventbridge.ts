import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig } from './endpoint.js';

export const eventBridgeClient = (): EventBridgeClient => new EventBridgeClient(clientConfig('EVENTBRIDGE'));
