/**
 * Typed errors. A Lambda error's `name` becomes its Step Functions error name, so each `name`
 * here is the contract with an `ErrorEquals` in a workflow definition (statemachines/<name>/definition.asl.yaml): rename one, rename both.
 */

export interface Problem {
  field: string;
  problem: string;
}

/** Input refused field by field: the message lists the problems, and the API answers them as `details`. */
export abstract class InvalidInputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(formatProblems(problems));
  }
}

/** Business rejection of an order at intake (unknown SKU, ...). */
export class InvalidOrderError extends InvalidInputError {
  override name = 'InvalidOrder';
}

/** The gateway refused the card: final, never retried. */
export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclined';
}

/** The gateway could not be reached or timed out: transient, retried with backoff. */
export class PaymentGatewayUnavailableError extends Error {
  override name = 'PaymentGatewayUnavailable';
}

/** A charge for an order that was already compensated (a late retry after a refund): refused. */
export class ChargeVoidedError extends Error {
  override name = 'ChargeVoided';
}

/** Not enough stock for at least one item: final, never retried. */
export class OutOfStockError extends Error {
  override name = 'OutOfStock';
}

/** A reservation for an order whose stock was already released (a late retry): refused. */
export class ReservationReleasedError extends Error {
  override name = 'ReservationReleased';
}

/** The carrier could not be reached: transient, retried with backoff. */
export class CarrierUnavailableError extends Error {
  override name = 'CarrierUnavailable';
}

/**
 * One `field: problem` line per problem: readable, and parseable by {@link parseProblems} after the
 * message has travelled through a Lambda error and a state machine's Fail cause. Problems are
 * written by our code and never hold a newline.
 */
export const formatProblems = (problems: Problem[]): string =>
  problems.map(({ field, problem }) => `${field}: ${problem}`).join('\n');

export const parseProblems = (message: string): Problem[] =>
  message
    .split('\n')
    .filter((part) => part.length > 0)
    .map((part) => {
      const separator = part.indexOf(': ');
      return separator < 0
        ? { field: '', problem: part }
        : { field: part.slice(0, separator), problem: part.slice(separator + 2) };
    });

/** The same Idempotency-Key was used for a different request body. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflict';
}

/** Another request with the same Idempotency-Key is still publishing its order; retry shortly. */
export class IntakeInProgressError extends Error {
  override name = 'IntakeInProgress';
}

/** Intake could not record the order (after its own retries); the client may retry with the same key. */
export class IntakeUnavailableError extends Error {
  override name = 'IntakeUnavailable';
}

export class OrderNotFoundError extends Error {
  override name = 'OrderNotFound';
}

/** A carrier webhook whose Carrier-Signature is missing, wrong or stale. */
export class InvalidSignatureError extends Error {
  override name = 'InvalidSignature';
}

/** A signed carrier webhook whose body is not a batch of tracking events. */
export class InvalidCarrierEventsError extends InvalidInputError {
  override name = 'InvalidCarrierEvents';
}

/** The carrier-events workflow could not be started: nothing was recorded, the carrier retries. */
export class CarrierEventsUnavailableError extends Error {
  override name = 'CarrierEventsUnavailable';
}

/** No shipment has this tracking number (yet: a just-booked one may not be indexed). */
export class UnknownTrackingNumberError extends Error {
  override name = 'UnknownTrackingNumber';
}

/** Other events of the same shipment kept winning the optimistic lock: transient, retried by the workflow. */
export class TrackingUpdateContendedError extends Error {
  override name = 'TrackingUpdateContended';
}

/** A restock request refused field by field. */
export class InvalidRestockError extends InvalidInputError {
  override name = 'InvalidRestock';
}

export class ProductNotFoundError extends Error {
  override name = 'ProductNotFound';
}

/** The stock was added, its event was not sent: a retry with the same Idempotency-Key sends it without adding twice. */
export class RestockUnannouncedError extends Error {
  override name = 'RestockUnannounced';
}

/** Concurrent writes to the product row (orders reserving it) cancelled the restock every time it was tried: nothing was added. */
export class RestockConflictError extends Error {
  override name = 'RestockConflict';
}

/** No usable identity reached a route that needs one (API Gateway answers most of these itself). */
export class UnauthorizedError extends Error {
  override name = 'Unauthorized';
}

/** An upload request whose fields are missing or malformed. */
export class InvalidDocumentRequestError extends InvalidInputError {
  override name = 'InvalidDocumentRequest';
}

/** An upload of a kind of file the pipeline cannot read (it reads PDF, PNG, JPEG, TIFF). */
export class UnsupportedDocumentTypeError extends Error {
  override name = 'UnsupportedDocumentType';
}

/** An upload larger than the pipeline takes. */
export class DocumentTooLargeError extends Error {
  override name = 'DocumentTooLarge';
}

/** No such document, or not the caller's: the two answer alike, so ids reveal nothing. */
export class DocumentNotFoundError extends Error {
  override name = 'DocumentNotFound';
}

/** A signed-in caller without the right to this route. */
export class ForbiddenError extends Error {
  override name = 'Forbidden';
}

/** A request the API refuses before any domain logic runs: bad JSON, wrong content type, too large... */
export class BadRequestError extends Error {
  constructor(
    override readonly name: 'MalformedJson' | 'UnsupportedMediaType' | 'PayloadTooLarge' | 'InvalidIdempotencyKey' | 'InvalidOrderId' | 'InvalidDocumentId' | 'InvalidSignupId',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A Step Functions error's Cause, as a person should read it: a Lambda failure's Cause is the
 * runtime's JSON error (`{"errorType","errorMessage","trace"}`), of which only the message is meant
 * for people; any other Cause is already text.
 */
export const errorMessageOfCause = (cause: string | undefined): string => {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
};

/** The email could not be handed to SNS: transient for the workflow, retried. */
export class NotificationUnavailableError extends Error {
  override name = 'NotificationUnavailable';
}

/** Text detection could not read the file: corrupt, truncated, or not the image its bytes claim. Final. */
export class UnreadableDocumentError extends Error {
  override name = 'UnreadableDocument';
}

/** Textract throttled or failed on its side: transient, retried by the workflow. */
export class TextractUnavailableError extends Error {
  override name = 'TextractUnavailable';
}

/** A signup request refused field by field. */
export class InvalidSignupError extends InvalidInputError {
  override name = 'InvalidSignup';
}

/** No such signup, or not the caller's: the two answer alike. */
export class SignupNotFoundError extends Error {
  override name = 'SignupNotFound';
}

/** The company (compared case-insensitively) already has an account: the signup ends REJECTED. */
export class CompanyAlreadyOnboardedError extends Error {
  override name = 'CompanyAlreadyOnboarded';
}

/** The signup was recorded but its workflow could not be started: a retry with the same Idempotency-Key starts it. */
export class OnboardingUnavailableError extends Error {
  override name = 'OnboardingUnavailable';
}

/** The API key to send is gone (the signup was undone, or its email already sent and the key reduced to a hash). */
export class ApiKeyUnavailableError extends Error {
  override name = 'ApiKeyUnavailable';
}

/**
 * An AWS call a workflow step made still failed transiently after the SDK's own retries (throttled,
 * the service's fault, no answer in time). Steps are safe to run again, so the Task's Retry does;
 * workflow-task.ts turns such SDK errors into this one.
 */
export class AwsCallUnavailableError extends Error {
  override name = 'AwsCallUnavailable';
}
