// BrokerPool against a small in-process Broker server: an answer of
// "unavailable, nothing was proposed (not applied)" — a node during an
// election — is asked again until the call's time is up; other answers stand.

import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../proto/load.js';
import { META_ANSWERED_BY, META_OUTCOME } from '../client/errors.js';
import { BrokerPool, CallError } from './client.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A server whose ClusterStatus answers with `answer(n)` on its n-th call (0-based). */
async function broker(answer: (n: number) => { code: grpc.status; outcome?: string } | 'ok', delayMs = 0): Promise<{ addr: string; calls: () => number }> {
  let n = 0;
  const s = new grpc.Server();
  s.addService(quorumqV1().Broker.service, {
    ClusterStatus: async (_c: unknown, cb: grpc.sendUnaryData<unknown>) => {
      const a = answer(n++);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (a === 'ok') return cb(null, { leader: 1, term: 2, members: [] });
      const md = new grpc.Metadata();
      md.set(META_ANSWERED_BY, '1');
      if (a.outcome) md.set(META_OUTCOME, a.outcome);
      cb({ code: a.code, details: 'no leader elected for group 0; nothing was proposed (not applied); retry shortly', metadata: md });
    },
  });
  const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  closers.push(() => new Promise((r) => s.tryShutdown(() => r())));
  return { addr: `127.0.0.1:${port}`, calls: () => n };
}

describe('BrokerPool', () => {
  it('asks again while a node answers "unavailable, not applied" (an election in progress), then takes the answer', async () => {
    const b = await broker((n) => (n < 3 ? { code: grpc.status.UNAVAILABLE, outcome: 'not-applied' } : 'ok'));
    const pool = new BrokerPool([b.addr], 5000);
    try {
      const r = await pool.call<{ leader: number }>('ClusterStatus', {});
      expect(r.leader).toBe(1);
      expect(b.calls()).toBe(4);
    } finally {
      pool.close();
    }
  });

  it('gives up with the node\'s answer once its time is up, and never repeats an answer whose outcome is unknown', async () => {
    // A node takes a while to say it has no leader (as a real one may): the last try must not be cut short.
    const always = await broker(() => ({ code: grpc.status.UNAVAILABLE, outcome: 'not-applied' }), 150);
    // 2 s: room for several tries of 150 ms even on a loaded machine (600 ms allowed only one at load 20).
    const pool = new BrokerPool([always.addr], 2000);
    const t0 = Date.now();
    const e = await pool.call('ClusterStatus', {}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CallError);
    expect((e as CallError).code).toBe(grpc.status.UNAVAILABLE);
    // The node's own answer, not a last try cut short by the deadline.
    expect((e as CallError).outcome).toBe('not-applied');
    expect((e as CallError).details).toMatch(/no leader elected/);
    expect(always.calls()).toBeGreaterThan(1);
    expect(Date.now() - t0).toBeLessThan(5000);
    pool.close();

    const unknown = await broker(() => ({ code: grpc.status.UNAVAILABLE, outcome: 'unknown' }));
    const pool2 = new BrokerPool([unknown.addr], 2000);
    await expect(pool2.call('ClusterStatus', {})).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, outcome: 'unknown' });
    expect(unknown.calls()).toBe(1);
    pool2.close();
  });
});
