// A partitioned stream on a real three-node cluster: created with three
// partitions through the CLI, it is three Raft groups whose leaders land on
// three nodes; keyed appends go to their key's partition (the reply says
// which) and keep their per-key order; a follower reads every message back
// exactly once across the partitions, and a subscription follows them all;
// an idempotent producer's retry is answered from its partition; killing a
// node moves the leadership of what it led and appending goes on, and the
// restarted node catches up from its own data; retention holds per
// partition; deleting removes every partition. Bad input is refused with the
// field and the rule.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse__Output } from '../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { StreamMessage__Output } from '../../proto/generated/quorumq/v1/StreamMessage.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { partitionOf } from '../../proto/partition-hash.js';
import { connect } from '../../broker/client/index.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import type { Subscription } from './streams-client.js';
import { body, closeRawClients, subscribe } from './streams-client.js';

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
const S = 'events';

describe('a partitioned stream on a three-node cluster', () => {
  let c: LocalCluster;
  let meta: number;
  const subs: Subscription[] = [];
  const via = (id: number): BrokerPool => c.client([id], 10_000);

  /** Append, again while the partition's group has no leader or moves it (nothing was applied then). */
  const append = async (pool: BrokerPool, req: { messages: Array<{ body: Buffer }>; key?: string; producerId?: string; sequence?: number }, stream = S): Promise<AppendResponse__Output> => {
    const until = Date.now() + 20_000;
    for (;;) {
      try {
        return await pool.call<AppendResponse__Output>('Append', { stream, ...req });
      } catch (e) {
        const err = e as grpc.ServiceError;
        const notApplied = err.metadata?.get('x-quorumq-outcome')[0] === 'not-applied' || /not applied/.test(err.details ?? '');
        if (err.code !== grpc.status.UNAVAILABLE || !notApplied || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  /** Round r of every key, the keys in parallel, the rounds one after another: each key's order is its rounds'. */
  const appendRounds = async (pool: BrokerPool, from: number, to: number): Promise<void> => {
    for (let r = from; r < to; r++) {
      const outs = await Promise.all(KEYS.map((k) => append(pool, { key: k, messages: [{ body: body(`${k}:${r}`) }] })));
      // The reply names the partition: the key's, by the same hash every node uses.
      outs.forEach((o, i) => expect(o.partition, `partition of ${KEYS[i]}`).toBe(partitionOf(KEYS[i]!, 3)));
    }
  };

  /** Read every partition to its end from node `id` (offset vector from 0), in pages. */
  const readAll = async (id: number, consistency: 'LINEARIZABLE' | 'LOCAL' = 'LINEARIZABLE'): Promise<StreamMessage__Output[]> => {
    const out: StreamMessage__Output[] = [];
    let offsets = [0, 0, 0];
    for (;;) {
      const r = await via(id).call<ReadResponse__Output>('Read', { stream: S, fromOffsets: offsets, maxMessages: 7, consistency });
      expect(r.partitions).toEqual([0, 1, 2]);
      out.push(...r.messages);
      offsets = r.nextOffsets;
      if (r.messages.length === 0) return out;
    }
  };

  /** Each key's rounds in the order seen, checked increasing, each key only in its own partition. */
  const checkKeys = (ms: StreamMessage__Output[]): Map<string, number[]> => {
    const seen = new Map<string, number[]>();
    for (const m of ms) {
      const [k, r] = Buffer.from(m.body).toString().split(':');
      if (!KEYS.includes(k!)) continue;
      expect(m.partition, `partition of ${k}`).toBe(partitionOf(k!, 3));
      const list = seen.get(k!) ?? [];
      list.push(Number(r));
      seen.set(k!, list);
    }
    for (const [k, rounds] of seen) expect(rounds, `order of key ${k}`).toEqual([...rounds].sort((a, b) => a - b));
    return seen;
  };

  /** Each (partition, offset) once, and within a partition offsets ascending from where the read began. */
  const checkOnce = (ms: StreamMessage__Output[]): void => {
    expect(new Set(ms.map((m) => `${m.partition}/${m.offset}`)).size).toBe(ms.length);
    for (const p of [0, 1, 2]) {
      const offs = ms.filter((m) => m.partition === p).map((m) => Number(m.offset));
      expect(offs).toEqual(offs.map((_, i) => i + (offs[0] ?? 0)));
    }
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    meta = await c.waitForLeader();
  }, 60_000);

  afterAll(async () => {
    for (const s of subs) s.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('refuses bad declarations, naming the field and the rule', async () => {
    const bad = await failure(via(meta).call('DeclareStream', { name: 'bad', partitions: 65 }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/partitions must be between 1 and 64 \(0 for an ordinary stream\), got 65/);
    const cli = await c.cli(['stream', 'create', 'bad', '--partitions', '65', '--server', c.node(meta).client]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/partitions must be between 1 and 64/);
    // An ordinary stream cannot become partitioned under the same name.
    await via(meta).call('DeclareStream', { name: 'plain' });
    expect((await failure(via(meta).call('DeclareStream', { name: 'plain', partitions: 2 }))).details).toMatch(/exists as an ordinary stream/);
    // An ordinary stream's messages say partition 0 (it once said each message's position in the answer).
    await via(meta).call('Append', { stream: 'plain', messages: ['a', 'b', 'c'].map((x) => ({ body: body(x) })) });
    const plain = await via(meta).call<ReadResponse__Output>('Read', { stream: 'plain', fromOffset: 0 });
    expect(plain.messages.map((m) => [Number(m.offset), m.partition])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    const ps = subscribe(c.node(meta).client, { stream: 'plain', start: 'START_FIRST', credit: 10 });
    subs.push(ps);
    await waitFor('the three plain messages', () => ps.messages.length >= 3 || ps.error !== undefined);
    expect(ps.messages.map((m) => m.partition)).toEqual([0, 0, 0]);
    ps.cancel();
    // Nothing was placed for the refused ones.
    expect((await c.status(meta)).groups).toEqual([]);
  }, 60_000);

  it('creates three partitions through the CLI with leaders on three nodes; keyed appends keep their order and a follower reads every message once', async () => {
    const follower = [1, 2, 3].find((id) => id !== meta)!;
    const d = await c.cli(['stream', 'create', S, '--partitions', '3', '--json', '--server', c.node(follower).client]);
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ name: S, partitions: 3, created: true });
    expect((await via(meta).call<{ created: boolean }>('DeclareStream', { name: S, partitions: 3 })).created).toBe(false);
    expect((await failure(via(meta).call('DeclareStream', { name: S, partitions: 2 }))).details).toMatch(/placed with 3 partitions, not 2/);
    expect((await failure(via(meta).call('DeclareStream', { name: S }))).details).toMatch(/is partitioned \(3 partitions\); declare it with partitions 3/);

    await waitFor(
      'a leader for each of the three groups, on three different nodes',
      async () => {
        const st = await c.status(follower);
        const leaders = new Set(st.groups.map((g) => g.leader));
        return st.groups.length === 3 && !leaders.has(0) && leaders.size === 3;
      },
      30_000,
    );
    const st = JSON.parse((await c.cli(['cluster', 'status', '--json', '--server', c.node(follower).client])).stdout) as ClusterStatusResponse__Output;
    expect(st.groups.map((g) => [g.kind, g.queue, g.partition, g.members])).toEqual([0, 1, 2].map((p) => ['stream', S, p, [1, 2, 3]]));
    expect(new Set(st.groups.map((g) => g.leader))).toEqual(new Set([1, 2, 3]));

    await appendRounds(via(follower), 0, 10);
    // Unkeyed appends through one node go round robin: four to each partition.
    const unkeyed: AppendResponse__Output[] = [];
    for (let i = 0; i < 12; i++) unkeyed.push(await append(via(meta), { messages: [{ body: body(`u${i}`) }] }));
    expect([0, 1, 2].map((p) => unkeyed.filter((o) => o.partition === p).length)).toEqual([4, 4, 4]);
    // Offsets are per partition: each starts at 0.
    for (const p of [0, 1, 2]) expect(Math.min(...unkeyed.filter((o) => o.partition === p).map((o) => Number(o.firstOffset)))).toBeGreaterThanOrEqual(0);

    const info = await via(follower).call<StreamInfoResponse__Output>('StreamInfo', { name: S });
    expect(info).toMatchObject({ name: S, partitions: 3, messageCount: 92 });
    expect(info.partitionInfo.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(info.partitionInfo.reduce((n, p) => n + Number(p.messageCount), 0)).toBe(92);
    for (const p of info.partitionInfo) expect(Number(p.nextOffset)).toBe(Number(p.messageCount));
    const list = await via(meta).call<{ streams: StreamInfoResponse__Output[] }>('ListStreams', {});
    expect(list.streams.map((s) => [s.name, s.partitions, Number(s.messageCount)])).toEqual([
      [S, 3, 92],
      ['plain', 0, 3],
    ]);
    expect((await c.cli(['stream', 'list', '--server', c.node(meta).client])).stdout).toMatch(/events\s+3\s+-\s+-\s+92\s/);
    expect((await c.cli(['stream', 'info', S, '--server', c.node(follower).client])).stdout).toMatch(/3 partitions/);

    const all = await readAll(follower);
    expect(all).toHaveLength(92);
    checkOnce(all);
    const seen = checkKeys(all);
    expect([...seen.values()].map((r) => r.length)).toEqual(KEYS.map(() => 10));
    expect(all.map((m) => Buffer.from(m.body).toString()).sort()).toEqual([...KEYS.flatMap((k) => Array.from({ length: 10 }, (_, r) => `${k}:${r}`)), ...Array.from({ length: 12 }, (_, i) => `u${i}`)].sort());
    // One partition alone, from an offset.
    const p1 = await via(follower).call<ReadResponse__Output>('Read', { stream: S, partitions: [1], fromOffsets: [2], maxMessages: 1000 });
    expect(p1.messages.map((m) => [m.partition, Number(m.offset)])).toEqual(all.filter((m) => m.partition === 1 && Number(m.offset) >= 2).map((m) => [1, Number(m.offset)]));
    // The CLI reads every partition too.
    const r = await c.cli(['read', S, '--json', '--count', '1000', '--server', c.node(follower).client]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(92);
  }, 90_000);

  it('refuses bad reads, subscriptions and offsets naming the field and the rule', async () => {
    const e1 = await failure(via(meta).call('Read', { stream: S, partitions: [3] }));
    expect(e1.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(e1.details).toMatch(/partitions\[0\] is 3: the stream has 3 partitions \(0 to 2\)/);
    expect((await failure(via(meta).call('Read', { stream: S, fromOffsets: [0, 0] }))).details).toMatch(/from_offsets must hold one offset per partition read \(3\)/);
    expect((await failure(via(meta).call('CommitOffset', { stream: S, consumer: 'c1', offset: 0, partition: 3 }))).details).toMatch(/partition is 3: the stream has 3 partitions/);
    const s = subscribe(c.node(meta).client, { stream: S, start: 'START_AT_OFFSET', offsets: [0], credit: 10 });
    await s.closed;
    expect(s.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(s.error?.details).toMatch(/offsets must hold one offset per partition read \(3\)/);
    // Committed offsets are per partition.
    await via(meta).call('CommitOffset', { stream: S, consumer: 'c1', offset: 2, partition: 1 });
    expect(await via(meta).call('GetOffset', { stream: S, consumer: 'c1', partition: 1 })).toMatchObject({ found: true, offset: 2 });
    expect(await via(meta).call('GetOffset', { stream: S, consumer: 'c1', partition: 0 })).toMatchObject({ found: false });
  }, 60_000);

  it('a subscription on a follower follows every partition, each in order, live', async () => {
    const follower = [1, 2, 3].find((id) => id !== meta)!;
    const s = subscribe(c.node(follower).client, { stream: S, start: 'START_FIRST', credit: 1000 });
    subs.push(s);
    await waitFor('the 92 stored messages', () => s.messages.length >= 92 || s.error !== undefined);
    expect(s.error).toBeUndefined();
    await appendRounds(via(meta), 10, 12);
    await waitFor('the 16 new ones', () => s.messages.length >= 108 || s.error !== undefined);
    expect(s.messages).toHaveLength(108);
    checkOnce(s.messages);
    for (const rounds of checkKeys(s.messages).values()) expect(rounds).toEqual(Array.from({ length: 12 }, (_, i) => i));
    s.cancel();
  }, 60_000);

  it('an idempotent producer\'s batches stay in its partition and a retry is answered with the original offsets', async () => {
    const p = partitionOf('prod-a', 3);
    const first = await append(via(meta), { producerId: 'prod-a', sequence: 1, messages: [{ body: body('pa1') }] });
    expect(first).toMatchObject({ partition: p, duplicate: false });
    const second = await append(via(meta), { producerId: 'prod-a', sequence: 2, messages: [{ body: body('pa2') }] });
    expect(second.partition).toBe(p);
    // Retried through another node: the same partition, the stored offsets.
    const other = [1, 2, 3].find((id) => id !== meta)!;
    const again = await append(via(other), { producerId: 'prod-a', sequence: 2, messages: [{ body: body('pa2') }] });
    expect(again).toMatchObject({ partition: p, duplicate: true, firstOffset: second.firstOffset });
  }, 60_000);

  it('the SDK creates a partitioned stream, sends with a key, reads per partition and subscribes to every partition', async () => {
    const qq = await connect({ servers: [...c.nodes.values()].map((n) => n.client) });
    try {
      expect(await qq.declareStream('sdk-s', {}, { partitions: 2 })).toEqual({ created: true });
      const keyed = qq.streamProducer('sdk-s', { key: 'the-key', maxInFlight: 1 });
      const sent = [];
      for (let i = 0; i < 5; i++) sent.push(await keyed.send(`k${i}`));
      await keyed.close();
      expect(sent.map((r) => [r.partition, r.offset])).toEqual([0, 1, 2, 3, 4].map((i) => [partitionOf('the-key', 2), i]));
      const plain = qq.streamProducer('sdk-s', { producerId: 'lane-test', maxInFlight: 1 });
      const other = await plain.send('p0');
      await plain.close();
      expect(other.partition).toBe(partitionOf('lane-test.0', 2));
      // The key's partition, read alone: the keyed messages in order (and the producer's, when its id hashes there too).
      const keyP = partitionOf('the-key', 2);
      const r = await qq.read('sdk-s', 0, { partitions: [keyP], maxMessages: 100 });
      const mine = other.partition === keyP ? ['p0'] : [];
      expect(r.messages.map((m) => m.body.toString())).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', ...mine]);
      expect(r.messages.every((m) => m.partition === keyP)).toBe(true);
      expect(r.nextOffsets).toEqual([5 + mine.length]);
      const sub = qq.subscribe('sdk-s', { from: 'first' });
      const got: string[] = [];
      for await (const m of sub) {
        got.push(`${m.partition}:${m.offset}:${m.body.toString()}`);
        if (got.length === 6) break;
      }
      sub.close();
      // Every message once, with its partition: the keyed ones in order in theirs.
      expect(got.sort()).toEqual([...[0, 1, 2, 3, 4].map((i) => `${partitionOf('the-key', 2)}:${i}:k${i}`), `${other.partition}:${other.offset}:p0`].sort());
    } finally {
      await qq.close();
    }
  }, 60_000);

  it('a killed node\'s partitions elect new leaders and appending goes on; restarted, it catches up from its own data', async () => {
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
    await appendRounds(via(survivor), 12, 17);
    const total = 108 + 2 + 40;
    expect(Number((await via(survivor).call<StreamInfoResponse__Output>('StreamInfo', { name: S })).messageCount)).toBe(total);

    const r = await c.startNode(victim);
    expect(r.exitCode).toBeUndefined();
    await waitFor(
      'the restarted node to hold every partition\'s messages',
      async () => {
        const i = await c.client([victim], 2000).call<StreamInfoResponse__Output>('StreamInfo', { name: S, consistency: 'LOCAL' }).catch(() => undefined);
        return Number(i?.messageCount) === total;
      },
      30_000,
    );
    // Its own replicas, read without a barrier: every message once, each key in order.
    const all = await readAll(victim, 'LOCAL');
    expect(all).toHaveLength(total);
    checkOnce(all);
    for (const rounds of checkKeys(all).values()) expect(rounds).toEqual(Array.from({ length: 17 }, (_, i) => i));
  }, 90_000);

  it('keeps retention per partition, and deleting removes every partition and ends subscriptions', async () => {
    const d = await c.cli(['stream', 'create', 'capped', '--partitions', '2', '--max-messages', '5', '--json', '--server', c.node(meta).client]);
    expect(d.code, d.stderr).toBe(0);
    const key = 'one-key';
    const p = partitionOf(key, 2);
    for (let i = 0; i < 12; i++) await append(via(meta), { key, messages: [{ body: body(`c${i}`) }] }, 'capped');
    await append(via(meta), { key: 'x', messages: [{ body: body('other') }] }, 'capped');
    const info = await via(meta).call<StreamInfoResponse__Output>('StreamInfo', { name: 'capped' });
    const mine = info.partitionInfo[p]!;
    // Only this key's partition dropped its oldest: 12 appended, 5 kept, from offset 7.
    expect([Number(mine.messageCount), Number(mine.firstOffset), Number(mine.nextOffset)]).toEqual([5, 7, 12]);
    expect(Number(info.messageCount)).toBe(5 + (partitionOf('x', 2) === p ? 0 : 1));

    const s = subscribe(c.node(meta).client, { stream: S, start: 'START_NEW', credit: 10 });
    subs.push(s);
    await waitFor('the subscription attached', async () => {
      await append(via(meta), { key: 'k0', messages: [{ body: body('late') }] });
      return s.messages.length > 0;
    });
    await via(meta).call('DeleteStream', { name: S });
    await s.closed;
    expect(s.error).toBeUndefined();
    expect(s.ended).toMatch(/deleted/);
    expect((await failure(via(meta).call('StreamInfo', { name: S }))).code).toBe(grpc.status.NOT_FOUND);
    for (const id of [1, 2, 3]) {
      await waitFor(`node ${id} to have no partition of ${S}`, async () => {
        const l = await c.client([id], 2000).call<{ streams: StreamInfoResponse__Output[] }>('ListStreams', { consistency: 'LOCAL' });
        return !l.streams.some((x) => x.name === S);
      });
    }
    // Appending to a deleted partitioned stream: NOT_FOUND from its partition's leader.
    expect((await failure(via(meta).call('Append', { stream: S, key: 'k0', messages: [{ body: body('gone') }] }))).code).toBe(grpc.status.NOT_FOUND);
  }, 90_000);
});
