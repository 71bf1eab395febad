import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  FailedPreconditionError,
  InvalidArgumentError,
  META_ANSWERED_BY,
  META_OUTCOME,
  NotFoundError,
  OutOfRangeError,
  PermissionDeniedError,
  QuorumqError,
  ResourceExhaustedError,
  ServerError,
  UnauthenticatedError,
  UnavailableError,
  answeredByNode,
  errorFromStatus,
  fromServiceError,
  isRetryable,
} from './errors.js';

function serviceError(code: grpc.status, details: string, md: Record<string, string> = {}): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(md)) metadata.set(k, v);
  return Object.assign(new Error(details), { code, details, metadata });
}

describe('errors', () => {
  it('one class per status, with name, code, the server words and the cause', () => {
    const cases: Array<[grpc.status, new (...a: never[]) => QuorumqError, string]> = [
      [grpc.status.INVALID_ARGUMENT, InvalidArgumentError, 'invalid-argument'],
      [grpc.status.NOT_FOUND, NotFoundError, 'not-found'],
      [grpc.status.FAILED_PRECONDITION, FailedPreconditionError, 'failed-precondition'],
      [grpc.status.RESOURCE_EXHAUSTED, ResourceExhaustedError, 'resource-exhausted'],
      [grpc.status.OUT_OF_RANGE, OutOfRangeError, 'out-of-range'],
      [grpc.status.UNAVAILABLE, UnavailableError, 'unavailable'],
      [grpc.status.DEADLINE_EXCEEDED, DeadlineExceededError, 'deadline-exceeded'],
      [grpc.status.UNAUTHENTICATED, UnauthenticatedError, 'unauthenticated'],
      [grpc.status.PERMISSION_DENIED, PermissionDeniedError, 'permission-denied'],
      [grpc.status.INTERNAL, ServerError, 'server-error'],
    ];
    for (const [status, Cls, code] of cases) {
      const cause = serviceError(status, 'what went wrong');
      const e = fromServiceError(cause, 'n1:7001');
      expect(e).toBeInstanceOf(Cls);
      expect(e).toBeInstanceOf(QuorumqError);
      expect(e.name).toBe(Cls.name);
      expect(e.code).toBe(code);
      expect(e.status).toBe(status);
      expect(e.details).toBe('what went wrong');
      expect(e.message).toContain('what went wrong');
      expect(e.server).toBe('n1:7001');
      expect(e.cause).toBe(cause);
    }
  });

  it("takes the outcome from the node's trailer, and guesses safely without one", () => {
    expect(fromServiceError(serviceError(grpc.status.UNAVAILABLE, 'x', { [META_OUTCOME]: 'not-applied' })).outcome).toBe('not-applied');
    expect(fromServiceError(serviceError(grpc.status.UNAVAILABLE, 'x', { [META_OUTCOME]: 'unknown' })).outcome).toBe('unknown');
    // No trailer: a connection failure or the client library's deadline: maybe applied.
    expect(fromServiceError(serviceError(grpc.status.UNAVAILABLE, 'x')).outcome).toBe('unknown');
    expect(fromServiceError(serviceError(grpc.status.DEADLINE_EXCEEDED, 'x')).outcome).toBe('unknown');
    // A refusal applied nothing.
    expect(errorFromStatus(grpc.status.INVALID_ARGUMENT, 'x').outcome).toBe('not-applied');
  });

  it('tells a node’s own answer from a failure on the way', () => {
    expect(answeredByNode(fromServiceError(serviceError(grpc.status.UNAVAILABLE, 'no leader', { [META_ANSWERED_BY]: '2' })))).toBe(true);
    expect(answeredByNode(fromServiceError(serviceError(grpc.status.UNAVAILABLE, 'ECONNREFUSED')))).toBe(false);
  });

  it('retries what the cluster could not decide yet, never a refusal', () => {
    expect(isRetryable(errorFromStatus(grpc.status.UNAVAILABLE, 'no leader'))).toBe(true);
    expect(isRetryable(errorFromStatus(grpc.status.DEADLINE_EXCEEDED, 'node deadline'))).toBe(true);
    expect(isRetryable(errorFromStatus(grpc.status.RESOURCE_EXHAUSTED, 'too much uncommitted data (9 bytes); retry when the cluster catches up; not applied'))).toBe(true);
    expect(isRetryable(errorFromStatus(grpc.status.RESOURCE_EXHAUSTED, 'queue q is full (max_messages 10)'))).toBe(false);
    expect(isRetryable(errorFromStatus(grpc.status.INVALID_ARGUMENT, 'bad'))).toBe(false);
    expect(isRetryable(errorFromStatus(grpc.status.NOT_FOUND, 'gone'))).toBe(false);
    expect(isRetryable(new Error('not ours'))).toBe(false);
  });
});
