import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from './endpoint.js';

// An emulator on localhost has no `<bucket>.localhost` hosts: path-style URLs there, virtual-hosted on AWS.
export const s3Client = (): S3Client => {
  const config = clientConfig('S3');
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
};
