// Quorum queues on a real three-node cluster over the public gRPC API:
// declare / redeclare / info / list / purge / delete, publish through a
// follower, consume with a prefetch on another node, ack / requeue / reject,
// the delivery limit and the dead-letter store, and deliveries returned when a
// consumer's call ends or its node dies.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListDeadLettersResponse__Output } from '../../proto/generated/quorumq/v1/ListDeadLettersResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients } from './streams-client.js';

describe('quorum queues on a three-node cluster', () => {
  let c: LocalCluster;
  let leader: number;
  let f1: number;
  let f2: number;
  let viaF1: BrokerPool;
  let viaF2: BrokerPool;
  const consumers: Consumer[] = [];
  const consume = (node: number, queue: string, prefetch: number): Consumer => {
    const k = new Consumer(c.node(node).client, queue, prefetch);
    consumers.push(k);
    return k;
  };
  const info = (pool: BrokerPool, name: string) => pool.call<QueueInfoResponse__Output>('QueueInfo', { name });

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    leader = await c.waitForLeader();
    [f1, f2] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    viaF1 = c.client([f1], 10_000);
    viaF2 = c.client([f2], 10_000);
  }, 60_000);

  afterAll(async () => {
    for (const k of consumers) k.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('declares (the same again is a no-op, other settings FAILED_PRECONDITION naming it), refuses bad input naming the field, lists, purges and deletes', async () => {
    expect((await viaF1.call<{ created: boolean }>('DeclareQueue', { name: 'jobs', settings: { deliveryLimit: 3 } })).created).toBe(true);
    expect((await viaF2.call<{ created: boolean }>('DeclareQueue', { name: 'jobs', settings: { deliveryLimit: 3 } })).created).toBe(false);
    const e = await failure(viaF2.call('DeclareQueue', { name: 'jobs', settings: { deliveryLimit: 4 } }));
    expect(e.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(e.details).toMatch(/deliveryLimit is 3, not 4/);
    const bad = await failure(viaF1.call('DeclareQueue', { name: 'x', settings: { deliveryLimit: 70_000 } }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/settings.delivery_limit/);
    const prio = await failure(viaF1.call('Publish', { queue: 'jobs', messages: [{ body: body('x'), priority: 40 }] }));
    expect(prio.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(prio.details).toMatch(/priority must be between 0 and 31/);
    expect((await failure(viaF1.call('Publish', { queue: 'nope', messages: [{ body: body('x') }] }))).code).toBe(grpc.status.NOT_FOUND);

    await viaF1.call('DeclareQueue', { name: 'scratch', settings: {} });
    await viaF2.call('Publish', { queue: 'scratch', messages: [{ body: body('a') }, { body: body('b') }] });
    expect((await viaF1.call<{ purged: number }>('PurgeQueue', { name: 'scratch' })).purged).toBe(2);
    const list = await viaF2.call<{ queues: QueueInfoResponse__Output[] }>('ListQueues', {});
    expect(list.queues.map((q) => q.name)).toEqual(['jobs', 'scratch']);
    await viaF2.call('DeleteQueue', { name: 'scratch' });
    expect((await failure(info(viaF1, 'scratch'))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('delivers what a follower confirmed to a consumer on the other follower, within its prefetch, and an ack confirmed is never delivered again', async () => {
    await viaF1.call('DeclareQueue', { name: 'work', settings: {} });
    const sent = Date.now();
    const pub = await viaF1.call<{ count: number; leader: number }>('Publish', { queue: 'work', messages: ['m0', 'm1', 'm2', 'm3'].map((s) => ({ body: body(s) })) });
    expect(pub).toMatchObject({ count: 4, leader });
    const k = consume(f2, 'work', 2);
    await waitFor('two deliveries', () => k.deliveries.length === 2);
    expect(k.bodies()).toEqual(['m0', 'm1']);
    // Each delivery says when the queue made it, by the leader's clock (the same host's here): after the publish, before now.
    for (const d of k.deliveries) {
      expect(Number(d.deliveredAtMs)).toBeGreaterThanOrEqual(sent);
      expect(Number(d.deliveredAtMs)).toBeLessThanOrEqual(Date.now());
    }
    expect(k.name).toMatch(new RegExp(`^n${f2}-`));
    expect(await k.settle({ ack: [k.deliveries[0]!.tag, k.deliveries[1]!.tag] })).toEqual([]);
    await waitFor('the next two', () => k.deliveries.length === 4);
    expect(k.bodies()).toEqual(['m0', 'm1', 'm2', 'm3']);
    // Acking again (as a settle re-sent across a leader change is) answers as the first ack did; rejecting it, that the tag is held no more.
    expect(await k.settle({ ack: [k.deliveries[0]!.tag] })).toEqual([]);
    expect(await k.settle({ reject: [k.deliveries[0]!.tag] })).toEqual([Number(k.deliveries[0]!.tag)]);
    await k.settle({ ack: [k.deliveries[2]!.tag, k.deliveries[3]!.tag] });
    const i = await waitFor('every message acked', async () => {
      const r = await info(viaF1, 'work');
      return r.acked === 4 ? r : undefined;
    });
    expect(i).toMatchObject({ ready: 0, unacked: 0, published: 4, delivered: 4, redelivered: 0 });
    // The same figures in /metrics, from any node's applied state.
    const text = await waitFor('the metrics to show the acks', async () => {
      const t = await (await fetch(`http://${c.node(f1).metrics}/metrics`)).text();
      return /quorumq_queue_acked_total\{queue="work"[^}]*\} 4\n/.test(t) ? t : undefined;
    });
    expect(text).toMatch(/quorumq_queue_published_total\{queue="work"[^}]*\} 4\n/);
  });

  it('returns the deliveries of a consumer whose call ends, and after the delivery limit moves a message to the dead-letter store', async () => {
    await viaF1.call('DeclareQueue', { name: 'flaky', settings: { deliveryLimit: 2 } });
    await viaF2.call('Publish', { queue: 'flaky', messages: [{ body: body('poison'), headers: [{ key: 'k', value: 'v' }] }] });
    const a = consume(f1, 'flaky', 1);
    await waitFor('a delivery', () => a.deliveries.length === 1);
    a.cancel();
    await a.closed;
    const b = consume(leader, 'flaky', 1);
    await waitFor('the returned message, redelivered', () => b.deliveries.length === 1);
    expect(b.deliveries[0]).toMatchObject({ redelivered: true, acquired: 2, failed: 0 });
    await b.settle({ requeue: [b.deliveries[0]!.tag] });
    await waitFor('a third delivery', () => b.deliveries.length === 2);
    expect(b.deliveries[1]).toMatchObject({ redelivered: true, failed: 1 });
    await b.settle({ requeue: [b.deliveries[1]!.tag] });
    const dl = await waitFor('the dead letter', async () => {
      const r = await viaF2.call<ListDeadLettersResponse__Output>('ListDeadLetters', { queue: 'flaky' });
      return r.total === 1 ? r : undefined;
    });
    expect(dl.deadLetters[0]).toMatchObject({ reason: 'delivery-limit', failed: 2, acquired: 3, headers: [{ key: 'k', value: 'v' }] });
    expect(Buffer.from(dl.deadLetters[0]!.body).toString()).toBe('poison');
    expect((await viaF1.call<{ replayed: number }>('ReplayDeadLetters', { queue: 'flaky', max: 10 })).replayed).toBe(1);
    await waitFor('the replayed message delivered', () => b.deliveries.length === 3);
    await b.settle({ reject: [b.deliveries[2]!.tag] });
    expect((await viaF1.call<{ purged: number }>('PurgeDeadLetters', { queue: 'flaky' })).purged).toBe(1);
  });

  it('stores a producer\'s publish once across a leader change, and skips a message id seen before', async () => {
    await viaF1.call('DeclareQueue', { name: 'once', settings: {} });
    const first = await viaF1.call<{ count: number; duplicate: boolean }>('Publish', { queue: 'once', producerId: 'billing', sequence: 1, messages: [{ body: body('invoice 1'), messageId: 'inv-1' }] });
    expect(first).toMatchObject({ count: 1, duplicate: false });
    const target = [1, 2, 3].find((id) => id !== leader)!;
    await c.client([target], 10_000).call('TransferLeader', { id: target });
    await waitFor('the new leader', async () => (await c.status()).leader === target);
    const retry = await viaF2.call<{ count: number; duplicate: boolean }>('Publish', { queue: 'once', producerId: 'billing', sequence: 1, messages: [{ body: body('invoice 1'), messageId: 'inv-1' }] });
    expect(retry).toMatchObject({ count: 1, duplicate: true });
    const again = await viaF2.call<{ count: number; deduplicated: number }>('Publish', { queue: 'once', messages: [{ body: body('invoice 1'), messageId: 'inv-1' }] });
    expect(again).toMatchObject({ count: 0, deduplicated: 1 });
    expect((await info(viaF1, 'once')).ready).toBe(1);
    leader = target;
    [f1, f2] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    viaF1 = c.client([f1], 10_000);
    viaF2 = c.client([f2], 10_000);
  });

  it('returns the deliveries of consumers on a node that dies, within a few seconds, to a consumer elsewhere', async () => {
    await viaF1.call('DeclareQueue', { name: 'survive', settings: {} });
    await viaF1.call('Publish', { queue: 'survive', messages: ['s0', 's1', 's2'].map((s) => ({ body: body(s) })) });
    const doomed = consume(f2, 'survive', 3);
    await waitFor('deliveries on the doomed node', () => doomed.deliveries.length === 3);
    const other = consume(f1, 'survive', 10);
    await c.stopNode(f2, 'SIGKILL');
    const t0 = Date.now();
    await waitFor('the doomed consumer\'s deliveries on the other node', () => other.deliveries.length === 3, 20_000);
    const ms = Date.now() - t0;
    expect(other.bodies().sort()).toEqual(['s0', 's1', 's2']);
    expect(other.deliveries.every((d) => d.redelivered)).toBe(true);
    expect(ms).toBeLessThan(10_000);
  });
});
