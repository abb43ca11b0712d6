import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * The one place that knows where AWS is. In AWS every setting is absent and the SDK's
 * defaults apply; locally AWS_ENDPOINT_URL points every client at the emulator (or LocalStack),
 * and a service-specific AWS_ENDPOINT_URL_<SERVICE> wins, as in the AWS CLI.
 */
const endpointFor = (service: string): string | undefined =>
  process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;

const commonConfig = (service: string) => {
  const endpoint = endpointFor(service);
  return {
    ...(endpoint ? { endpoint } : {}),
    region: process.env.AWS_REGION ?? 'us-east-1',
  };
};

export const dynamoDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(commonConfig('DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true },
  });

// StartSyncExecution adds a `sync-` host prefix; an emulator on localhost has no such host.
export const stepFunctionsClient = (): SFNClient => {
  const config = commonConfig('SFN');
  return new SFNClient({ ...config, disableHostPrefix: config.endpoint !== undefined });
};

export const eventBridgeClient = (): EventBridgeClient =>
  new EventBridgeClient(commonConfig('EVENTBRIDGE'));

export const snsClient = (): SNSClient => new SNSClient(commonConfig('SNS'));

export const secretsManagerClient = (): SecretsManagerClient => new SecretsManagerClient(commonConfig('SECRETS_MANAGER'));

export const ssmClient = (): SSMClient => new SSMClient(commonConfig('SSM'));
