import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../shared/auth/caller.js';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { secretsManagerClient } from '../shared/aws/secrets-manager.js';
import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { requiredEnv } from '../shared/config.js';
import { header, json, jsonErrors } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbSignupStore } from '../shared/onboarding/dynamodb-signup-store.js';
import { startSignup } from '../shared/onboarding/start-signup.js';
import { stepFunctionsOnboarding } from '../shared/onboarding/step-functions-onboarding.js';
import { cachedSecret } from '../shared/secrets.js';

const logger = createLogger('start-signup');
const start = startSignup(
  dynamoDbSignupStore(dynamoDocumentClient(), requiredEnv('SIGNUPS_TABLE')),
  stepFunctionsOnboarding(stepFunctionsClient(), requiredEnv('CUSTOMER_ONBOARDING_STATE_MACHINE_ARN')),
  // The order-id key: signup ids are an HMAC under it too, of another message (signupIdFor).
  cachedSecret(secretsManagerClient(), requiredEnv('SIGNUP_ID_SECRET_ARN')),
);

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const result = await start({
    owner: callerOf(event).customerId,
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    contentType: header(event, 'content-type'),
    idempotencyKey: header(event, 'idempotency-key'),
  });
  logger.appendKeys({ signupId: result.signupId });
  logger.info('signup accepted', { replayed: result.replayed });
  return json(202, { signupId: result.signupId, status: result.status }, {
    location: `/signups/${result.signupId}`,
    ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(jsonErrors(logger));
