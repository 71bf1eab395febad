import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { StatusError } from '../rpc/status.js';
import { acrossPartitions } from './partitions.js';

const applied = (list: string): string => `partitions ${list} of queue "q" were deleted`;

describe('a write across partitions', () => {
  it('answers every partition, in order, when each applies', async () => {
    await expect(acrossPartitions([0, 1, 2], async (p) => p * 10, applied, 'delete it again')).resolves.toEqual([0, 10, 20]);
  });

  it('throws the failure as it is when no partition applied', async () => {
    const refusal = new StatusError(grpc.status.UNAVAILABLE, 'no leader', 'not-applied');
    await expect(acrossPartitions([0, 1], async () => Promise.reject(refusal), applied, 'delete it again')).rejects.toBe(refusal);
  });

  it('says which partitions applied, with an unknown outcome, when another then failed', async () => {
    const write = async (p: number): Promise<number> => {
      if (p === 1) throw new StatusError(grpc.status.UNAVAILABLE, 'partition 1 has no leader', 'not-applied');
      return p;
    };
    const err = await acrossPartitions([0, 1, 2], write, applied, 'delete it again to finish').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    const s = err as StatusError;
    expect(s.code).toBe(grpc.status.UNAVAILABLE);
    expect(s.outcome).toBe('unknown');
    expect(s.message).toBe('partition 1 has no leader (partitions 0, 2 of queue "q" were deleted: outcome unknown; delete it again to finish)');
  });
});
