// Every UNAVAILABLE and DEADLINE_EXCEEDED a node returns says whether the
// write certainly did not happen: in words, and in the x-quorumq-outcome
// trailer; and the outcome survives the hop from the leader to a follower.

import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { NotLeaderError, TransferInProgressError } from '../../../raft/core/errors.js';
import { OutcomeUnknownError, ProposalSupersededError } from '../../../raft/host/proposals.js';
import { ReadInterruptedError } from '../../../raft/host/reads.js';
import { createMachines } from '../../machine/machines.js';
import { cleanDetails } from '../writes/forward.js';
import { decodeOutcome, encodeOutcome } from '../writes/outcome.js';
import { META_OUTCOME, StatusError, noLeader, toServiceError, toStatus, withDeadline } from './status.js';

const trailer = (e: unknown): string | undefined => toServiceError(e, 1).metadata?.get(META_OUTCOME)[0]?.toString();

describe('outcomes of failed calls', () => {
  it('says not-applied for what failed before anything was proposed, without calling it mid-flight', () => {
    const s = toStatus(new NotLeaderError(3));
    expect(s).toMatchObject({ code: grpc.status.UNAVAILABLE, outcome: 'not-applied' });
    expect(s.details).toBe('this node is not the leader (node 3 is); nothing was proposed (not applied); retry');
    expect(s.details).not.toMatch(/during the call/);
    expect(trailer(new NotLeaderError(0))).toBe('not-applied');
    expect(trailer(new TransferInProgressError(2))).toBe('not-applied');
    expect(trailer(noLeader())).toBe('not-applied');
    expect(trailer(new ProposalSupersededError(10, 2, 3))).toBe('not-applied');
    expect(trailer(new ReadInterruptedError('leadership changed'))).toBe('not-applied');
  });

  it('says unknown where the write may have been applied, and for any UNAVAILABLE or DEADLINE_EXCEEDED that does not say', async () => {
    expect(trailer(new OutcomeUnknownError('the node stopped'))).toBe('unknown');
    expect(trailer(new StatusError(grpc.status.UNAVAILABLE, 'x'))).toBe('unknown');
    expect(trailer(new StatusError(grpc.status.DEADLINE_EXCEEDED, 'x'))).toBe('unknown');
    const late = await withDeadline(new Promise(() => undefined), Date.now() + 5, 'the write was applied').catch((e: unknown) => e);
    expect(toStatus(late)).toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED, outcome: 'unknown', details: expect.stringMatching(/may or may not have been applied/) });
    expect(trailer(new StatusError(grpc.status.FAILED_PRECONDITION, 'refused'))).toBe('not-applied');
  });

  it('carries the outcome in a forwarded command\'s answer', () => {
    const machines = createMachines();
    for (const outcome of ['not-applied', 'unknown'] as const) {
      const b = encodeOutcome(machines, 2, { code: grpc.status.DEADLINE_EXCEEDED, details: 'late', outcome });
      expect(decodeOutcome(machines, 2, b)).toEqual({ code: grpc.status.DEADLINE_EXCEEDED, details: 'late', outcome });
    }
  });

  it('drops the empty "Resolution note:" grpc-js appends', () => {
    expect(cleanDetails('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7101. Resolution note: ')).toBe('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7101');
    expect(cleanDetails('No connection established. Last error: x. Resolution note: dns said y')).toBe('No connection established. Last error: x. Resolution note: dns said y');
  });
});
