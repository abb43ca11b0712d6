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
import { header, json, jsonErrors, readJsonBody } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { requireValidIdempotencyKey } from '../shared/orders/idempotency.js';

const logger = createLogger('restock-product');
const adminScope = requiredEnv('ADMIN_SCOPE');
const restock = restockProduct(
  dynamoDbStockLedger(dynamoDocumentClient(), { products: requiredEnv('PRODUCTS_TABLE'), restocks: requiredEnv('RESTOCKS_TABLE') }),
  eventBridgeInventoryEvents(eventBridgeClient(), requiredEnv('EVENT_BUS_NAME'), requiredEnv('EVENT_SOURCE')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const caller = callerOf(event);
  requireAdmin(caller, adminScope);
  const key = header(event, 'idempotency-key');
  requireValidIdempotencyKey(key);
  const { quantity } = parseRestockRequest(readJsonBody({ body: event.body, isBase64Encoded: event.isBase64Encoded, contentType: header(event, 'content-type') }));
  const sku = event.pathParameters?.sku ?? '';
  const { product, replayed } = await restock({ sku, quantity, restockId: key ? `${caller.customerId}:${key}` : randomUUID() });
  logger.info('restocked', { sku, quantity, available: product.available, replayed, by: caller.customerId });
  return json(200, product, replayed ? { 'idempotent-replayed': 'true' } : {});
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
