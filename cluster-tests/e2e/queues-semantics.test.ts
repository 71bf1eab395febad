// The quorum-queue semantics the other queue e2e files leave out, each short,
// on one real three-node cluster over the public gRPC API: an atomic batch
// and the maximum message size, PublishStream's in-order confirms, the
// max-messages limit under reject-publish, drop-head and reject-publish-dlx,
// per-priority and per-group counts, TTL per message and
// per queue, the ack timeout, priorities (kept across a requeue) and
// message groups.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPool } from '../../broker/cli/client.js';
import type { ListDeadLettersResponse__Output } from '../../proto/generated/quorumq/v1/ListDeadLettersResponse.js';
import type { PublishResponse__Output } from '../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients, rawClient } from './streams-client.js';

describe('quorum queues: limits, expiry, timeouts, priorities and groups (three nodes)', () => {
  let c: LocalCluster;
  let f1: number;
  let f2: number;
  let viaF1: BrokerPool;
  const consumers: Consumer[] = [];
  const consume = (node: number, queue: string, prefetch: number): Consumer => {
    const k = new Consumer(c.node(node).client, queue, prefetch);
    consumers.push(k);
    return k;
  };
  const info = (name: string) => viaF1.call<QueueInfoResponse__Output>('QueueInfo', { name });
  const dead = async (queue: string) => (await viaF1.call<ListDeadLettersResponse__Output>('ListDeadLetters', { queue })).deadLetters;

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    [f1, f2] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    viaF1 = c.client([f1], 10_000);
  }, 60_000);

  afterAll(async () => {
    for (const k of consumers) k.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('a batch is stored all or none: one message over max_message_bytes refuses the whole publish, naming it', async () => {
    await viaF1.call('DeclareQueue', { name: 'atomic', settings: { maxMessageBytes: 1024 } });
    const e = await failure(viaF1.call('Publish', { queue: 'atomic', messages: [{ body: body('fits') }, { body: Buffer.alloc(2048) }] }));
    expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(e.details).toMatch(/message 1 .*1024/);
    expect(await info('atomic')).toMatchObject({ ready: 0, published: 0 });
    await viaF1.call('Publish', { queue: 'atomic', messages: [{ body: body('a') }, { body: body('b') }] });
    expect(await info('atomic')).toMatchObject({ ready: 2, published: 2 });
  });

  it('PublishStream: many requests in flight, one confirm per request, in request order', async () => {
    await viaF1.call('DeclareQueue', { name: 'streamed', settings: {} });
    const call = rawClient(c.node(f2).client).PublishStream();
    const got: PublishResponse__Output[] = [];
    call.on('data', (r: PublishResponse__Output) => got.push(r));
    for (let i = 1; i <= 64; i++) call.write({ queue: 'streamed', requestId: i, messages: [{ body: body(`s${i}`) }] });
    await waitFor('64 confirms', () => got.length === 64);
    call.end();
    expect(got.map((r) => Number(r.requestId))).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    expect(got.every((r) => r.errorCode === 0 && Number(r.count) === 1)).toBe(true);
    expect((await info('streamed')).ready).toBe(64);
  });

  it('max_messages: reject-publish refuses with RESOURCE_EXHAUSTED and never overshoots; drop-head dead-letters the oldest (reason maxlen)', async () => {
    await viaF1.call('DeclareQueue', { name: 'capped', settings: { maxMessages: 3 } });
    await viaF1.call('Publish', { queue: 'capped', messages: [{ body: body('1') }, { body: body('2') }] });
    const over = await failure(viaF1.call('Publish', { queue: 'capped', messages: [{ body: body('3') }, { body: body('4') }] }));
    expect(over.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(over.details).toMatch(/at most 3 messages/);
    expect((await info('capped')).ready).toBe(2);

    await viaF1.call('DeclareQueue', { name: 'rolling', settings: { maxMessages: 2, overflow: 'OVERFLOW_DROP_HEAD' } });
    await viaF1.call('Publish', { queue: 'rolling', messages: ['r1', 'r2', 'r3'].map((s) => ({ body: body(s) })) });
    expect(await info('rolling')).toMatchObject({ ready: 2, deadLettered: 1 });
    expect((await dead('rolling')).map((d) => [Buffer.from(d.body).toString(), d.reason])).toEqual([['r1', 'maxlen']]);
  });

  it('reject-publish-dlx: a publish over the limit is refused as a whole (naming the limit) and every message of it is dead-lettered (reason maxlen)', async () => {
    await viaF1.call('DeclareQueue', { name: 'bounced', settings: { maxMessages: 2, overflow: 'OVERFLOW_REJECT_PUBLISH_DLX' } });
    await viaF1.call('Publish', { queue: 'bounced', messages: [{ body: body('1') }] });
    const over = await failure(viaF1.call('Publish', { queue: 'bounced', messages: [{ body: body('x') }, { body: body('y') }] }));
    expect(over.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(over.details).toMatch(/at most 2 messages \(maxMessages; overflow: reject-publish-dlx\).*2 messages were dead-lettered/);
    expect(await info('bounced')).toMatchObject({ ready: 1, published: 1, deadLettered: 2, settings: { overflow: 'OVERFLOW_REJECT_PUBLISH_DLX' } });
    expect((await dead('bounced')).map((d) => [Buffer.from(d.body).toString(), d.reason])).toEqual([['x', 'maxlen'], ['y', 'maxlen']]);
  });

  it('per-priority and per-group ready counts in QueueInfo, /metrics and `queue info --json`', async () => {
    await viaF1.call('DeclareQueue', { name: 'counted', settings: {} });
    await viaF1.call('Publish', { queue: 'counted', messages: [{ body: body('p'), priority: 7 }, ...['A', 'A', 'B'].map((g) => ({ body: body(g), group: g }))] });
    const q = await info('counted');
    expect(q.readyByPriority.map((p) => [p.priority, Number(p.ready)])).toEqual([[7, 1], [0, 3]]);
    expect([Number(q.groups), Number(q.groupsReady)]).toEqual([2, 2]);
    expect(q.topGroups.map((g) => [g.group, Number(g.ready), g.inFlight])).toEqual([['A', 2, false], ['B', 1, false]]);
    // A follower's figures: from its applied state, which may trail the confirm a moment.
    const metrics = await waitFor('the counts in a follower\'s /metrics', async () => {
      const t = await (await fetch(`http://${c.node(f2).metrics}/metrics`)).text();
      return /quorumq_queue_group_ready\{queue="counted",group="A"[^}]*\} 2/.test(t) ? t : undefined;
    });
    // (Each series also carries the node's own label.)
    expect(metrics).toMatch(/quorumq_queue_ready_by_priority\{queue="counted",priority="7"[^}]*\} 1/);
    expect(metrics).toMatch(/quorumq_queue_groups\{queue="counted",state="held"[^}]*\} 2/);
    const r = await c.cli(['queue', 'info', 'counted', '--server', c.node(f1).client, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ groups: 2, groupsReady: 2, topGroups: [{ group: 'A', ready: 2 }, { group: 'B', ready: 1 }], readyByPriority: [{ priority: 7, ready: 1 }, { priority: 0, ready: 3 }] });
    const text = await c.cli(['queue', 'info', 'counted', '--server', c.node(f1).client]);
    expect(text.stdout).toMatch(/ready by priority: 7=1 0=3/);
    expect(text.stdout).toMatch(/groups: 2 held, 2 with messages ready; most ready: A=2, B=1/);
  });

  it('TTL per message and per queue: an expired message is never delivered; it is a dead letter (reason expired)', async () => {
    await viaF1.call('DeclareQueue', { name: 'fresh', settings: { messageTtlMs: 600 } });
    await viaF1.call('Publish', { queue: 'fresh', messages: [{ body: body('queue-ttl') }, { body: body('own-ttl'), ttlMs: 300 }, { body: body('kept'), ttlMs: 60_000 }] });
    await waitFor('both expired', async () => ((await dead('fresh')).length === 2 ? true : undefined));
    const k = consume(f2, 'fresh', 10);
    await waitFor('the one left delivered', () => k.deliveries.length === 1);
    expect(k.bodies()).toEqual(['kept']);
    expect((await dead('fresh')).map((d) => [Buffer.from(d.body).toString(), d.reason]).sort()).toEqual([['own-ttl', 'expired'], ['queue-ttl', 'expired']]);
    expect((await info('fresh')).expired).toBe(2);
    await k.settle({ ack: [k.deliveries[0]!.tag] });
  });

  it('ack timeout: a delivery held too long returns (counted as failed); priorities: higher first, and a returned message keeps its priority', async () => {
    await viaF1.call('DeclareQueue', { name: 'ranked', settings: { ackTimeoutMs: 700 } });
    await viaF1.call('Publish', { queue: 'ranked', messages: [{ body: body('low'), priority: 0 }, { body: body('high'), priority: 9 }, { body: body('mid'), priority: 5 }] });
    const k = consume(f1, 'ranked', 1);
    await waitFor('the first delivery', () => k.deliveries.length === 1);
    expect(k.bodies()).toEqual(['high']);
    // Not settled: back after the ack timeout, and (priority 9) before 'mid'.
    await waitFor('the held message back after its ack timeout', () => k.deliveries.length === 2, 10_000);
    expect(k.deliveries[1]).toMatchObject({ redelivered: true, failed: 1, priority: 9 });
    expect(Buffer.from(k.deliveries[1]!.body).toString()).toBe('high');
    for (let n = 2; n <= 3; n++) {
      await k.settle({ ack: [k.deliveries[n - 1]!.tag] });
      await waitFor(`delivery ${n + 1}`, () => k.deliveries.length === n + 1);
    }
    expect(k.bodies().slice(2)).toEqual(['mid', 'low']);
    await k.settle({ ack: [k.deliveries[3]!.tag] });
  });

  it('message groups: one at a time per group in publish order, also across a requeue, while groups go in parallel', async () => {
    await viaF1.call('DeclareQueue', { name: 'orders', settings: {} });
    await viaF1.call('Publish', { queue: 'orders', messages: [['a1', 'A'], ['a2', 'A'], ['b1', 'B'], ['a3', 'A']].map(([s, g]) => ({ body: body(s!), group: g })) });
    const k = consume(f2, 'orders', 10);
    await waitFor('the head of each group', () => k.deliveries.length === 2);
    expect(k.bodies().sort()).toEqual(['a1', 'b1']);
    const tagOf = (s: string, from = 0): number => Number(k.deliveries.slice(from).find((d) => Buffer.from(d.body).toString() === s)!.tag);
    // a1 requeued: it comes back before a2.
    await k.settle({ requeue: [tagOf('a1')] });
    await waitFor('a1 again', () => k.deliveries.length === 3);
    expect(k.bodies()[2]).toBe('a1');
    await k.settle({ ack: [tagOf('a1', 2), tagOf('b1')] });
    await waitFor('a2', () => k.deliveries.length === 4);
    expect(k.bodies()[3]).toBe('a2');
    await k.settle({ ack: [tagOf('a2')] });
    await waitFor('a3', () => k.deliveries.length === 5);
    expect(k.bodies()[4]).toBe('a3');
    await k.settle({ ack: [tagOf('a3')] });
  });
});
