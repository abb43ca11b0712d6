import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ssmClient } from '../shared/aws/ssm.js';
import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { requiredEnv } from '../shared/config.js';
import { header, json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { cachedParameter } from '../shared/parameters.js';
import { checkedWebhookSecret, rawBodyOf, receiveCarrierWebhook } from '../shared/shipping/carrier-webhook.js';
import { stepFunctionsCarrierEvents } from '../shared/shipping/step-functions-carrier-events.js';

const logger = createLogger('receive-carrier-webhook');
const secretParameter = requiredEnv('CARRIER_WEBHOOK_SECRET_PARAMETER');
const receive = receiveCarrierWebhook(
  checkedWebhookSecret(cachedParameter(ssmClient(), secretParameter), `parameter ${secretParameter}`),
  stepFunctionsCarrierEvents(stepFunctionsClient(), requiredEnv('CARRIER_EVENTS_STATE_MACHINE_ARN')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  // The signature covers the bytes the carrier sent, so verify against the body exactly as received.
  const { accepted } = await receive({ signature: header(event, 'carrier-signature'), rawBody: rawBodyOf(event) });
  logger.info('carrier events accepted', { accepted });
  return json(202, { accepted });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
