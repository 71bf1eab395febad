// Calls that used to wait out their deadline instead of answering, on a real
// three-node cluster: a half-closed Subscribe (the usual pattern of generated
// clients, `stub.Subscribe(iter([request]))`), two TransferLeader calls at
// once, and linearizable StreamInfo calls while leadership keeps moving.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPool, CallError } from '../../broker/cli/client.js';
import type { TransferLeaderResponse__Output } from '../../proto/generated/quorumq/v1/TransferLeaderResponse.js';
import { LocalCluster, waitFor } from './cluster.js';
import type { SubscribeRequest } from '../../proto/generated/quorumq/v1/SubscribeRequest.js';
import type { Subscription } from './streams-client.js';
import { body, closeRawClients, subscribe } from './streams-client.js';

/** Subscribe with one request and close the sending side at once. */
const halfClosedSubscribe = (addr: string, first: SubscribeRequest): Subscription => subscribe(addr, first, { halfClose: true });

describe('calls answer promptly instead of waiting out their deadline', () => {
  let c: LocalCluster;
  let pool: BrokerPool;

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    pool = c.client([1, 2, 3], 10_000);
  }, 60_000);

  afterAll(async () => {
    closeRawClients();
    await c?.destroy();
  });

  it('a half-closed Subscribe keeps delivering until the server ends it, and an unknown stream is NOT_FOUND at once', async () => {
    await pool.call('DeclareStream', { name: 'half', settings: {} });
    await pool.call('Append', { stream: 'half', messages: [{ body: body('0') }, { body: body('1') }] });
    const sub = halfClosedSubscribe(c.node(2).client, { stream: 'half', start: 'START_FIRST', credit: 1 });
    for (let i = 2; i < 40; i++) await pool.call('Append', { stream: 'half', messages: [{ body: body(String(i)) }] });
    await waitFor('all 40 messages on the half-closed subscription', () => sub.messages.length >= 40, 10_000);
    expect(sub.messages.map((m) => m.body.toString())).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    await pool.call('DeleteStream', { name: 'half' });
    await sub.closed;
    expect(sub.error).toBeUndefined();
    expect(sub.ended).toMatch(/was deleted/);

    const t0 = Date.now();
    const missing = halfClosedSubscribe(c.node(3).client, { stream: 'no-such-stream', credit: 10 });
    await missing.closed;
    expect(missing.error?.code).toBe(grpc.status.NOT_FOUND);
    expect(missing.error?.details).toMatch(/stream "no-such-stream" does not exist/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('two TransferLeader calls at once both end when their target leads', async () => {
    const leader = await c.waitForLeader();
    const [a, b] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    // Through different nodes, to different targets: the second request overrides the first in the leader.
    const viaA = c.client([a], 10_000);
    const viaB = c.client([b], 10_000);
    const t0 = Date.now();
    const timed = (p: Promise<TransferLeaderResponse__Output>): Promise<{ ms: number; leader?: number; code?: string }> =>
      p.then(
        (r) => ({ ms: Date.now() - t0, leader: Number(r.leader) }),
        (e: CallError) => ({ ms: Date.now() - t0, code: grpc.status[e.code] }),
      );
    const [ra, rb] = await Promise.all([timed(viaA.call('TransferLeader', { id: a }, 10_000)), timed(viaB.call('TransferLeader', { id: b }, 10_000))]);
    expect([ra.leader, rb.leader]).toEqual([a, b]);
    // An election timeout is 300-600 ms; a few of them, far from the 10 s deadline.
    expect(Math.max(ra.ms, rb.ms)).toBeLessThan(5000);
  });

  it('linearizable reads while leadership moves every 0.3 s answer within their deadline', async () => {
    await c.waitForLeader();
    await pool.call('DeclareStream', { name: 'moving', settings: {} });
    await pool.call('Append', { stream: 'moving', messages: [{ body: body('x') }] });
    const until = Date.now() + 6000;
    let moves = 0;
    const mover = (async () => {
      let target = 1;
      while (Date.now() < until) {
        target = (target % 3) + 1;
        await pool.call('TransferLeader', { id: target }, 3000).then(
          () => moves++,
          () => undefined,
        );
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const outcomes: { ms: number; code: string }[] = [];
    const reader = async (via: number): Promise<void> => {
      const p = c.client([via], 3000);
      while (Date.now() < until) {
        const t = Date.now();
        const code = await p.call('StreamInfo', { name: 'moving' }, 3000).then(
          () => 'OK',
          (e: CallError) => grpc.status[e.code],
        );
        outcomes.push({ ms: Date.now() - t, code });
      }
    };
    await Promise.all([mover, reader(1), reader(2), reader(3), reader(1), reader(2), reader(3)]);
    const slow = outcomes.filter((o) => o.code === 'DEADLINE_EXCEEDED' || o.ms >= 2500);
    expect(moves).toBeGreaterThan(3);
    expect(outcomes.length).toBeGreaterThan(50);
    expect(new Set(outcomes.map((o) => o.code))).toSatisfy((codes: Set<string>) => [...codes].every((k) => k === 'OK' || k === 'UNAVAILABLE'));
    expect(slow).toEqual([]);
  }, 30_000);
});
