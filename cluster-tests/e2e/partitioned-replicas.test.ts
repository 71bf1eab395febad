// A partitioned queue placed with fewer replicas than nodes, on a real
// five-node cluster: five partitions of three replicas make every node a
// member of three groups and the preferred leader of one (cluster status
// --json says so), bad replication factors are refused naming the rule with
// nothing placed, and every node serves every call on every partition —
// publishing through one node, consuming (push and pull), settling and
// reading figures through others, each of them not a member of two of the
// partitions — with per-key order kept; a killed member's groups elect new
// leaders and the non-members keep routing to them.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients } from './streams-client.js';

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9'];
const NODES = [1, 2, 3, 4, 5];

describe('a partitioned queue with 3 replicas on a five-node cluster', () => {
  let c: LocalCluster;
  const consumers: Consumer[] = [];
  const via = (id: number): BrokerPool => c.client([id], 15_000);

  const statusJson = async (id: number): Promise<ClusterStatusResponse__Output> => {
    const r = await c.cli(['cluster', 'status', '--json', '--timeout', '30000', '--server', c.node(id).client], 40_000);
    if (r.code !== 0) throw new Error(`cluster status failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ClusterStatusResponse__Output;
  };

  /** Publish, again while a partition's group has no leader (nothing was applied then). */
  const publish = async (pool: BrokerPool, messages: Array<{ body: Buffer; group?: string }>): Promise<number> => {
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        return (await pool.call<{ count: number }>('Publish', { queue: 'orders', messages })).count;
      } catch (e) {
        const err = e as grpc.ServiceError;
        const notApplied = err.metadata?.get('x-quorumq-outcome')[0] === 'not-applied' || /not applied/.test(err.details ?? '');
        if (err.code !== grpc.status.UNAVAILABLE || !notApplied || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const publishRounds = async (pool: BrokerPool, from: number, to: number): Promise<void> => {
    for (let r = from; r < to; r++) expect(await publish(pool, KEYS.map((k) => ({ body: body(`${k}:${r}`), group: k })))).toBe(KEYS.length);
  };

  const keyOrder = (bodies: string[]): Map<string, number[]> => {
    const seen = new Map<string, number[]>();
    for (const b of bodies) {
      const [k, r] = b.split(':');
      const list = seen.get(k!) ?? [];
      list.push(Number(r));
      seen.set(k!, list);
    }
    for (const [k, rounds] of seen) expect(rounds, `order of key ${k}`).toEqual([...rounds].sort((a, b) => a - b));
    return seen;
  };

  const ackAll = async (k: Consumer, n: number): Promise<void> => {
    let acked = 0;
    while (acked < n) {
      await waitFor(`delivery ${acked + 1} of ${n}`, () => k.deliveries.length > acked || k.error !== undefined || k.ended !== undefined, 30_000);
      expect(k.error ?? k.ended).toBeUndefined();
      const fresh = k.deliveries.slice(acked).map((x) => Number(x.tag));
      acked += fresh.length;
      expect(await k.settle({ ack: fresh }, 30_000)).toEqual([]);
    }
    expect(k.deliveries.length).toBe(n);
  };

  /** Every partition's group as the status says: members and leader. */
  const groups = async (id: number) => (await c.status(id)).groups.filter((g) => g.queue === 'orders').sort((a, b) => a.partition - b.partition);

  beforeAll(async () => {
    c = await LocalCluster.create(5);
    await c.startAll();
    await c.waitForLeader(60_000);
  }, 120_000);

  afterAll(async () => {
    for (const k of consumers) k.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('refuses bad replication factors naming the field and the rule, placing nothing', async () => {
    const even = await c.cli(['queue', 'declare', 'bad', '--partitions', '5', '--replicas', '4', '--server', c.node(2).client]);
    expect(even.code).not.toBe(0);
    expect(even.stderr).toMatch(/replicas must be odd \(4 replicas survive no more lost nodes than 3\), got 4/);
    const tooMany = await failure(via(3).call('DeclareQueue', { name: 'bad', partitions: 5, replicas: 7 }));
    expect(tooMany.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(tooMany.details).toMatch(/replicas must be at most the number of voters \(5\), got 7/);
    const ordinary = await failure(via(1).call('DeclareQueue', { name: 'bad', replicas: 3 }));
    expect(ordinary.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(ordinary.details).toMatch(/replicas must be 0 for an ordinary queue/);
    const noPartitions = await c.cli(['queue', 'declare', 'bad', '--replicas', '3', '--server', c.node(1).client]);
    expect(noPartitions.code).not.toBe(0);
    expect(noPartitions.stderr).toMatch(/--replicas needs --partitions/);
    expect((await c.status(1)).groups).toEqual([]);
    expect((await via(1).call<{ queues: unknown[] }>('ListQueues', {})).queues).toEqual([]);
  }, 60_000);

  it('spreads 5 partitions of 3 replicas: each node a member of 3 groups and leader of 1; non-members serve every call with per-key order kept', async () => {
    const d = await c.cli(['queue', 'declare', 'orders', '--partitions', '5', '--replicas', '3', '--json', '--timeout', '60000', '--server', c.node(4).client], 70_000);
    // (Placing, creating and electing five groups on a loaded machine can take longer than the CLI's default 5 s.)
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ name: 'orders', created: true });
    expect((await failure(via(2).call('DeclareQueue', { name: 'orders', partitions: 5, replicas: 5 }))).details).toMatch(/placed with 3 replicas, not 5/);
    expect((await via(2).call<{ created: boolean }>('DeclareQueue', { name: 'orders', partitions: 5 })).created).toBe(false);

    const s = await statusJson(1);
    expect(s.groups).toHaveLength(5);
    for (const g of s.groups) {
      expect(g.members).toHaveLength(3);
      expect(g.members).toContain(g.preferredLeader);
    }
    for (const n of NODES) expect(s.groups.filter((g) => g.members.includes(n)), `groups of node ${n}`).toHaveLength(3);
    expect(s.groups.map((g) => g.preferredLeader).sort()).toEqual(NODES);
    // Only members create a group: every node hosts group 0 and its three.
    await waitFor(
      'every node hosting its 3 groups, each led by its preferred leader',
      async () => {
        const st = await c.status(1);
        return st.members.every((m) => m.groups === 4) && st.groups.every((g) => g.leader === g.preferredLeader);
      },
      60_000,
    );
    const human = await c.cli(['cluster', 'status', '--timeout', '30000', '--server', c.node(5).client], 40_000);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/5 data groups/);

    // Node 1 publishes and node 2 consumes: each is not a member of two partitions (writes forwarded to leaders they learn, a consumer's share relayed).
    const gs = await groups(1);
    const outside = (n: number): number[] => gs.filter((g) => !g.members.includes(n)).map((g) => g.partition);
    expect(outside(1)).toHaveLength(2);
    expect(outside(2)).toHaveLength(2);
    await publishRounds(via(1), 0, 10);
    // Unkeyed, in one request: dealt round robin, two to each partition (whatever partitions the keys hash to).
    expect(await publish(via(3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ body: body(`u:${i}`) })))).toBe(10);
    // Figures through a node outside some partitions: their members answer for them.
    const info = await via(3).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
    expect(info).toMatchObject({ name: 'orders', partitions: 5, ready: 110, published: 110 });
    expect((await via(4).call<{ queues: QueueInfoResponse__Output[] }>('ListQueues', {})).queues.map((q) => [q.name, q.partitions, q.ready])).toEqual([['orders', 5, 110]]);

    const k = new Consumer(c.node(2).client, 'orders', 25);
    consumers.push(k);
    await ackAll(k, 110);
    expect(new Set(k.deliveries.map((x) => Number(x.tag))).size).toBe(110);
    // Every partition delivered, those node 2 is not a member of included.
    expect(new Set(k.deliveries.map((x) => Number(x.tag) % 64))).toEqual(new Set([0, 1, 2, 3, 4]));
    const seen = keyOrder(k.bodies().filter((b) => !b.startsWith('u:')));
    expect([...seen.values()].map((r) => r.length)).toEqual(KEYS.map(() => 10));
    await waitFor('every message acked', async () => {
      const i = await via(5).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
      return i.acked === 110 && i.ready === 0 && i.unacked === 0;
    });
    k.cancel();
    await waitFor('the consumer gone from every partition', async () => (await via(3).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).consumers === 0);

    // The pull form through node 3, settled through node 4 (both outside two partitions): ten unkeyed messages, two per partition.
    expect(await publish(via(5), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ body: body(`g${i}`) })))).toBe(10);
    const got = await c.client([3], 15_000).call<{ consumer: string; deliveries: Array<{ tag: number; body: Buffer }> }>('GetMessages', { queue: 'orders', max: 10, waitMs: 5000 });
    expect(got.deliveries.map((x) => Buffer.from(x.body).toString()).sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9']);
    expect(new Set(got.deliveries.map((x) => Number(x.tag) % 64))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect((await via(4).call<{ unknownTags: number[] }>('Settle', { queue: 'orders', consumer: got.consumer, ack: got.deliveries.map((x) => Number(x.tag)) })).unknownTags).toEqual([]);
    await waitFor('the ten acked', async () => (await via(1).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).acked === 120);
  }, 240_000);

  it('a killed member\'s groups elect new leaders; nodes outside those groups keep publishing and consuming through them', async () => {
    const gs = await groups(1);
    const before = await via(1).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
    // The victim leads a group; node 1 publishes and node 2 consumes, as before, neither of them the victim.
    const victim = gs.map((g) => g.leader).find((l) => l !== 1 && l !== 2)!;
    const led = gs.filter((g) => g.leader === victim).map((g) => g.group);
    await c.stopNode(victim, 'SIGKILL');
    await waitFor(
      'every partition led by a surviving node',
      async () => {
        const now = await groups(1);
        return now.every((g) => g.leader !== 0 && g.leader !== victim);
      },
      60_000,
    );
    expect(led.length).toBeGreaterThan(0);
    await publishRounds(via(1), 10, 15);
    const k = new Consumer(c.node(2).client, 'orders', 50);
    consumers.push(k);
    await ackAll(k, 50);
    const seen = keyOrder(k.bodies());
    for (const rounds of seen.values()) expect(rounds).toEqual([10, 11, 12, 13, 14]);
    await waitFor('every message acked', async () => {
      const i = await via(3 === victim ? 4 : 3).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
      return i.acked === before.acked + 50 && i.ready === before.ready && i.unacked === 0;
    });
    k.cancel();
  }, 180_000);
});
