// Availability while the leader is paused (SIGSTOP) for 6 s, on a real
// three-node cluster: idempotent producers append through the two followers
// with 4 s deadlines, retrying the same sequence after a failure, as the
// proto says. Requests a follower had forwarded to the paused leader must not
// wait out their deadline once a new leader is elected (~0.5 s): the follower
// re-sends them. Prints the appends confirmed during the pause.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster } from './cluster.js';
import { pause, resume } from './faults.js';
import { body, closeRawClients, rawClient } from './streams-client.js';

const PAUSE_MS = 6000;
const DEADLINE_MS = 4000;
const PRODUCERS = 6;

function append(addr: string, producer: string, seq: number): Promise<{ ok: boolean; duplicate: boolean }> {
  return new Promise((resolve) => {
    rawClient(addr).Append({ stream: 'paused', producerId: producer, sequence: seq, messages: [{ body: body(`${producer}:${seq}`) }] }, { deadline: Date.now() + DEADLINE_MS }, (err: grpc.ServiceError | null, res?: AppendResponse__Output) =>
      resolve({ ok: !err, duplicate: !!res?.duplicate }),
    );
  });
}

describe('a paused leader', () => {
  let c: LocalCluster;
  let pool: BrokerPool;
  let paused: number | undefined;

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    pool = c.client([1, 2, 3], 10_000);
    await pool.call('DeclareStream', { name: 'paused', settings: {} });
  }, 60_000);

  afterAll(async () => {
    if (paused) resume(c, paused);
    closeRawClients();
    await c?.destroy();
  });

  it('delays forwarded appends by about the election, not by the client deadline', async () => {
    const leader = await c.waitForLeader();
    const followers = [1, 2, 3].filter((id) => id !== leader);
    let pausedAt = 0;
    let resumedAt = 0;
    const confirmedAt: number[][] = Array.from({ length: PRODUCERS }, () => []);
    let stop = false;
    const producer = async (k: number): Promise<void> => {
      const addr = c.node(followers[k % followers.length]!).client;
      let seq = 0;
      while (!stop) {
        const r = await append(addr, `p${k}`, seq);
        if (r.ok) {
          confirmedAt[k]!.push(Date.now());
          seq++;
        }
      }
    };
    const running = Array.from({ length: PRODUCERS }, (_, k) => producer(k));
    // Let every producer get going, then freeze the leader.
    await new Promise((r) => setTimeout(r, 1000));
    pausedAt = Date.now();
    paused = leader;
    pause(c, leader);
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    resume(c, leader);
    paused = undefined;
    resumedAt = Date.now();
    stop = true;
    await Promise.all(running);

    const during = confirmedAt.map((ts) => ts.filter((t) => t >= pausedAt && t < resumedAt).length);
    const firstAfterPause = confirmedAt.map((ts) => (ts.find((t) => t >= pausedAt) ?? Infinity) - pausedAt);
    const total = during.reduce((a, b) => a + b, 0);
    process.stdout.write(`leader-pause: ${total} appends confirmed during a ${PAUSE_MS} ms pause (per producer ${during.join(' ')}); first confirm after the pause per producer (ms): ${firstAfterPause.join(' ')}\n`);

    // Nothing stored twice, nothing lost: every producer's values once each, in order.
    const r = await pool.call<ReadResponse__Output>('Read', { stream: 'paused', fromOffset: 0, maxMessages: 10_000 });
    const values = r.messages.map((m) => m.body.toString());
    expect(new Set(values).size).toBe(values.length);
    for (let k = 0; k < PRODUCERS; k++) {
      const mine = values.filter((v) => v.startsWith(`p${k}:`)).map((v) => Number(v.split(':')[1]));
      expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => i));
    }
    // Every producer went on well before its 4 s deadline would have released it.
    expect(Math.max(...firstAfterPause)).toBeLessThan(3000);
  }, 60_000);
});
