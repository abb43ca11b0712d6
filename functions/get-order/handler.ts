import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbOrderReader } from '../shared/orders/dynamodb-order-reader.js';
import { getOrder } from '../shared/orders/order-view.js';

const logger = createLogger('get-order');
const get = getOrder(dynamoDbOrderReader(dynamoDocumentClient(), requiredEnv('ORDERS_TABLE'), requiredEnv('SHIPMENTS_TABLE')));

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const orderId = event.pathParameters?.orderId;
  logger.appendKeys({ orderId });
  return json(200, await get(orderId, callerOf(event).customerId));
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
