import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { cachedListing, LISTING_MAX_AGE_SECONDS } from '../shared/catalogue/cached-listing.js';
import { dynamoDbProductCatalogue } from '../shared/catalogue/dynamodb-product-catalogue.js';
import { requiredEnv } from '../shared/config.js';
import { json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('list-products');
const catalogue = dynamoDbProductCatalogue(dynamoDocumentClient(), requiredEnv('PRODUCTS_TABLE'));
const listing = cachedListing(() => catalogue.listAll(), LISTING_MAX_AGE_SECONDS * 1000);

export const handler = middy(async () => json(200, await listing(), { 'cache-control': `public, max-age=${LISTING_MAX_AGE_SECONDS}` }))
  .use(injectLambdaContext(logger))
  .use(jsonErrors(logger));
