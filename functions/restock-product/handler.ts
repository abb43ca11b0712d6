import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, requireAdmin } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { eventBridgeClient } from '../shared/aws/eventbridge.js';
import { dynamoDbStockLedger } from '../shared/catalogue/dynamodb-product-catalogue.js';
import { eventBridgeInventoryEvents } from '../shared/catalogue/eventbridge-inventory-events.js';
import { parseRestockRequest, restockProduct } from '../shared/catalogue/restock.js';
import { requiredEnv } from '../shared/config.js';
import { BadRequestError } from '../shared/errors.js';
import { header, json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { isValidIdempotencyKey } from '../shared/orders/idempotency.js';

const logger = createLogger('restock-product');
const adminScope = requiredEnv('ADMIN_SCOPE');
const restock = restockProduct(
  dynamoDbStockLedger(dynamoDocumentClient(), requiredEnv('PRODUCTS_TABLE')),
  eventBridgeInventoryEvents(eventBridgeClient(), requiredEnv('EVENT_BUS_NAME'), requiredEnv('EVENT_SOURCE')),
);

const bodyOf = (event: APIGatewayProxyEventV2): unknown => {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('MalformedJson', `the body is not valid JSON: ${(error as Error).message}`);
  }
};

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const caller = callerOf(event);
  requireAdmin(caller, adminScope);
  const key = header(event, 'idempotency-key');
  if (key !== undefined && !isValidIdempotencyKey(key)) {
    throw new BadRequestError('InvalidIdempotencyKey', 'Idempotency-Key must be 1 to 128 printable ASCII characters without spaces');
  }
  const { quantity } = parseRestockRequest(bodyOf(event));
  const sku = event.pathParameters?.sku ?? '';
  const { product, replayed } = await restock({ sku, quantity, restockId: key ? `${caller.customerId}:${key}` : randomUUID() });
  logger.info('restocked', { sku, quantity, available: product.available, replayed, by: caller.customerId });
  return json(200, product, replayed ? { 'idempotent-replayed': 'true' } : {});
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
