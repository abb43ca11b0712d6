import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REGION } from 'local-stack';
import { setRefundsDown } from '../../functions/shared/payments/dynamodb-gateway-outages.js';

/**
 * `npm run demo:gateway -- refunds-down` / `refunds-up`: the simulated payment gateway's refunds
 * fail (transiently, as in an outage) until they are up again; charges go on. Against the stack
 * `npm start` runs (LOCAL_AWS_PORT, 4566), or the endpoint AWS_ENDPOINT_URL names.
 * docs/runbook.md walks an order through such an outage and its redrive.
 */
const USAGE = 'usage: npm run demo:gateway -- refunds-down | refunds-up';
const [command] = process.argv.slice(2);
if (command !== 'refunds-down' && command !== 'refunds-up') {
  console.error(USAGE);
  process.exit(2);
}
const endpoint = process.env.AWS_ENDPOINT_URL ?? `http://localhost:${process.env.LOCAL_AWS_PORT ?? 4566}`;
const table = process.env.PAYMENTS_TABLE ?? 'sfn-orders-local-payments';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
await setRefundsDown(db, table, command === 'refunds-down');
console.log(command === 'refunds-down'
  ? `Refunds are down at the simulated gateway (${table} on ${endpoint}): every refund fails as PaymentGatewayUnavailable until \`npm run demo:gateway -- refunds-up\`.`
  : `Refunds are up again at the simulated gateway (${table} on ${endpoint}).`);
