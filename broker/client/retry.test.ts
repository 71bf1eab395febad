import { describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { DeadlineExceededError, InvalidArgumentError, errorFromStatus, isRetryable } from './errors.js';
import { retrying } from './retry.js';
import { operation } from './signal.js';

const fast = { baseMs: 1, maxMs: 2 };

describe('retrying', () => {
  it('tries again after a retryable error and returns the first success', async () => {
    const op = operation(undefined, Date.now() + 10_000, 'test');
    let n = 0;
    const r = await retrying(
      async () => {
        if (++n < 4) throw errorFromStatus(grpc.status.UNAVAILABLE, 'no leader', { outcome: 'not-applied' });
        return 'ok';
      },
      { signal: op.signal, backoff: fast, retryable: isRetryable },
    );
    op.done();
    expect([r, n]).toEqual(['ok', 4]);
  });

  it('throws a final error at once', async () => {
    const op = operation(undefined, Infinity, 'test');
    let n = 0;
    await expect(
      retrying(
        async () => {
          n++;
          throw errorFromStatus(grpc.status.INVALID_ARGUMENT, 'bad field');
        },
        { signal: op.signal, backoff: fast, retryable: isRetryable },
      ),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(n).toBe(1);
  });

  it('gives up at the deadline with the last error as cause, and an unknown outcome once an attempt may have applied', async () => {
    const op = operation(undefined, Date.now() + 50, 'send');
    const e = await retrying(
      async (n) => {
        throw errorFromStatus(grpc.status.UNAVAILABLE, `attempt ${n}`, { outcome: n === 0 ? 'unknown' : 'not-applied' });
      },
      { signal: op.signal, backoff: fast, retryable: isRetryable },
    ).catch((x: unknown) => x);
    op.done();
    expect(e).toBeInstanceOf(DeadlineExceededError);
    expect((e as DeadlineExceededError).outcome).toBe('unknown');
    expect((e as DeadlineExceededError).message).toMatch(/last error: UNAVAILABLE: attempt \d+/);
    expect((e as Error).cause).toBeDefined();
  });

  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    const op = operation(ac.signal, Infinity, 'send');
    setTimeout(() => ac.abort(), 20);
    const e = await retrying(
      async () => {
        throw errorFromStatus(grpc.status.UNAVAILABLE, 'down', { outcome: 'not-applied' });
      },
      { signal: op.signal, backoff: fast, retryable: isRetryable },
    ).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortedError');
    expect((e as { outcome: string }).outcome).toBe('not-applied');
  });
});
