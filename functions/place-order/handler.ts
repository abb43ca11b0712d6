import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { secretsManagerClient } from '../shared/aws/secrets-manager.js';
import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { requiredEnv } from '../shared/config.js';
import { header, json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { placeOrder } from '../shared/orders/place-order.js';
import { cachedSecret } from '../shared/secrets.js';
import { stepFunctionsOrderIntake } from '../shared/orders/step-functions-order-intake.js';

const logger = createLogger('place-order');
const place = placeOrder(
  stepFunctionsOrderIntake(stepFunctionsClient(), requiredEnv('ORDER_INTAKE_STATE_MACHINE_ARN')),
  cachedSecret(secretsManagerClient(), requiredEnv('ORDER_ID_SECRET_ARN')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const result = await place({
    customerId: callerOf(event).customerId,
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    contentType: header(event, 'content-type'),
    idempotencyKey: header(event, 'idempotency-key'),
  });
  logger.appendKeys({ orderId: result.orderId });
  logger.info('order accepted', { replayed: result.replayed });
  const { replayed, ...body } = result;
  return json(201, body, { location: `/orders/${result.orderId}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
