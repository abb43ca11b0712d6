import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../shared/aws/dynamodb.js';
import { requiredEnv } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { dynamoDbAccountDirectory, validateSignup } from '../shared/onboarding/validate-signup.js';
import { workflowTask } from '../shared/workflow-task.js';

const db = dynamoDocumentClient();
const accountsTable = requiredEnv('ACCOUNTS_TABLE');

export const handler = workflowTask(
  createLogger('validate-signup'),
  validateSignup(dynamoDbAccountDirectory(async (companyKey) =>
    (await db.send(new GetCommand({ TableName: accountsTable, Key: { companyKey }, ConsistentRead: true }))).Item)),
  ({ signupId }) => ({ signupId }),
);
