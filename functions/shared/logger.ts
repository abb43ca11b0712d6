import { Logger } from '@aws-lambda-powertools/logger';
import './source-mapped-stacks.js';

/** One structured JSON logger per function; `orderId` is appended per invocation so one order can be followed. */
export const createLogger = (serviceName: string): Logger =>
  new Logger({ serviceName, logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
