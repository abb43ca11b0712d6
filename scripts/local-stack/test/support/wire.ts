import type { AwsRequest } from '../../src/iam/actions.js';

/** What an SDK client would put on the wire for a command, captured instead of sent: no network. */
export interface SdkClient {
  send(command: unknown): Promise<unknown>;
}

const CAPTURED = 'request captured';

export const clientConfig = (captured: AwsRequest[]) => ({
  region: 'us-east-1',
  endpoint: 'http://localhost:4566',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
  requestHandler: {
    handle: async (request: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown; hostname: string; port?: number }) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query ?? {})) {
        for (const item of Array.isArray(value) ? value : [value]) query.append(name, item ?? '');
      }
      const search = query.toString().replace(/=(?=&|$)/g, '');
      // The SDK's JSON bodies are a Uint8Array that warns when used as a string: copy its bytes.
      const body = typeof request.body === 'string' ? Buffer.from(request.body)
        : request.body instanceof Uint8Array ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength)
          : Buffer.alloc(0);
      captured.push({
        method: request.method,
        url: `${request.path}${search ? `?${search}` : ''}`,
        headers: Object.fromEntries(Object.entries({ host: `${request.hostname}${request.port ? `:${request.port}` : ''}`, ...request.headers }).map(([name, value]) => [name.toLowerCase(), value])),
        body,
      });
      throw new Error(CAPTURED);
    },
  },
});

/** The request `command` becomes on the wire. */
export const wireRequest = async (client: SdkClient, captured: AwsRequest[], command: unknown): Promise<AwsRequest> => {
  captured.length = 0;
  await client.send(command).catch((error: Error) => {
    if (error.message !== CAPTURED) throw error;
  });
  const request = captured[0];
  if (!request) throw new Error('the client sent nothing');
  return request;
};
