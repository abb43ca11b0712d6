import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { ssmClient } from '../shared/aws/ssm.js';
import { stepFunctionsClient } from '../shared/aws/step-functions.js';
import { requiredEnv } from '../shared/config.js';
import { decideApproval, showApproval, type CallbackDependencies, type PageAnswer } from '../shared/approvals/approval-callback.js';
import { dynamoDbApprovalStore } from '../shared/approvals/dynamodb-approval-store.js';
import { ssmLinkKey } from '../shared/approvals/link-key.js';
import { header } from '../shared/http.js';
import { createLogger } from '../shared/logger.js';
import { messagePage } from '../shared/approvals/pages.js';

const logger = createLogger('approval-callback');
const sfn = stepFunctionsClient();
const deps: CallbackDependencies = {
  store: dynamoDbApprovalStore(dynamoDocumentClient(), requiredEnv('APPROVALS_TABLE')),
  callback: {
    async succeed(taskToken, output) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    },
  },
  linkKey: ssmLinkKey(ssmClient(), requiredEnv('APPROVAL_LINK_KEY_PARAMETER')),
  now: () => new Date(),
  warn: (message, details) => logger.warn(message, details),
};
const show = showApproval(deps);
const decide = decideApproval(deps);

const MAX_FORM_BYTES = 8 * 1024;

const htmlResponse = (answer: Pick<PageAnswer, 'statusCode' | 'html'>): APIGatewayProxyStructuredResultV2 => ({
  statusCode: answer.statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'x-frame-options': 'DENY',
  },
  body: answer.html,
});

export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const approvalId = event.pathParameters?.approvalId;
  logger.appendKeys({ approvalId });
  const request = {
    approvalId,
    query: event.queryStringParameters ?? {},
    actionUrl: `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`,
  };
  let answer: PageAnswer;
  if (event.requestContext.http.method === 'POST') {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const contentType = header(event, 'content-type') ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded') || Buffer.byteLength(body) > MAX_FORM_BYTES) {
      answer = { statusCode: 400, outcome: 'bad-form', html: messagePage('Not a decision form', 'Send the decision with the form on the approval page.') };
    } else {
      answer = await decide({ ...request, form: new URLSearchParams(body) });
    }
  } else {
    answer = await show(request);
  }
  logger.info('approval page answered', { method: event.requestContext.http.method, status: answer.statusCode, outcome: answer.outcome });
  return htmlResponse(answer);
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use({
    onError: async (request) => {
      logger.error('unexpected error', request.error as Error);
      request.response = htmlResponse({ statusCode: 500, html: messagePage('Something went wrong', 'Nothing was decided. Please try the link again in a minute.') });
    },
  });
