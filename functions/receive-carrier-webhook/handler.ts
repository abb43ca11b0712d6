import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ssmClient } from '../shared/aws/ssm.js';
import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { requiredEnv } from '../shared/config.js';
import { header, json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { cachedParameter } from '../shared/parameters.js';
import { receiveCarrierWebhook } from '../shared/shipping/carrier-webhook.js';
import { stepFunctionsCarrierEvents } from '../shared/shipping/step-functions-carrier-events.js';

const logger = createLogger('receive-carrier-webhook');
const receive = receiveCarrierWebhook(
  cachedParameter(ssmClient(), requiredEnv('CARRIER_WEBHOOK_SECRET_PARAMETER')),
  stepFunctionsCarrierEvents(stepFunctionsClient(), requiredEnv('CARRIER_EVENTS_STATE_MACHINE_ARN')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  // The signature covers the bytes the carrier sent, so verify against the body exactly as received.
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  const { accepted } = await receive({ signature: header(event, 'carrier-signature'), rawBody });
  logger.info('carrier events accepted', { accepted });
  return json(202, { accepted });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
