// The SDK's errors: one class per gRPC status a quorumq node returns, plus the
// few the client raises itself. Every error carries `code` (a stable string a
// program can switch on), `status` (the gRPC status number, when a call
// failed), `outcome` (what a failed write did: see proto/quorumq.proto, "Outcome
// of a failed call") and `cause` (the underlying grpc-js error, when any).

import * as grpc from '@grpc/grpc-js';

/** What a failed write did to the replicated state: certainly nothing, or maybe something. */
export type Outcome = 'not-applied' | 'unknown';

/** Trailer every error a quorumq node returns carries (see proto/quorumq.proto). */
export const META_OUTCOME = 'x-quorumq-outcome';
/** Metadata a quorumq node sets on errors it produced itself (not a connection failure on the way). */
export const META_ANSWERED_BY = 'x-quorumq-answered-by';

/** What a QuorumqError is made with. */
export interface QuorumqErrorOptions {
  readonly status?: grpc.status;
  readonly outcome?: Outcome;
  /** The address of the node that answered (or could not be reached). */
  readonly server?: string;
  readonly details?: string;
  readonly cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class QuorumqError extends Error {
  override readonly name: string = 'QuorumqError';
  /** A stable identifier, e.g. 'invalid-argument', 'unavailable', 'aborted'. */
  readonly code: string = 'error';
  /** The gRPC status of the failed call, when the error came from one. */
  readonly status: grpc.status | undefined;
  /** For writes: 'not-applied' (a retry cannot store twice) or 'unknown'. */
  readonly outcome: Outcome;
  /** The server the call went to, when known. */
  readonly server: string | undefined;
  /** The server's own words (the status details), or the message when the client raised it. */
  readonly details: string;

  constructor(message: string, opts: QuorumqErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.details = opts.details ?? message;
    this.status = opts.status;
    this.outcome = opts.outcome ?? 'not-applied';
    this.server = opts.server;
  }
}

/** The request was malformed; the message names the field and the rule. */
export class InvalidArgumentError extends QuorumqError {
  override readonly name = 'InvalidArgumentError';
  override readonly code = 'invalid-argument';
}
/** The stream, queue, key or node does not exist. */
export class NotFoundError extends QuorumqError {
  override readonly name = 'NotFoundError';
  override readonly code = 'not-found';
}
/** The node is already a member. */
export class AlreadyExistsError extends QuorumqError {
  override readonly name = 'AlreadyExistsError';
  override readonly code = 'already-exists';
}
/** The request does not fit the current state (other settings, a skipped sequence, ...). */
export class FailedPreconditionError extends QuorumqError {
  override readonly name = 'FailedPreconditionError';
  override readonly code = 'failed-precondition';
}
/** A limit was reached (a full stream or queue with the reject policy, too much uncommitted data). */
export class ResourceExhaustedError extends QuorumqError {
  override readonly name = 'ResourceExhaustedError';
  override readonly code = 'resource-exhausted';
}
/** A read below the first retained offset of a stream. */
export class OutOfRangeError extends QuorumqError {
  override readonly name = 'OutOfRangeError';
  override readonly code = 'out-of-range';
}
/** No leader, the node unreachable or shutting down; retried by the SDK until the caller's deadline. */
export class UnavailableError extends QuorumqError {
  override readonly name = 'UnavailableError';
  override readonly code = 'unavailable';
}
/** The caller's deadline passed. */
export class DeadlineExceededError extends QuorumqError {
  override readonly name = 'DeadlineExceededError';
  override readonly code = 'deadline-exceeded';
}
/** The caller's AbortSignal fired. */
export class AbortedError extends QuorumqError {
  override readonly name = 'AbortedError';
  override readonly code = 'aborted';
}
/** The connection, producer or consumer was closed. */
export class ClosedError extends QuorumqError {
  override readonly name = 'ClosedError';
  override readonly code = 'closed';
}
/**
 * A settle (ack, nack, reject) of a delivery the server no longer holds: its
 * consumer call ended (the node went away, the connection broke) and the
 * message went back to the queue, to be delivered again (marked redelivered).
 */
export class DeliveryLostError extends QuorumqError {
  override readonly name = 'DeliveryLostError';
  override readonly code = 'delivery-lost';
}
/** No valid credentials for a cluster run with --auth on (a missing, wrong or rotated-away token). */
export class UnauthenticatedError extends QuorumqError {
  override readonly name = 'UnauthenticatedError';
  override readonly code = 'unauthenticated';
}
/** The user lacks the permission the call needs; the message names it (e.g. no write permission on queue "q"). */
export class PermissionDeniedError extends QuorumqError {
  override readonly name = 'PermissionDeniedError';
  override readonly code = 'permission-denied';
}
/** Any other status (INTERNAL, UNIMPLEMENTED, ...). */
export class ServerError extends QuorumqError {
  override readonly name = 'ServerError';
  override readonly code = 'server-error';
}

const BY_STATUS: Partial<Record<grpc.status, new (m: string, o: QuorumqErrorOptions) => QuorumqError>> = {
  [grpc.status.INVALID_ARGUMENT]: InvalidArgumentError,
  [grpc.status.NOT_FOUND]: NotFoundError,
  [grpc.status.ALREADY_EXISTS]: AlreadyExistsError,
  [grpc.status.FAILED_PRECONDITION]: FailedPreconditionError,
  [grpc.status.RESOURCE_EXHAUSTED]: ResourceExhaustedError,
  [grpc.status.OUT_OF_RANGE]: OutOfRangeError,
  [grpc.status.UNAVAILABLE]: UnavailableError,
  [grpc.status.DEADLINE_EXCEEDED]: DeadlineExceededError,
  [grpc.status.UNAUTHENTICATED]: UnauthenticatedError,
  [grpc.status.PERMISSION_DENIED]: PermissionDeniedError,
};

/**
 * The outcome a status says: the node's trailer when it sent one; otherwise
 * (a connection failure, the client library's own deadline) the safe guess:
 * codes that can interrupt a write are 'unknown', refusals 'not-applied'.
 */
export function outcomeOfStatus(status: grpc.status, trailer: string | undefined): Outcome {
  if (trailer === 'not-applied' || trailer === 'unknown') return trailer;
  switch (status) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.INTERNAL:
    case grpc.status.UNKNOWN:
    case grpc.status.CANCELLED:
      return 'unknown';
    default:
      return 'not-applied';
  }
}

/** A status (from a failed call, or from a per-request error in a streaming answer) as the SDK's error. */
export function errorFromStatus(status: grpc.status, details: string, opts: { outcome?: string; server?: string; cause?: unknown } = {}): QuorumqError {
  const Cls = BY_STATUS[status] ?? ServerError;
  const outcome = outcomeOfStatus(status, opts.outcome);
  return new Cls(`${grpc.status[status] ?? status}: ${details}`, { status, outcome, server: opts.server, details, cause: opts.cause });
}

/** A grpc-js ServiceError as the SDK's error. */
export function fromServiceError(e: grpc.ServiceError, server?: string): QuorumqError {
  const trailer = e.metadata?.get(META_OUTCOME)[0];
  return errorFromStatus(e.code, e.details, { outcome: typeof trailer === 'string' ? trailer : undefined, server, cause: e });
}

/** Whether a node (not the network or the client library) produced this error. */
export function answeredByNode(e: QuorumqError): boolean {
  const cause = e.cause as grpc.ServiceError | undefined;
  return (cause?.metadata?.get(META_ANSWERED_BY).length ?? 0) > 0;
}

/** Worth trying again (elsewhere or later): the cluster could not decide the call right now. */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof QuorumqError)) return false;
  if (e instanceof UnavailableError) return true;
  // A node's own DEADLINE_EXCEEDED is its working deadline ahead of ours; the
  // caller's deadline is checked by the retry loop, not here.
  if (e instanceof DeadlineExceededError) return true;
  // "too much uncommitted data: back off and retry" (a stream or queue at a
  // reject limit stays full until consumers act: that one is final).
  if (e instanceof ResourceExhaustedError) return /uncommitted|back off/i.test(e.message);
  return e.status === grpc.status.CANCELLED && !answeredByNode(e);
}
