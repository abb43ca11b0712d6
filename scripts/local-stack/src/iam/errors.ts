import { randomUUID } from 'node:crypto';
import type { MappedCall } from './actions.js';

/** An HTTP answer, written as the service would write it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const escapeXml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * AWS's words for a refused call: `User: <principal> is not authorized to perform: <action> on
 * resource: <resource> because no identity-based policy allows the <action> action`. SNS spells
 * the prefix `SNS:`; S3 quotes the resource; an action granted only on "*" names no resource.
 */
export const denialMessage = (options: { principal: string; action: string; resource: string; service: string; explicit: boolean; resourcePolicy: boolean }): string => {
  const { principal, resource, service, explicit, resourcePolicy } = options;
  const action = service === 'sns' ? options.action.replace(/^sns:/, 'SNS:') : options.action;
  const on = resource === '*' ? '' : ` on resource: ${service === 's3' ? `"${resource}"` : resource}`;
  const kind = resourcePolicy ? 'resource-based' : 'identity-based';
  const because = explicit ? `with an explicit deny in an ${kind} policy` : `because no ${kind} policy allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action}${on} ${because}`;
};

const JSON_CONTENT_TYPES: Record<string, string> = { dynamodb: 'application/x-amz-json-1.0', states: 'application/x-amz-json-1.0', sqs: 'application/x-amz-json-1.0' };

/** The AccessDenied error each service returns, in its protocol (what its SDK clients parse into an AccessDeniedException or AuthorizationError). */
export const accessDenied = (call: MappedCall, message: string, method: string): Answer => {
  const requestId = randomUUID();
  switch (call.protocol) {
    case 'json': {
      const contentType = JSON_CONTENT_TYPES[call.service] ?? 'application/x-amz-json-1.1';
      if (call.service === 'dynamodb') {
        return { status: 400, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message }) };
      }
      if (call.service === 'sqs') {
        // SQS's JSON protocol keeps its query-era code in a header its clients read.
        return { status: 403, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-query-error': 'AccessDenied;Sender' }, body: JSON.stringify({ __type: 'com.amazon.coral.access#AccessDeniedException', message }) };
      }
      return { status: 400, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ __type: 'AccessDeniedException', message }) };
    }
    case 'query': {
      const code = call.service === 'sns' ? 'AuthorizationError' : 'AccessDenied';
      const namespace = call.service === 'sns' ? ' xmlns="http://sns.amazonaws.com/doc/2010-03-31/"' : call.service === 'sts' ? ' xmlns="https://sts.amazonaws.com/doc/2011-06-15/"' : '';
      return {
        status: 403,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse${namespace}><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
    case 'rest-xml':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        // A HEAD answer carries no body: its clients see only the status.
        body: method.toUpperCase() === 'HEAD' ? '' : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case 'rest-json':
      return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ Type: 'User', message }) };
  }
};
