// How failures become gRPC statuses. One place, so every RPC (and every
// forwarding hop) says the same thing for the same situation.

import * as grpc from '@grpc/grpc-js';
import {
  ConfChangeInProgressError,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  TransferInProgressError,
} from '../../../raft/core/errors.js';
import { OutcomeUnknownError, ProposalSupersededError } from '../../../raft/host/proposals.js';
import { HostStoppedError } from '../../../raft/host/replica-host.js';
import { ReadAbortedError, ReadInterruptedError, ReadTimeoutError } from '../../../raft/host/reads.js';
import type { ErrorCode, Failure } from '../../machine/api.js';
import { QueryError } from '../../machine/api.js';

/** The machines' error codes as gRPC statuses. */
export const RESULT_STATUS: Readonly<Record<ErrorCode, grpc.status>> = {
  'invalid-argument': grpc.status.INVALID_ARGUMENT,
  unsupported: grpc.status.FAILED_PRECONDITION,
  'not-found': grpc.status.NOT_FOUND,
  'already-exists': grpc.status.ALREADY_EXISTS,
  'failed-precondition': grpc.status.FAILED_PRECONDITION,
  'resource-exhausted': grpc.status.RESOURCE_EXHAUSTED,
  'out-of-range': grpc.status.OUT_OF_RANGE,
};

/** A machine's refusal as a StatusError. */
export function resultError(r: Pick<Failure, 'code' | 'message'>): StatusError {
  return new StatusError(RESULT_STATUS[r.code], r.message);
}

/**
 * What a failed call did to the replicated state, as the x-quorumq-outcome
 * trailer tells the client: 'not-applied' — certainly nothing (refused,
 * never proposed, or superseded); 'unknown' — the write may or may not have
 * been applied (retry it idempotently, or read to find out).
 */
export type Outcome = 'not-applied' | 'unknown';

/** Trailer on every error a node returns: the call's Outcome. */
export const META_OUTCOME = 'x-quorumq-outcome';

/** An error that already knows its status (and, for UNAVAILABLE and DEADLINE_EXCEEDED, its outcome). */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly outcome?: Outcome,
  ) {
    super(message);
  }
}

export interface Status {
  readonly code: grpc.status;
  readonly details: string;
  readonly outcome?: Outcome;
}

export const noLeader = (group = 0): StatusError =>
  new StatusError(grpc.status.UNAVAILABLE, `no leader elected for group ${group}; nothing was proposed (not applied); retry shortly`, 'not-applied');

const notApplied = (code: grpc.status, details: string): Status => ({ code, details, outcome: 'not-applied' });

export function toStatus(e: unknown): Status {
  if (e instanceof StatusError) return { code: e.code, details: e.message, outcome: e.outcome };
  if (e instanceof QueryError) return notApplied(RESULT_STATUS[e.code], e.message);
  // Thrown by the core before anything was proposed.
  if (e instanceof NotLeaderError) {
    return e.leader ? notApplied(grpc.status.UNAVAILABLE, `this node is not the leader (node ${e.leader} is); nothing was proposed (not applied); retry`) : toStatus(noLeader());
  }
  if (e instanceof TransferInProgressError) return notApplied(grpc.status.UNAVAILABLE, `${e.message}; nothing was proposed (not applied); retry shortly`);
  if (e instanceof ProposalDroppedError) return notApplied(grpc.status.RESOURCE_EXHAUSTED, `${e.message}; not applied`);
  if (e instanceof ConfChangeInProgressError) return notApplied(grpc.status.FAILED_PRECONDITION, `another membership change is in progress: ${e.message}`);
  if (e instanceof InvalidConfChangeError) return notApplied(grpc.status.FAILED_PRECONDITION, e.message);
  if (e instanceof ProposalSupersededError) return notApplied(grpc.status.UNAVAILABLE, e.message);
  // Reads change nothing: whatever happened, nothing was applied.
  if (e instanceof ReadInterruptedError) return notApplied(grpc.status.UNAVAILABLE, `linearizable read not served: ${e.message}; retry`);
  if (e instanceof ReadTimeoutError) return notApplied(grpc.status.UNAVAILABLE, `linearizable read not confirmed: ${e.message}; retry`);
  if (e instanceof ReadAbortedError) return notApplied(grpc.status.UNAVAILABLE, e.message);
  // Thrown by propose() on a stopped host, before anything was proposed.
  if (e instanceof HostStoppedError) return notApplied(grpc.status.UNAVAILABLE, `${e.message}; nothing was proposed (not applied)`);
  if (e instanceof OutcomeUnknownError) return { code: grpc.status.UNAVAILABLE, details: `outcome unknown: ${e.message}`, outcome: 'unknown' };
  const se = e as Partial<grpc.ServiceError>;
  if (typeof se.code === 'number' && typeof se.details === 'string') return { code: se.code, details: se.details };
  return { code: grpc.status.INTERNAL, details: `internal error: ${(e as Error)?.message ?? String(e)}`, outcome: 'unknown' };
}

/** The outcome a status carries: its own, or for codes that say nothing about it, the safe guess. */
export function outcomeOf(s: Status): Outcome {
  if (s.outcome) return s.outcome;
  switch (s.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.INTERNAL:
    case grpc.status.UNKNOWN:
    case grpc.status.CANCELLED:
      return 'unknown';
    default:
      // A refusal (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ...) applied nothing.
      return 'not-applied';
  }
}

/** Metadata key on errors a quorumq node produced itself (as opposed to a connection failure on the way). */
export const META_ANSWERED_BY = 'x-quorumq-answered-by';

export function toServiceError(e: unknown, nodeId: number): Partial<grpc.ServiceError> {
  const s = toStatus(e);
  const metadata = new grpc.Metadata();
  metadata.set(META_ANSWERED_BY, String(nodeId));
  metadata.set(META_OUTCOME, outcomeOf(s));
  return { code: s.code, details: s.details, metadata };
}

/**
 * Race `p` against a deadline; on expiry the call ends DEADLINE_EXCEEDED with
 * `outcome` ('unknown' for a write already submitted, 'not-applied' for a read).
 */
export function withDeadline<T>(p: Promise<T>, deadlineMs: number, what: string, outcome: Outcome = 'unknown'): Promise<T> {
  const left = deadlineMs - Date.now();
  if (!Number.isFinite(left)) return p;
  const expired = (): StatusError =>
    new StatusError(grpc.status.DEADLINE_EXCEEDED, `deadline exceeded before ${what}${outcome === 'unknown' ? '; it may or may not have been applied (outcome unknown)' : '; not applied'}`, outcome);
  if (left <= 0) return Promise.reject(expired());
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(expired()), left);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
