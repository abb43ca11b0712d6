import { s3Client } from '../shared/aws/s3.js';
import { inspectUploadedObject, SIGNATURE_BYTES } from '../shared/documents/file-signature.js';
import { s3UploadReader } from '../shared/documents/s3-document-artefacts.js';
import { byDocumentId } from '../shared/documents/document.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(createLogger('inspect-upload'), inspectUploadedObject(s3UploadReader(s3Client(), SIGNATURE_BYTES)), byDocumentId);
