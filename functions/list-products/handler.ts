import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { dynamoDbProductCatalogue } from '../shared/catalogue/dynamodb-product-catalogue.js';
import { requiredEnv } from '../shared/config.js';
import { json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('list-products');
const catalogue = dynamoDbProductCatalogue(dynamoDocumentClient(), requiredEnv('PRODUCTS_TABLE'));

export const handler = middy(async () => json(200, await catalogue.listAll()))
  .use(injectLambdaContext(logger))
  .use(jsonErrors(logger));
