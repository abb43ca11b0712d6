import { s3Client } from '../shared/aws/s3.js';
import { textractClient } from '../shared/aws/textract.js';
import { requiredEnv } from '../shared/config.js';
import { byDocumentId } from '../shared/documents/document.js';
import { s3DocumentArtefacts } from '../shared/documents/s3-document-artefacts.js';
import { collectTextDetection } from '../shared/documents/text-detection.js';
import { textractTextDetection } from '../shared/documents/textract-text-detection.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(
  createLogger('collect-text-detection'),
  collectTextDetection(textractTextDetection(textractClient()), s3DocumentArtefacts(s3Client(), requiredEnv('DOCUMENTS_BUCKET'))),
  byDocumentId,
);
