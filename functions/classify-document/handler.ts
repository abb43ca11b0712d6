import { s3Client } from '../shared/aws/s3.js';
import { requiredEnv } from '../shared/config.js';
import { byDocumentId } from '../shared/documents/document.js';
import { classifyDocument } from '../shared/documents/processing-steps.js';
import { s3DocumentArtefacts } from '../shared/documents/s3-document-artefacts.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(createLogger('classify-document'), classifyDocument(s3DocumentArtefacts(s3Client(), requiredEnv('DOCUMENTS_BUCKET'))), byDocumentId);
