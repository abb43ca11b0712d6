/**
 * The one place that knows where AWS is. In AWS every setting is absent and the SDK's
 * defaults apply; locally AWS_ENDPOINT_URL points every client at the emulator (or LocalStack),
 * and a service-specific AWS_ENDPOINT_URL_<SERVICE> wins, as in the AWS CLI.
 *
 * Each client has a module of its own next to this one, so a handler's bundle carries only the
 * clients it imports (the deployable-bundles test checks them against the function's IAM role).
 */
const endpointFor = (service: string): string | undefined =>
  process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;

export const clientConfig = (service: string): { endpoint?: string; region: string } => {
  const endpoint = endpointFor(service);
  return {
    ...(endpoint ? { endpoint } : {}),
    region: process.env.AWS_REGION ?? 'us-east-1',
  };
};
