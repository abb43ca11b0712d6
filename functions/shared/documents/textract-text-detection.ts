import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  type TextractClient,
} from '@aws-sdk/client-textract';
import { TextractUnavailableError, UnreadableDocumentError } from '../errors.js';
import type { TextDetection } from './text-detection.js';

// Textract's answers about the file itself; anything else it says is about Textract.
const UNREADABLE = new Set(['UnsupportedDocumentException', 'BadDocumentException', 'DocumentTooLargeException']);
const TRANSIENT = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError', 'LimitExceededException']);

/** Textract's errors as the workflow's: the file is unreadable (final), or Textract is busy (retried). */
const translated = (error: unknown): unknown => {
  const name = (error as Error).name;
  if (UNREADABLE.has(name)) return new UnreadableDocumentError((error as Error).message);
  if (TRANSIENT.has(name)) return new TextractUnavailableError(`${name}: ${(error as Error).message}`);
  return error;
};

export const textractTextDetection = (textract: TextractClient): TextDetection => ({
  async detectImage({ bucket, key, versionId }) {
    try {
      const answer = await textract.send(new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: bucket, Name: key, Version: versionId } } }));
      return answer.Blocks ?? [];
    } catch (error) {
      throw translated(error);
    }
  },
  async results(jobId, nextToken) {
    try {
      const answer = await textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId, NextToken: nextToken, MaxResults: 1000 }));
      return {
        status: answer.JobStatus ?? 'IN_PROGRESS',
        blocks: answer.Blocks ?? [],
        ...(answer.NextToken ? { nextToken: answer.NextToken } : {}),
        ...(answer.StatusMessage ? { statusMessage: answer.StatusMessage } : {}),
      };
    } catch (error) {
      throw translated(error);
    }
  },
});
