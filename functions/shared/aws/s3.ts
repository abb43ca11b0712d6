import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from './endpoint.js';

// An emulator on localhost has no `<bucket>.localhost` hosts: path-style URLs there, virtual-hosted on AWS.
const s3Config = () => {
  const config = clientConfig('S3');
  return { ...config, forcePathStyle: config.endpoint !== undefined };
};

export const s3Client = (): S3Client => new S3Client(s3Config());

/**
 * For presigned uploads. A presigned PUT has no body when it is signed: with the SDK's default
 * (`WHEN_SUPPORTED`, since 3.729) the URL would carry the CRC32 of an empty body
 * (`x-amz-checksum-crc32=AAAAAA==`) and S3 would refuse every real file sent to it
 * (aws/aws-sdk-js-v3#6994). The emulator checks no checksum, so only the URL shows it.
 */
export const s3PresigningClient = (): S3Client => new S3Client({ ...s3Config(), requestChecksumCalculation: 'WHEN_REQUIRED' });
