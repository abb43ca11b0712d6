/**
 * The event Step Functions puts on the account's default bus when a STANDARD execution changes
 * status ("Step Functions Execution Status Change"). Only the fields this app reads.
 */
export interface ExecutionStatusChangeEvent {
  'detail-type'?: string;
  source?: string;
  detail?: {
    executionArn?: string;
    stateMachineArn?: string;
    name?: string;
    status?: string;
    /** Epoch milliseconds. */
    stopDate?: number | null;
    /** The execution's input as JSON text, when it is small enough to be included. */
    input?: string | null;
    error?: string | null;
    cause?: string | null;
  };
}

export type EndedStatus = 'ABORTED' | 'FAILED' | 'TIMED_OUT';

export interface ExecutionEnded {
  executionArn: string;
  name: string;
  status: EndedStatus;
  stoppedAt: string;
  input: unknown;
  error: string | null;
  cause: string | null;
}

/** The event is not an execution that ended without succeeding: the rule routing it here is wrong. */
export class UnexpectedExecutionEventError extends Error {
  override name = 'UnexpectedExecutionEvent';
}

const ENDED: readonly string[] = ['ABORTED', 'FAILED', 'TIMED_OUT'];

export const executionEnded = (event: ExecutionStatusChangeEvent): ExecutionEnded => {
  const detail = event.detail ?? {};
  if (event['detail-type'] !== 'Step Functions Execution Status Change' || event.source !== 'aws.states') {
    throw new UnexpectedExecutionEventError(`not a Step Functions execution status change: ${String(event.source)} ${String(event['detail-type'])}`);
  }
  if (!detail.executionArn || !detail.name || !detail.status || !ENDED.includes(detail.status)) {
    throw new UnexpectedExecutionEventError(`not an execution that ended unsuccessfully: ${String(detail.executionArn)} ${String(detail.status)}`);
  }
  let input: unknown = null;
  try {
    input = detail.input ? JSON.parse(detail.input) : null;
  } catch {
    input = null;
  }
  return {
    executionArn: detail.executionArn,
    name: detail.name,
    status: detail.status as EndedStatus,
    stoppedAt: new Date(typeof detail.stopDate === 'number' ? detail.stopDate : Date.now()).toISOString(),
    input,
    error: detail.error ?? null,
    cause: detail.cause ?? null,
  };
};
