import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbSignupStore } from '../shared/onboarding/dynamodb-signup-store.js';
import { requireSignupId, signupView } from '../shared/onboarding/signup.js';

const logger = createLogger('get-signup');
const signups = dynamoDbSignupStore(dynamoDocumentClient(), requiredEnv('SIGNUPS_TABLE'));

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const owner = callerOf(event).customerId;
  const signupId = requireSignupId(event.pathParameters?.signupId);
  logger.appendKeys({ signupId });
  return json(200, signupView(await signups.get(signupId), owner));
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
