// Exchanges, routing and atomic writes on a real three-node cluster, over the
// public gRPC API and the CLI: each exchange type, a fan-out landing in two
// queues and a stream at once (or, when one target refuses, nowhere),
// mandatory publishes, the alternate exchange, exchange-to-exchange bindings,
// a transaction of publishes and an ack applied all or none and confirmed
// once, and a routed publish retried across a leader kill stored once.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPool } from '../../broker/cli/client.js';
import type { ExchangeInfoResponse__Output } from '../../proto/generated/quorumq/v1/ExchangeInfoResponse.js';
import type { ExchangePublishResponse__Output } from '../../proto/generated/quorumq/v1/ExchangePublishResponse.js';
import type { GetMessagesResponse__Output } from '../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { TransactResponse__Output } from '../../proto/generated/quorumq/v1/TransactResponse.js';
import { connect, exchanges, FailedPreconditionError } from '../../broker/client/index.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { body, closeRawClients } from './streams-client.js';

describe('exchanges on a three-node cluster', () => {
  let c: LocalCluster;
  let leader: number;
  let f1: number;
  let f2: number;
  let viaF1: BrokerPool;
  let viaF2: BrokerPool;
  const cli = async (...args: string[]) => {
    const r = await c.cli([...args, '--server', c.node(f1).client, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  };
  const declare = (name: string, type: string, alternateExchange = '') => viaF1.call('DeclareExchange', { name, type: `EXCHANGE_${type.toUpperCase()}`, alternateExchange });
  const bind = (exchange: string, kind: 'queue' | 'stream' | 'exchange', target: string, routingKey = '', args: Record<string, string> = {}) =>
    viaF2.call('Bind', { exchange, targetKind: `TARGET_${kind.toUpperCase()}`, target, routingKey, arguments: Object.entries(args).map(([key, value]) => ({ key, value })) });
  const publish = (pool: BrokerPool, exchange: string, routingKey: string, bodies: string[], extra: object = {}) =>
    pool.call<ExchangePublishResponse__Output>('PublishToExchange', { exchange, routingKey, messages: bodies.map((b) => ({ body: body(b) })), ...extra });
  /** Take (and ack) everything ready in `queue`, as text. */
  const drain = async (pool: BrokerPool, queue: string): Promise<string[]> => {
    const r = await pool.call<GetMessagesResponse__Output>('GetMessages', { queue, max: 100, waitMs: 0 }, 10_000);
    if (r.deliveries.length) await pool.call('Settle', { queue, consumer: r.consumer, ack: r.deliveries.map((d) => d.tag) });
    return r.deliveries.map((d) => Buffer.from(d.body).toString());
  };
  const ready = async (pool: BrokerPool, name: string) => (await pool.call<QueueInfoResponse__Output>('QueueInfo', { name })).ready;
  const streamBodies = async (pool: BrokerPool, stream: string) => (await pool.call<ReadResponse__Output>('Read', { stream, fromOffset: 0, maxMessages: 100 })).messages.map((m) => Buffer.from(m.body).toString());

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    leader = await c.waitForLeader();
    [f1, f2] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    viaF1 = c.client([f1], 10_000);
    viaF2 = c.client([f2], 10_000);
    for (const q of ['qa', 'qb', 'qc']) await viaF1.call('DeclareQueue', { name: q, settings: {} });
    await viaF1.call('DeclareStream', { name: 'audit', settings: {} });
  }, 60_000);

  afterAll(async () => {
    closeRawClients();
    await c?.destroy();
  });

  it('routes by direct, topic, fanout, headers and the default exchange (some declared, bound and published with the CLI)', async () => {
    expect(await cli('exchange', 'declare', 'dx', '--type', 'direct')).toMatchObject({ name: 'dx', created: true });
    await declare('tx', 'topic');
    await declare('hx', 'headers');
    expect(await bind('dx', 'queue', 'qa', 'red')).toMatchObject({ created: true });
    await bind('tx', 'queue', 'qb', 'orders.*.eu');
    await bind('tx', 'queue', 'qc', 'orders.#');
    await bind('hx', 'queue', 'qa', '', { 'x-match': 'all', kind: 'refund', region: 'eu' });
    const bad = await failure(viaF1.call('DeclareExchange', { name: 'dx', type: 'EXCHANGE_TOPIC' }));
    expect(bad.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(bad.details).toMatch(/type is direct, not topic/);
    const badArg = await failure(viaF1.call('Bind', { exchange: 'hx', targetKind: 'TARGET_QUEUE', target: 'qa', arguments: [{ key: 'x-match', value: 'most' }] }));
    expect(badArg.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badArg.details).toMatch(/x-match must be one of/);

    expect(await cli('publish', '--exchange', 'dx', '--key', 'red', 'd1')).toMatchObject({ queues: ['qa'] });
    expect((await publish(viaF2, 'tx', 'orders.new.eu', ['t1'])).queues).toEqual(['qb', 'qc']);
    expect((await publish(viaF2, 'tx', 'orders', ['t2'])).queues).toEqual(['qc']);
    const h = await viaF2.call<ExchangePublishResponse__Output>('PublishToExchange', {
      exchange: 'hx',
      messages: [
        { body: body('h1'), headers: [{ key: 'kind', value: 'refund' }, { key: 'region', value: 'eu' }] },
        { body: body('h2'), headers: [{ key: 'kind', value: 'refund' }] },
      ],
    });
    expect(h).toMatchObject({ queues: ['qa'], unroutable: 1 });
    expect((await publish(viaF1, '', 'qb', ['default'])).queues).toEqual(['qb']);
    expect(await drain(viaF1, 'qa')).toEqual(['d1', 'h1']);
    expect(await drain(viaF2, 'qb')).toEqual(['t1', 'default']);
    expect(await drain(viaF1, 'qc')).toEqual(['t1', 't2']);
    const info = await viaF2.call<ExchangeInfoResponse__Output>('ExchangeInfo', { name: 'tx' });
    expect(info).toMatchObject({ published: 2, routed: 2, unroutable: 0 });
    expect(info.bindings.map((b) => [b.routingKey, b.matched])).toEqual([
      ['orders.*.eu', 1],
      ['orders.#', 2],
    ]);
  });

  it('redeclares as a no-op or FAILED_PRECONDITION naming the field, lists, and unbinds (through the CLI too)', async () => {
    expect(await declare('re', 'direct')).toMatchObject({ created: true });
    expect(await declare('re', 'direct')).toMatchObject({ created: false });
    const other = await failure(declare('re', 'topic'));
    expect(other.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(other.details).toMatch(/type/);
    expect(await bind('re', 'queue', 'qa', 'k')).toMatchObject({ created: true });
    expect(await bind('re', 'queue', 'qa', 'k')).toMatchObject({ created: false });
    const listed = await viaF2.call<{ exchanges: ExchangeInfoResponse__Output[] }>('ListExchanges', {});
    expect(listed.exchanges.find((x) => x.name === 're')).toMatchObject({ type: 'EXCHANGE_DIRECT' });
    expect(JSON.stringify(await cli('exchange', 'list'))).toContain('"re"');
    expect((await publish(viaF1, 're', 'k', ['before'])).queues).toEqual(['qa']);
    await cli('unbind', 're', '--queue', 'qa', '--key', 'k');
    expect((await failure(viaF1.call('Unbind', { exchange: 're', targetKind: 'TARGET_QUEUE', target: 'qa', routingKey: 'k' }))).code).toBe(grpc.status.NOT_FOUND);
    expect(await publish(viaF1, 're', 'k', ['after'])).toMatchObject({ queues: [], unroutable: 1 });
    expect(await drain(viaF2, 'qa')).toEqual(['before']);
    expect(await cli('exchange', 'delete', 're')).toMatchObject({ deleted: true });
  });

  it('a fan-out lands in two queues and a stream from one write, or, when one target is full, nowhere', async () => {
    await viaF1.call('DeclareQueue', { name: 'small', settings: { maxMessages: 2 } });
    await declare('fan', 'fanout');
    await bind('fan', 'queue', 'qa');
    await bind('fan', 'queue', 'small');
    await bind('fan', 'stream', 'audit');
    const r = await publish(viaF2, 'fan', '', ['f1', 'f2']);
    expect(r).toMatchObject({ queues: ['qa', 'small'], streams: ['audit'], leader });
    const full = await failure(publish(viaF2, 'fan', '', ['f3']));
    expect(full.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(full.details).toMatch(/queue "small" holds 2 of at most 2 messages/);
    expect(await ready(viaF1, 'qa')).toBe(2);
    expect(await streamBodies(viaF1, 'audit')).toEqual(['f1', 'f2']);
    expect(await drain(viaF1, 'small')).toEqual(['f1', 'f2']);
    expect(await drain(viaF2, 'qa')).toEqual(['f1', 'f2']);
    const fan = await viaF1.call<ExchangeInfoResponse__Output>('ExchangeInfo', { name: 'fan' });
    expect(fan).toMatchObject({ published: 2, routed: 2 });
    const metrics = await (await fetch(`http://${c.node(f1).metrics}/metrics`)).text();
    expect(metrics).toMatch(/quorumq_exchange_published_total\{exchange="fan"[^}]*\} 2/);
    // Bound, the exchange is not deleted unless forced.
    expect((await failure(viaF1.call('DeleteExchange', { name: 'fan' }))).code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await cli('exchange', 'delete', 'fan', '--force')).toMatchObject({ deleted: true, bindingsRemoved: 3 });
  });

  it('mandatory fails naming exchange and key; the alternate exchange and exchange-to-exchange bindings route', async () => {
    await declare('lost', 'fanout');
    await declare('main', 'direct', 'lost');
    await declare('region', 'topic');
    await bind('lost', 'queue', 'qc');
    await bind('main', 'exchange', 'region', 'eu.orders');
    await bind('region', 'queue', 'qb', 'eu.#');
    const [m, cliMandatory] = await Promise.all([
      failure(publish(viaF2, 'dx', 'green', ['x'], { mandatory: true })),
      c.cli(['publish', '--exchange', 'dx', '--key', 'green', '--mandatory', 'x', '--server', c.node(f2).client]),
    ]);
    expect(m.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(m.details).toMatch(/exchange "dx" routes key "green" to no queue or stream/);
    expect(cliMandatory.code).toBe(1);
    expect(cliMandatory.stderr).toMatch(/routes key "green" to no queue/);
    expect((await publish(viaF1, 'main', 'us.orders', ['to-ae'], { mandatory: true })).queues).toEqual(['qc']);
    expect((await publish(viaF1, 'main', 'eu.orders', ['to-eu'])).queues).toEqual(['qb']);
    expect(await drain(viaF2, 'qc')).toEqual(['to-ae']);
    expect(await drain(viaF2, 'qb')).toEqual(['to-eu']);
  });

  it('dead letters route through a dead-letter exchange, the original routing key kept in headers', async () => {
    await declare('dead', 'topic');
    await viaF1.call('DeclareQueue', { name: 'parked', settings: {} });
    await bind('dead', 'queue', 'parked', 'dead.#');
    await viaF1.call('DeclareQueue', { name: 'orders', settings: { deadLetterExchange: 'dead', deadLetterRoutingKey: 'dead.orders' } });
    await bind('dx', 'queue', 'orders', 'order.created');
    await publish(viaF2, 'dx', 'order.created', ['o1']);
    const got = await viaF2.call<GetMessagesResponse__Output>('GetMessages', { queue: 'orders', max: 1, waitMs: 5000 }, 10_000);
    await viaF2.call('Settle', { queue: 'orders', consumer: got.consumer, reject: [got.deliveries[0]!.tag] });
    const parked = await waitFor('the dead letter parked', async () => {
      const r = await viaF1.call<GetMessagesResponse__Output>('GetMessages', { queue: 'parked', max: 1, waitMs: 1000 }, 10_000);
      return r.deliveries[0];
    });
    expect(Buffer.from(parked.body).toString()).toBe('o1');
    const h = Object.fromEntries(parked.headers.map((x) => [x.key, x.value]));
    expect(h).toMatchObject({ 'x-routing-key': 'order.created', 'x-dead-letter-reason': 'rejected', 'x-dead-letter-queue': 'orders' });
  });

  it('a transaction publishes to a queue and a stream and acks its input all or none, confirmed once', async () => {
    await viaF1.call('DeclareQueue', { name: 'in', settings: {} });
    await viaF1.call('DeclareQueue', { name: 'out', settings: {} });
    await viaF1.call('Publish', { queue: 'in', messages: [{ body: body('job') }] });
    const got = await viaF2.call<GetMessagesResponse__Output>('GetMessages', { queue: 'in', max: 1, waitMs: 5000, leaseMs: 60_000 }, 10_000);
    const tag = got.deliveries[0]!.tag;
    const tx = (seq: number, out: string) => ({
      producerId: 'worker-1',
      sequence: seq,
      ops: [
        { kind: 'TX_PUBLISH_QUEUE', queue: 'out', messages: [{ body: body(out) }] },
        { kind: 'TX_APPEND_STREAM', stream: 'audit', messages: [{ body: body(out) }] },
        { kind: 'TX_SETTLE', queue: 'in', consumer: got.consumer, ack: [tag] },
      ],
    });
    const first = await viaF1.call<TransactResponse__Output>('Transact', tx(1, 'JOB'));
    expect(first).toMatchObject({ duplicate: false, results: [{ queues: ['out'] }, { streams: ['audit'] }, { settled: 1 }] });
    // The same transaction again (a client's retry, here through the CLI): applied once.
    const file = join(c.dir, 'tx.json');
    writeFileSync(file, JSON.stringify([{ queue: 'out', messages: ['JOB'] }, { stream: 'audit', messages: ['JOB'] }, { settle: 'in', consumer: got.consumer, ack: [tag] }]));
    expect(await cli('tx', file, '--producer', 'worker-1', '--seq', '1')).toMatchObject({ duplicate: true });
    // Processing the same delivery again fails whole: its output is not published.
    const again = await failure(viaF2.call('Transact', tx(2, 'JOB-AGAIN')));
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(again.details).toMatch(/not held by consumer/);
    expect(await drain(viaF1, 'out')).toEqual(['JOB']);
    expect((await streamBodies(viaF2, 'audit')).slice(-1)).toEqual(['JOB']);
    expect(await viaF1.call<QueueInfoResponse__Output>('QueueInfo', { name: 'in' })).toMatchObject({ ready: 0, unacked: 0, acked: 1 });
    const bad = await failure(viaF1.call('Transact', { ops: [{ kind: 'TX_PUBLISH_QUEUE', queue: 'out', messages: [{ body: body('x'), priority: 99 }] }] }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/ops\[0\]: message 0: priority must be between 0 and 31/);
  });

  it('the SDK declares, binds, publishes through an exchange and commits a transaction', async () => {
    const qq = await connect({ servers: [c.node(f2).client] });
    try {
      const x = exchanges(qq);
      expect(await x.declare('sdk', 'topic')).toEqual({ created: true });
      await x.bind('sdk', { queue: 'qc' }, 'sdk.#');
      expect(await x.publish('sdk', 'sdk.a', [{ body: 's1' }], { producerId: 'sdk-p', sequence: 1 })).toMatchObject({ queues: ['qc'], duplicate: false });
      await expect(x.publish('sdk', 'other', [{ body: 's2' }], { mandatory: true })).rejects.toBeInstanceOf(FailedPreconditionError);
      const t = await x.transaction().route('sdk', 'sdk.b', [{ body: 's3' }]).append('audit', [{ body: 's3' }]).commit();
      expect(t.results).toMatchObject([{ queues: ['qc'] }, { streams: ['audit'] }]);
      expect(await drain(viaF1, 'qc')).toEqual(['s1', 's3']);
      expect((await x.info('sdk')).bindings[0]).toMatchObject({ routingKey: 'sdk.#', matched: 2 });
    } finally {
      qq.close();
    }
  });

  it('a routed publish retried across a leader kill is stored once', async () => {
    await declare('ha', 'fanout');
    await bind('ha', 'queue', 'qa');
    await bind('ha', 'stream', 'audit');
    const before = (await streamBodies(viaF1, 'audit')).length;
    const req = { exchange: 'ha', messages: [{ body: body('once') }], producerId: 'ha-producer', sequence: 1 };
    const first = viaF1.call<ExchangePublishResponse__Output>('PublishToExchange', req).catch((e: Error) => e);
    await c.stopNode(leader, 'SIGKILL');
    await first;
    const next = await c.waitForLeader(20_000, [leader]);
    const survivor = next === f1 ? f1 : f2;
    const pool = c.client([survivor], 10_000);
    // Retry until a definite answer: applied now, or applied before (duplicate).
    const r = await waitFor(
      'the retry answered',
      async () => pool.call<ExchangePublishResponse__Output>('PublishToExchange', req).catch(() => undefined),
      20_000,
      200,
    );
    expect(r.duplicate || r.queues.includes('qa')).toBe(true);
    expect(await drain(pool, 'qa')).toEqual(['once']);
    expect((await streamBodies(pool, 'audit')).slice(before)).toEqual(['once']);
  });
});
