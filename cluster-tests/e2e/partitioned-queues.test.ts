// A partitioned queue on a real three-node cluster: three partitions are three
// Raft groups whose leaders land on three different nodes (cluster status
// --json says so); keyed messages keep their per-key order, unkeyed ones are
// spread; a consumer on a follower gets and acks them all; killing a node
// moves the leadership of the group it led and publishing goes on; restarted,
// it re-creates its groups from its own data and catches up; deleting the
// queue ends its consumers, and declaring it again uses the same groups.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients } from './streams-client.js';

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];

describe('a partitioned queue on a three-node cluster', () => {
  let c: LocalCluster;
  let meta: number;
  const consumers: Consumer[] = [];
  const via = (id: number): BrokerPool => c.client([id], 10_000);

  /** `cluster status --json` through node `id`, as a user runs it. */
  const statusJson = async (id: number): Promise<ClusterStatusResponse__Output> => {
    const r = await c.cli(['cluster', 'status', '--json', '--server', c.node(id).client]);
    if (r.code !== 0) throw new Error(`cluster status failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ClusterStatusResponse__Output;
  };

  /** Publish, again while the partition's group has no leader or moves it (nothing was applied then). */
  const publish = async (pool: BrokerPool, messages: Array<{ body: Buffer; group?: string }>): Promise<number> => {
    const until = Date.now() + 20_000;
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

  /** Keyed messages: round r of every key in one request, so each key's order is its rounds'. */
  const publishRounds = async (pool: BrokerPool, from: number, to: number): Promise<void> => {
    for (let r = from; r < to; r++) expect(await publish(pool, KEYS.map((k) => ({ body: body(`${k}:${r}`), group: k })))).toBe(KEYS.length);
  };

  /** Every key's rounds in the order delivered, checked increasing. */
  const checkKeyOrder = (bodies: string[]): Map<string, number[]> => {
    const seen = new Map<string, number[]>();
    for (const b of bodies) {
      const [k, r] = b.split(':');
      if (!KEYS.includes(k!)) continue;
      const list = seen.get(k!) ?? [];
      list.push(Number(r));
      seen.set(k!, list);
    }
    for (const [k, rounds] of seen) expect(rounds, `order of key ${k}`).toEqual([...rounds].sort((a, b) => a - b));
    return seen;
  };

  /** Ack deliveries as they come until `n` were delivered. */
  const ackAll = async (k: Consumer, n: number): Promise<void> => {
    let acked = 0;
    while (acked < n) {
      await waitFor(`delivery ${acked + 1} of ${n}`, () => k.deliveries.length > acked || k.error !== undefined || k.ended !== undefined);
      expect(k.error ?? k.ended).toBeUndefined();
      const fresh = k.deliveries.slice(acked).map((x) => Number(x.tag));
      acked += fresh.length;
      expect(await k.settle({ ack: fresh })).toEqual([]);
    }
    expect(k.deliveries.length).toBe(n);
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    meta = await c.waitForLeader();
  }, 60_000);

  afterAll(async () => {
    for (const k of consumers) k.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('places three partitions with leaders on three nodes, routes keyed and unkeyed messages, and a follower consumes and acks them all', async () => {
    const follower = [1, 2, 3].find((id) => id !== meta)!;
    const bad = await failure(via(follower).call('DeclareQueue', { name: 'orders', partitions: 65 }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/partitions must be between 1 and 64/);
    const d = await c.cli(['queue', 'declare', 'orders', '--partitions', '3', '--json', '--server', c.node(follower).client]);
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ name: 'orders', created: true });
    // Declared again with the same partitions: a no-op; with others: refused, naming both.
    expect((await via(meta).call<{ created: boolean }>('DeclareQueue', { name: 'orders', partitions: 3 })).created).toBe(false);
    expect((await failure(via(meta).call('DeclareQueue', { name: 'orders', partitions: 2 }))).details).toMatch(/placed with 3 partitions, not 2/);

    await waitFor(
      'a leader for each of the three groups, on three different nodes',
      async () => {
        const st = await c.status(follower);
        const leaders = new Set(st.groups.map((g) => g.leader));
        return st.groups.length === 3 && !leaders.has(0) && leaders.size === 3;
      },
      30_000,
    );
    // As a user sees it.
    const s = await statusJson(follower);
    expect(new Set(s.groups.map((g) => g.leader))).toEqual(new Set([1, 2, 3]));
    expect(s.groups.map((g) => [g.queue, g.partition, g.members])).toEqual([0, 1, 2].map((p) => ['orders', p, [1, 2, 3]]));
    for (const m of s.members) expect(m).toMatchObject({ groups: 4 });
    expect(s.members.map((m) => m.leading).reduce((a, b) => a + b, 0)).toBe(4);
    const human = await c.cli(['cluster', 'status', '--server', c.node(follower).client]);
    expect(human.stdout).toMatch(/3 data groups/);

    await publishRounds(via(follower), 0, 10);
    for (let i = 0; i < 12; i++) expect(await publish(via(i % 2 ? follower : meta), [{ body: body(`u${i}`) }])).toBe(1);
    const info = await via(follower).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
    expect(info).toMatchObject({ name: 'orders', partitions: 3, ready: 92, published: 92 });
    const list = await via(meta).call<{ queues: QueueInfoResponse__Output[] }>('ListQueues', {});
    expect(list.queues.map((q) => [q.name, q.partitions])).toEqual([['orders', 3]]);
    expect((await c.cli(['queue', 'list', '--server', c.node(meta).client])).stdout).toMatch(/orders\s+3\s+92\s/);

    // Prefetch 30 over three partitions (10 each): acked as they come (a key's next message comes once its previous is settled).
    const k = new Consumer(c.node(follower).client, 'orders', 30);
    consumers.push(k);
    await ackAll(k, 92);
    expect(k.deliveries.length).toBe(92);
    expect(new Set(k.deliveries.map((x) => Number(x.tag))).size).toBe(92);
    // Tags carry the partition: every partition delivered some.
    expect(new Set(k.deliveries.map((x) => Number(x.tag) % 64))).toEqual(new Set([0, 1, 2]));
    const seen = checkKeyOrder(k.bodies());
    expect([...seen.values()].map((r) => r.length)).toEqual(KEYS.map(() => 10));
    await waitFor('every message acked', async () => {
      const i = await via(meta).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
      return i.acked === 92 && i.ready === 0 && i.unacked === 0;
    });
    k.cancel();
  }, 90_000);

  it('a killed node\'s groups elect new leaders and publishing goes on; restarted, it re-creates its groups from its own data and catches up', async () => {
    const before = await c.status(meta);
    const victim = before.groups.find((g) => g.leader !== meta)!.leader;
    const survivor = [1, 2, 3].find((id) => id !== victim)!;
    await c.stopNode(victim, 'SIGKILL');
    await waitFor(
      'every group led by a surviving node',
      async () => {
        const st = await c.status(survivor);
        return st.groups.every((g) => g.leader !== 0 && g.leader !== victim) && st.leader !== 0 && st.leader !== victim;
      },
      30_000,
    );
    await publishRounds(via(survivor), 10, 15);

    const r = await c.startNode(victim);
    expect(r.exitCode).toBeUndefined();
    // Its own replicas (LOCAL: no barrier) hold every message once it caught up.
    await waitFor(
      'the restarted node to hold every partition\'s messages',
      async () => {
        const i = await c.client([victim], 2000).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders', consistency: 'LOCAL' }).catch(() => undefined);
        return i?.published === 92 + 40 && i.ready === 40;
      },
      30_000,
    );
    const st = await statusJson(victim);
    expect(st.members.find((m) => m.id === victim)).toMatchObject({ reachable: true, groups: 4 });

    // Consumed on the restarted node: the new rounds, in order per key.
    const k = new Consumer(c.node(victim).client, 'orders', 100);
    consumers.push(k);
    await ackAll(k, 40);
    const seen = checkKeyOrder(k.bodies());
    for (const rounds of seen.values()) expect(rounds).toEqual([10, 11, 12, 13, 14]);
    await waitFor('every message acked', async () => {
      const i = await via(victim).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' });
      return i.acked === 132 && i.ready === 0 && i.unacked === 0;
    });

    k.cancel();
    await waitFor('the consumer gone from every partition', async () => (await via(victim).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).consumers === 0);
    // The pull form: six unkeyed messages in one publish go two to each partition; one Get of six takes them all, one Settle acks them.
    expect(await publish(via(survivor), [0, 1, 2, 3, 4, 5].map((i) => ({ body: body(`g${i}`) })))).toBe(6);
    await waitFor('the six ready on the restarted node', async () => (await c.client([victim], 2000).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders', consistency: 'LOCAL' })).ready === 6);
    const got = await c.client([victim], 10_000).call<{ consumer: string; deliveries: Array<{ tag: number; body: Buffer }> }>('GetMessages', { queue: 'orders', max: 6, waitMs: 2000 });
    expect(got.deliveries.map((x) => Buffer.from(x.body).toString()).sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
    expect(new Set(got.deliveries.map((x) => Number(x.tag) % 64))).toEqual(new Set([0, 1, 2]));
    const settled = await via(survivor).call<{ unknownTags: number[] }>('Settle', { queue: 'orders', consumer: got.consumer, ack: got.deliveries.map((x) => Number(x.tag)) });
    expect(settled.unknownTags).toEqual([]);
    await waitFor('the six acked', async () => (await via(victim).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).acked === 138);

    // Dead letters stay in their partitions; a listing reads every partition's store.
    expect(await publish(via(survivor), ['d0', 'd1', 'd2'].map((b) => ({ body: body(b) })))).toBe(3);
    const dying = await c.client([survivor], 10_000).call<{ consumer: string; deliveries: Array<{ tag: number; body: Buffer }> }>('GetMessages', { queue: 'orders', max: 3, waitMs: 2000 });
    expect(new Set(dying.deliveries.map((x) => Number(x.tag) % 64))).toEqual(new Set([0, 1, 2]));
    await via(survivor).call('Settle', { queue: 'orders', consumer: dying.consumer, reject: dying.deliveries.map((x) => Number(x.tag)) });
    type Listing = { total: number; deadLetters: Array<{ body: Buffer; reason: string }> };
    const listing = await waitFor('three dead letters listed by the restarted node', async () => {
      const l = await c.client([victim], 2000).call<Listing>('ListDeadLetters', { queue: 'orders', consistency: 'LOCAL' });
      return l.total === 3 ? l : undefined;
    });
    expect(listing.deadLetters.map((d) => [Buffer.from(d.body).toString(), d.reason]).sort()).toEqual([['d0', 'rejected'], ['d1', 'rejected'], ['d2', 'rejected']]);
    // Cut short by max, with the total of every partition.
    const two = await via(meta).call<Listing>('ListDeadLetters', { queue: 'orders', max: 2 });
    expect([two.deadLetters.length, two.total]).toEqual([2, 3]);
  }, 90_000);

  it('deleting a partitioned queue ends its consumers on every partition; declared again it uses the same groups', async () => {
    const groupsBefore = (await c.status(meta)).groups.map((g) => g.group);
    // The pull consumer of the Get above is still attached (its lease has not lapsed): one more consumer on each partition.
    const attached = (await via(meta).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).consumers;
    const k = new Consumer(c.node(meta).client, 'orders', 6);
    consumers.push(k);
    await waitFor('the consumer attached to every partition', async () => (await via(meta).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).consumers === attached + 3);
    await via(meta).call('DeleteQueue', { name: 'orders' });
    await k.closed;
    expect(k.error).toBeUndefined();
    expect(k.ended).toMatch(/deleted/);
    expect((await failure(via(meta).call('QueueInfo', { name: 'orders' }))).code).toBe(grpc.status.NOT_FOUND);
    expect((await via(meta).call<{ created: boolean }>('DeclareQueue', { name: 'orders', partitions: 3 })).created).toBe(true);
    expect((await c.status(meta)).groups.map((g) => g.group)).toEqual(groupsBefore);
    expect(await via(meta).call<QueueInfoResponse__Output>('QueueInfo', { name: 'orders' })).toMatchObject({ partitions: 3, ready: 0, published: 0 });
  }, 60_000);
});
