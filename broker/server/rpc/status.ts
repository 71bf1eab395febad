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
import { ReadInterruptedError, ReadTimeoutError } from '../../../raft/host/reads.js';
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

/** An error that already knows its status. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export const noLeader = (group = 0): StatusError => new StatusError(grpc.status.UNAVAILABLE, `no leader elected for group ${group}; retry shortly`);

export function toStatus(e: unknown): { code: grpc.status; details: string } {
  if (e instanceof StatusError) return { code: e.code, details: e.message };
  if (e instanceof QueryError) return { code: RESULT_STATUS[e.code], details: e.message };
  if (e instanceof NotLeaderError) {
    return e.leader ? { code: grpc.status.UNAVAILABLE, details: `leadership moved to node ${e.leader} during the call; retry` } : { code: grpc.status.UNAVAILABLE, details: noLeader().message };
  }
  if (e instanceof TransferInProgressError) return { code: grpc.status.UNAVAILABLE, details: `${e.message}; retry shortly` };
  if (e instanceof ProposalDroppedError) return { code: grpc.status.RESOURCE_EXHAUSTED, details: e.message };
  if (e instanceof ConfChangeInProgressError) return { code: grpc.status.FAILED_PRECONDITION, details: `another membership change is in progress: ${e.message}` };
  if (e instanceof InvalidConfChangeError) return { code: grpc.status.FAILED_PRECONDITION, details: e.message };
  if (e instanceof ProposalSupersededError) return { code: grpc.status.UNAVAILABLE, details: e.message };
  if (e instanceof ReadInterruptedError) return { code: grpc.status.UNAVAILABLE, details: `linearizable read not served: ${e.message}; retry` };
  if (e instanceof ReadTimeoutError) return { code: grpc.status.UNAVAILABLE, details: `linearizable read not confirmed: ${e.message}; retry` };
  if (e instanceof HostStoppedError) return { code: grpc.status.UNAVAILABLE, details: e.message };
  if (e instanceof OutcomeUnknownError) return { code: grpc.status.UNAVAILABLE, details: `outcome unknown: ${e.message}` };
  const se = e as Partial<grpc.ServiceError>;
  if (typeof se.code === 'number' && typeof se.details === 'string') return { code: se.code, details: se.details };
  return { code: grpc.status.INTERNAL, details: `internal error: ${(e as Error)?.message ?? String(e)}` };
}

/** Metadata key on errors a quorumq node produced itself (as opposed to a connection failure on the way). */
export const META_ANSWERED_BY = 'x-quorumq-answered-by';

export function toServiceError(e: unknown, nodeId: number): Partial<grpc.ServiceError> {
  const s = toStatus(e);
  const metadata = new grpc.Metadata();
  metadata.set(META_ANSWERED_BY, String(nodeId));
  return { code: s.code, details: s.details, metadata };
}

/** Race `p` against a deadline; on expiry the outcome of a write is unknown, and the message says so. */
export function withDeadline<T>(p: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  const left = deadlineMs - Date.now();
  if (!Number.isFinite(left)) return p;
  if (left <= 0) return Promise.reject(new StatusError(grpc.status.DEADLINE_EXCEEDED, `deadline exceeded before ${what}`));
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new StatusError(grpc.status.DEADLINE_EXCEEDED, `deadline exceeded before ${what}`)), left);
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
