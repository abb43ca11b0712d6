import { byDocumentId } from '../shared/documents/document.js';
import { checkRequiredFields } from '../shared/documents/processing-steps.js';
import { createLogger } from '../shared/logger.js';
import { workflowTask } from '../shared/workflow-task.js';

export const handler = workflowTask(createLogger('check-required-fields'), checkRequiredFields, byDocumentId);
