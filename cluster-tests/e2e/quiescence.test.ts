// Quiescence on a real three-node cluster: the data groups of an idle
// partitioned queue go quiet on every node (the metrics say so; group 0 stays
// awake), a publish wakes its partition's group and it goes quiet again, and
// killing the node that leads a quiet group gets that group a new leader —
// its quiet followers notice the node's silence (node-level liveness) — and
// publishing to every partition goes on.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from './cluster.js';
import { body, closeRawClients } from './streams-client.js';

async function metric(c: LocalCluster, id: number, name: string): Promise<number> {
  const text = await (await fetch(`http://${c.node(id).metrics}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];

describe('quiescence on a three-node cluster', () => {
  let c: LocalCluster;
  let meta: number;
  const via = (id: number): BrokerPool => c.client([id], 10_000);

  /** Publish, again while a partition's group has no leader yet (nothing was applied then). */
  const publish = async (pool: BrokerPool, messages: Array<{ body: Buffer; group?: string }>): Promise<number> => {
    const until = Date.now() + 20_000;
    for (;;) {
      try {
        return (await pool.call<{ count: number }>('Publish', { queue: 'idle', messages })).count;
      } catch (e) {
        const err = e as grpc.ServiceError;
        const notApplied = err.metadata?.get('x-quorumq-outcome')[0] === 'not-applied' || /not applied/.test(err.details ?? '');
        if (err.code !== grpc.status.UNAVAILABLE || !notApplied || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const allQuiet = async (ids: number[], groups: number): Promise<boolean> => {
    for (const id of ids) if ((await metric(c, id, 'quorumq_raft_groups_quiet')) !== groups) return false;
    return true;
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    meta = await c.waitForLeader();
  }, 60_000);

  afterAll(async () => {
    closeRawClients();
    await c?.destroy();
  });

  it('idle data groups go quiet on every node; a publish wakes one and it goes quiet again', async () => {
    expect((await via(meta).call<{ created: boolean }>('DeclareQueue', { name: 'idle', partitions: 3 })).created).toBe(true);
    await waitFor('a leader for each of the three groups', async () => {
      const st = await c.status(meta);
      return st.groups.length === 3 && st.groups.every((g) => g.leader !== 0);
    });
    expect(await publish(via(meta), KEYS.map((k) => ({ body: body(k), group: k })))).toBe(KEYS.length);
    await waitFor('the three data groups quiet on every node (group 0 awake)', () => allQuiet([1, 2, 3], 3), 20_000);
    for (const id of [1, 2, 3]) expect(await metric(c, id, 'quorumq_raft_groups_awake')).toBe(1);
    expect(await publish(via(meta), [{ body: body('wake'), group: 'a' }])).toBe(1);
    await waitFor('quiet again after the publish', () => allQuiet([1, 2, 3], 3), 20_000);
  }, 90_000);

  it("killing the node that leads a quiet group: its quiet followers notice the node's silence, elect a new leader, and publishing to every partition goes on", async () => {
    const st = await c.status(meta);
    const g = st.groups.find((x) => x.leader !== meta)!;
    const victim = g.leader;
    const survivors = [1, 2, 3].filter((id) => id !== victim);
    // (Asking for the status may have woken a group for a moment: quiet again first.)
    await waitFor('every data group quiet before the kill', () => allQuiet([1, 2, 3], 3), 20_000);
    const wakesBefore = (await Promise.all(survivors.map((id) => metric(c, id, 'quorumq_raft_quiet_silence_wakes_total')))).reduce((a, b) => a + b, 0);
    const t0 = performance.now();
    await c.stopNode(victim, 'SIGKILL');
    // Nothing else wakes the groups meanwhile: a publish on a follower of the dead leader is forwarded (and fails until a new leader is elected), it proposes nothing there.
    // One key per call: a call spanning partitions could be refused as a whole after some partitions took it.
    for (const k of KEYS) expect(await publish(via(survivors[0]!), [{ body: body(`after-${k}`), group: k }])).toBe(1);
    const publishedMs = performance.now() - t0;
    console.log(`quiet group ${g.group} (led by node ${victim}, killed): a publish to every partition went through ${publishedMs.toFixed(0)} ms after the kill`);
    const wakesAfter = (await Promise.all(survivors.map((id) => metric(c, id, 'quorumq_raft_quiet_silence_wakes_total')))).reduce((a, b) => a + b, 0);
    expect(wakesAfter).toBeGreaterThan(wakesBefore);
    const s = await c.status(survivors[0]!);
    expect(s.groups.every((x) => x.leader !== 0 && x.leader !== victim)).toBe(true);
    const info = await via(survivors[0]!).call<{ published: number; partitions: number }>('QueueInfo', { name: 'idle' });
    expect(info).toMatchObject({ partitions: 3, published: 2 * KEYS.length + 1 });
  }, 90_000);
});
