import { s3PresigningClient } from '../../functions/shared/aws/s3.js';
import { s3UploadUrls } from '../../functions/shared/documents/s3-upload-urls.js';

/**
 * The presigned PUT as the create-document handler makes it (its client factory, the real SDK
 * presigner; signing needs no network). The emulator checks neither checksums nor signatures, so
 * what AWS would refuse is proven here, on the URL itself.
 */
const SIGNED_AT = new Date('2026-11-24T10:00:00.000Z');
const PUT = { objectKey: 'uploads/doc_0123456789abcdef0123456789abcdef', contentType: 'application/pdf', size: 48_213, signedAt: SIGNED_AT, expiresInSeconds: 900 };

const savedEnv = { ...process.env };
beforeAll(() => {
  // As on AWS: no endpoint override, credentials from the environment (made up: nothing is sent).
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  process.env = savedEnv;
});

const presign = (put: Partial<typeof PUT> = {}) => s3UploadUrls(s3PresigningClient(), 'documents-bucket').presignPut({ ...PUT, ...put });
const query = async (put: Partial<typeof PUT> = {}) => new URL(await presign(put)).searchParams;

describe('the presigned upload URL', () => {
  it('carries no checksum: S3 would compare it with the file, and one computed at signing time is of an empty body', async () => {
    const url = await presign();

    expect([...new URL(url).searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum-algorithm/i);
  });

  it('signs the content type and the content length next to the host', async () => {
    expect((await query()).get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });

  it('is another signature for another length or another type, so S3 refuses a PUT that differs from the declaration', async () => {
    const declared = (await query()).get('X-Amz-Signature');

    expect(declared).toMatch(/^[a-f0-9]{64}$/);
    expect((await query()).get('X-Amz-Signature')).toBe(declared);
    expect((await query({ size: PUT.size + 1 })).get('X-Amz-Signature')).not.toBe(declared);
    expect((await query({ contentType: 'image/png' })).get('X-Amz-Signature')).not.toBe(declared);
  });

  it('is a PUT of the document\'s key, valid from its signing time for the lifetime asked', async () => {
    const url = new URL(await presign());

    expect(url.origin + url.pathname).toBe(`https://documents-bucket.s3.eu-west-1.amazonaws.com/${PUT.objectKey}`);
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261124T100000Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('x-id')).toBe('PutObject');
  });
});
