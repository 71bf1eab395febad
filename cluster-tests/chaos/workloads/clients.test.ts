// The careful user's write loop: what it records for each way a write can end.

import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { writeWithRetries } from './clients.js';

/** A status as a failed call reports it, with the x-quorumq-outcome trailer when the server sent one. */
function status(code: grpc.status, outcome?: 'not-applied' | 'unknown'): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (outcome) metadata.set('x-quorumq-outcome', outcome);
  return Object.assign(new Error(grpc.status[code]), { code, details: `${grpc.status[code]} here`, metadata });
}

/** Try the given failures in turn, then succeed (or keep failing with the last). */
function tries(failures: grpc.ServiceError[], succeed = true): { attempt: (addr: string) => Promise<string>; addrs: string[] } {
  const addrs: string[] = [];
  let n = 0;
  return {
    addrs,
    attempt: async (addr) => {
      addrs.push(addr);
      const f = failures[Math.min(n++, failures.length - 1)];
      if (n <= failures.length || !succeed) throw f;
      return `ok via ${addr}`;
    },
  };
}

const run = (t: ReturnType<typeof tries>, giveUpMs = 5000) =>
  writeWithRetries({ addrs: () => ['a', 'b', 'c'], at: { n: 0 }, giveUpMs, rng: () => 0, attempt: t.attempt });

describe('writeWithRetries', () => {
  it('sends the same write to the next node after a transient status, until it succeeds', async () => {
    const t = tries([status(grpc.status.UNAVAILABLE, 'not-applied'), status(grpc.status.DEADLINE_EXCEEDED)]);
    expect(await run(t)).toEqual({ outcome: 'ok', value: 'ok via c', addr: 'c', tries: 3 });
    expect(t.addrs).toEqual(['a', 'b', 'c']);
  });

  it('records a refusal for good as failed at once', async () => {
    const t = tries([status(grpc.status.FAILED_PRECONDITION)]);
    expect(await run(t)).toMatchObject({ outcome: 'fail', definite: true, tries: 1, error: expect.stringMatching(/^FAILED_PRECONDITION/) });
  });

  it('gives up as failed when every try was certainly not applied, and as unknown when one may have been', async () => {
    let r = await run(tries([status(grpc.status.UNAVAILABLE, 'not-applied')], false), 0);
    expect(r).toMatchObject({ outcome: 'fail', definite: false });
    // No trailer (the client's own deadline, a broken connection): maybe applied.
    r = await run(tries([status(grpc.status.UNAVAILABLE, 'not-applied'), status(grpc.status.DEADLINE_EXCEEDED), status(grpc.status.UNAVAILABLE, 'not-applied')], false), 1000);
    expect(r).toMatchObject({ outcome: 'unknown', error: expect.stringMatching(/outcome not-applied/) });
    r = await run(tries([status(grpc.status.UNAVAILABLE, 'unknown')], false), 0);
    expect(r.outcome).toBe('unknown');
  });

  it('sends a write the server does not deduplicate again only after tries that certainly were not applied', async () => {
    const once = (t: ReturnType<typeof tries>) => writeWithRetries({ addrs: () => ['a', 'b', 'c'], at: { n: 0 }, giveUpMs: 5000, rng: () => 0, attempt: t.attempt, idempotent: false });
    let t = tries([status(grpc.status.UNAVAILABLE, 'not-applied'), status(grpc.status.UNAVAILABLE, 'not-applied')]);
    expect(await once(t)).toEqual({ outcome: 'ok', value: 'ok via c', addr: 'c', tries: 3 });
    // A try that may have been applied (no trailer, or "unknown") is never sent again: a second copy would be a duplicate.
    t = tries([status(grpc.status.UNAVAILABLE, 'not-applied'), status(grpc.status.DEADLINE_EXCEEDED)]);
    expect(await once(t)).toMatchObject({ outcome: 'unknown', addr: 'b', tries: 2 });
    expect(t.addrs).toEqual(['a', 'b']);
    t = tries([status(grpc.status.UNAVAILABLE, 'unknown')]);
    expect(await once(t)).toMatchObject({ outcome: 'unknown', tries: 1 });
    // A call grpc-js never sent (no connection to a killed node): tried again on the next node.
    const refused = Object.assign(new Error('UNAVAILABLE'), { code: grpc.status.UNAVAILABLE, details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.3:41201', metadata: new grpc.Metadata() });
    t = tries([refused, refused]);
    expect(await once(t)).toEqual({ outcome: 'ok', value: 'ok via c', addr: 'c', tries: 3 });
    expect(await writeWithRetries({ addrs: () => ['a'], at: { n: 0 }, giveUpMs: 0, rng: () => 0, attempt: tries([refused], false).attempt })).toMatchObject({ outcome: 'fail' });
  });
});
