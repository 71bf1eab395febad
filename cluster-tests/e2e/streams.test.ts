// Streams on a real three-node cluster over the public gRPC API and the CLI:
// declare/list/info/delete, appends with confirm (single, atomic batch,
// streaming), reads (limits, long-poll, both consistencies), subscriptions
// (start positions, credit, end on delete), consumer offsets, and bad input.

import { status as grpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse__Output } from '../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { ListStreamsResponse__Output } from '../../proto/generated/quorumq/v1/ListStreamsResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, failure, waitFor } from './cluster.js';
import { appendMany, body, closeRawClients, subscribe } from './streams-client.js';

describe('streams on a three-node cluster', () => {
  let c: LocalCluster;
  let leader: number;
  let f1: number;
  let f2: number;
  let viaF1: BrokerPool;
  let viaF2: BrokerPool;
  let viaLeader: BrokerPool;


  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    leader = await c.waitForLeader();
    [f1, f2] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    viaF1 = c.client([f1], 10_000);
    viaF2 = c.client([f2], 10_000);
    viaLeader = c.client([leader], 10_000);
  }, 60_000);

  afterAll(async () => {
    closeRawClients();
    await c?.destroy();
  });

  it('declares, redeclares (no-op / FAILED_PRECONDITION naming the setting), lists, describes per node and deletes', async () => {
    const d = await viaF1.call<{ created: boolean }>('DeclareStream', { name: 'orders', settings: { maxMessages: 1000 } });
    expect(d.created).toBe(true);
    expect((await viaF2.call<{ created: boolean }>('DeclareStream', { name: 'orders', settings: { maxMessages: 1000 } })).created).toBe(false);
    const e = await failure(viaF2.call('DeclareStream', { name: 'orders', settings: { maxMessages: 5 } }));
    expect(e.code).toBe(grpcStatus.FAILED_PRECONDITION);
    expect(e.details).toMatch(/maxMessages is 1000, not 5/);
    await viaLeader.call('Append', { stream: 'orders', messages: [{ body: body('a') }, { body: body('b') }] });
    const list = await viaF2.call<ListStreamsResponse__Output>('ListStreams', {});
    expect(list.streams.map((s) => s.name)).toContain('orders');
    const info = await waitFor('every node to have the stream', async () => {
      const i = await viaF2.call<StreamInfoResponse__Output>('StreamInfo', { name: 'orders' });
      return i.nodes.length === 3 && i.nodes.every((n) => n.appliedOffset === 2) ? i : undefined;
    });
    expect(info).toMatchObject({ firstOffset: 0, lastOffset: 1, nextOffset: 2, messageCount: 2, bytes: 2 });
    expect(info.settings).toMatchObject({ maxMessages: 1000, maxMessageBytes: 1 << 20, discard: 'DISCARD_OLD' });
    expect(info.nodes.find((n) => n.id === leader)!.replicatedOffset).toBe(2);

    await viaF1.call('DeclareStream', { name: 'doomed', settings: {} });
    await viaF2.call('DeleteStream', { name: 'doomed' });
    expect((await failure(viaF1.call('StreamInfo', { name: 'doomed' }))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await failure(viaF1.call('DeleteStream', { name: 'doomed' }))).code).toBe(grpcStatus.NOT_FOUND);
  });

  it('appends one message or an atomic batch through a follower, confirmed with contiguous offsets and leader timestamps that never go back', async () => {
    await viaF1.call('DeclareStream', { name: 'batches', settings: { maxMessageBytes: 100 } });
    const t0 = Date.now();
    const one = await viaF1.call<AppendResponse__Output>('Append', { stream: 'batches', messages: [{ body: body('one'), headers: [{ key: 'k', value: 'v' }] }] });
    expect(one).toMatchObject({ firstOffset: 0, count: 1, duplicate: false, leader });
    expect(one.timestamp).toBeGreaterThanOrEqual(t0 - 1000);
    const batch = await viaF2.call<AppendResponse__Output>('Append', { stream: 'batches', messages: ['x', 'y', 'z'].map((s) => ({ body: body(s) })) });
    expect(batch).toMatchObject({ firstOffset: 1, count: 3 });
    expect(batch.timestamp).toBeGreaterThanOrEqual(one.timestamp);
    // One oversized message refuses the whole batch: nothing stored.
    const big = await failure(viaF1.call('Append', { stream: 'batches', messages: [{ body: body('ok') }, { body: Buffer.alloc(101) }] }));
    expect(big.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(big.details).toMatch(/message 1 is 101 bytes; the stream's maxMessageBytes is 100/);
    const r = await viaF2.call<ReadResponse__Output>('Read', { stream: 'batches', fromOffset: 0, maxMessages: 10 });
    expect(r.messages.map((m) => [m.offset, m.body.toString()])).toEqual([[0, 'one'], [1, 'x'], [2, 'y'], [3, 'z']]);
    expect(r.messages[0]!.headers).toEqual([{ key: 'k', value: 'v' }]);
    expect(r.messages[1]!.timestamp).toBe(batch.timestamp);
    for (let i = 1; i < r.messages.length; i++) expect(r.messages[i]!.timestamp).toBeGreaterThanOrEqual(r.messages[i - 1]!.timestamp);
  });

  it('streams many appends in flight on one call through a follower, one confirm per request in order', async () => {
    await viaF1.call('DeclareStream', { name: 'firehose', settings: {} });
    const n = 3000;
    const reqs = Array.from({ length: n }, (_, i) => ({ stream: 'firehose', messages: [{ body: body(`m${i}`) }] }));
    const t0 = Date.now();
    const res = await appendMany(c.node(f1).client, reqs, 256);
    const secs = (Date.now() - t0) / 1000;
    console.log(`AppendStream through a follower: ${n} single-message appends, 256 in flight: ${Math.round(n / secs)}/s`);
    expect(res.map((r) => r.errorCode)).toEqual(new Array(n).fill(0));
    expect(res.map((r) => r.requestId)).toEqual(reqs.map((_, i) => i));
    expect(res.map((r) => r.firstOffset)).toEqual(reqs.map((_, i) => i));
    // Per-request failures are answered in order and the call goes on.
    const mixed = await appendMany(c.node(f2).client, [
      { stream: 'firehose', messages: [{ body: body('ok1') }] },
      { stream: 'no-such-stream', messages: [{ body: body('x') }] },
      { stream: 'firehose', messages: [] },
      { stream: 'firehose', messages: [{ body: body('ok2') }] },
    ]);
    expect(mixed.map((r) => r.errorCode)).toEqual([0, grpcStatus.NOT_FOUND, grpcStatus.INVALID_ARGUMENT, 0]);
    expect(mixed[3]!.firstOffset).toBe(mixed[0]!.firstOffset + 1);
    // Read back everything from the other follower, local.
    const all: string[] = [];
    let from = 0;
    await waitFor('the other follower to apply everything', async () => {
      const r = await viaF2.call<ReadResponse__Output>('Read', { stream: 'firehose', fromOffset: from, maxMessages: 10_000, consistency: 'LOCAL' });
      all.push(...r.messages.map((m) => m.body.toString()));
      from = r.nextOffset;
      return all.length >= n + 2;
    });
    expect(all.slice(0, n)).toEqual(reqs.map((_, i) => `m${i}`));
  });

  it('reads up to N messages or B bytes, and long-polls for new ones', async () => {
    await viaF1.call('DeclareStream', { name: 'polls', settings: {} });
    await viaF1.call('Append', { stream: 'polls', messages: Array.from({ length: 10 }, () => ({ body: Buffer.alloc(100) })) });
    const byCount = await viaF2.call<ReadResponse__Output>('Read', { stream: 'polls', fromOffset: 2, maxMessages: 3 });
    expect(byCount.messages.map((m) => m.offset)).toEqual([2, 3, 4]);
    expect(byCount.nextOffset).toBe(5);
    // Each message counts its bytes plus 64 of framing: 2 × 164 fit in 380, 3 do not.
    const byBytes = await viaF2.call<ReadResponse__Output>('Read', { stream: 'polls', fromOffset: 0, maxMessages: 100, maxBytes: 380 });
    expect(byBytes.messages).toHaveLength(2);
    const atEnd = await viaF2.call<ReadResponse__Output>('Read', { stream: 'polls', fromOffset: 10, maxMessages: 5, consistency: 'LOCAL' });
    expect(atEnd.messages).toHaveLength(0);
    // A read waiting at the end is woken by an append (through another node).
    const t0 = Date.now();
    const waiting = viaF2.call<ReadResponse__Output>('Read', { stream: 'polls', fromOffset: 10, waitMs: 10_000, consistency: 'LOCAL' });
    await new Promise((r) => setTimeout(r, 100));
    await viaF1.call('Append', { stream: 'polls', messages: [{ body: body('late') }] });
    const got = await waiting;
    expect(got.messages.map((m) => m.body.toString())).toEqual(['late']);
    expect(Date.now() - t0).toBeLessThan(5000);
    // Nothing arrives: the wait ends empty after wait_ms.
    const empty = await viaF2.call<ReadResponse__Output>('Read', { stream: 'polls', fromOffset: 11, waitMs: 300 });
    expect(empty.messages).toHaveLength(0);
  });

  it('answers OUT_OF_RANGE with the first available offset below retention, NOT_FOUND, INVALID_ARGUMENT and RESOURCE_EXHAUSTED', async () => {
    await viaF1.call('DeclareStream', { name: 'short', settings: { maxMessages: 5 } });
    for (let i = 0; i < 4; i++) await viaF1.call('Append', { stream: 'short', messages: [{ body: body(`a${i}`) }, { body: body(`b${i}`) }] });
    const oor = await failure(viaF2.call('Read', { stream: 'short', fromOffset: 0 }));
    expect(oor.code).toBe(grpcStatus.OUT_OF_RANGE);
    expect(oor.details).toMatch(/the first available offset is 4/);
    expect((await failure(viaF2.call('Read', { stream: 'nope', fromOffset: 0 }))).code).toBe(grpcStatus.NOT_FOUND);
    expect((await failure(viaF2.call('Append', { stream: 'nope', messages: [{ body: body('x') }] }))).code).toBe(grpcStatus.NOT_FOUND);
    const badName = await failure(viaF2.call('DeclareStream', { name: 'has space', settings: {} }));
    expect(badName.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(badName.details).toMatch(/may contain only/);
    const tooMany = await failure(viaF2.call('Append', { stream: 'short', messages: Array.from({ length: 10_001 }, () => ({ body: Buffer.alloc(0) })) }));
    expect(tooMany.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(tooMany.details).toMatch(/at most 10000 messages/);
    const tooBig = await failure(viaF2.call('Append', { stream: 'short', messages: Array.from({ length: 9 }, () => ({ body: Buffer.alloc(1 << 20) })) }));
    expect(tooBig.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(tooBig.details).toMatch(/the limit is 8388608/);
    await viaF1.call('DeclareStream', { name: 'bounded', settings: { maxMessages: 3, discard: 'DISCARD_REJECT' } });
    await viaF1.call('Append', { stream: 'bounded', messages: ['1', '2', '3'].map((s) => ({ body: body(s) })) });
    const full = await failure(viaF2.call('Append', { stream: 'bounded', messages: [{ body: body('4') }] }));
    expect(full.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    expect(full.details).toMatch(/holds 3 of at most 3 messages/);
    // The nodes are all still up and agree.
    const s = await c.status();
    expect(s.members.every((m) => m.reachable)).toBe(true);
  });

  it('subscribes from an offset, the first, new only, or a timestamp, with credit, and ends cleanly when the stream is deleted', async () => {
    await viaF1.call('DeclareStream', { name: 'feed', settings: {} });
    const first = await viaF1.call<AppendResponse__Output>('Append', { stream: 'feed', messages: ['a', 'b', 'c'].map((s) => ({ body: body(s) })) });
    await new Promise((r) => setTimeout(r, 20));
    const second = await viaF1.call<AppendResponse__Output>('Append', { stream: 'feed', messages: ['d', 'e'].map((s) => ({ body: body(s) })) });
    const addr = c.node(f2).client;
    const fromFirst = subscribe(addr, { stream: 'feed', start: 'START_FIRST', credit: 2 });
    const fromOffset = subscribe(addr, { stream: 'feed', start: 'START_AT_OFFSET', offset: 3, credit: 100 });
    const fromTime = subscribe(addr, { stream: 'feed', start: 'START_AT_TIMESTAMP', timestamp: second.timestamp, credit: 100 });
    const onlyNew = subscribe(addr, { stream: 'feed', start: 'START_NEW', credit: 100 });
    await waitFor('subscriptions to deliver', () => fromFirst.messages.length === 2 && fromOffset.messages.length === 2);
    expect(first.timestamp).toBeLessThan(second.timestamp);
    expect(fromTime.messages.map((m) => m.offset)).toEqual([3, 4]);
    expect(fromOffset.messages.map((m) => m.body.toString())).toEqual(['d', 'e']);
    // Credit: exactly two so far, more after more credit.
    expect(fromFirst.messages.map((m) => m.offset)).toEqual([0, 1]);
    await viaF1.call('Append', { stream: 'feed', messages: [{ body: body('f') }] });
    await waitFor('the new-only subscriber to get f', () => onlyNew.messages.length === 1);
    expect(onlyNew.messages[0]!.body.toString()).toBe('f');
    expect(fromFirst.messages).toHaveLength(2);
    fromFirst.credit(10);
    await waitFor('more after credit', () => fromFirst.messages.length === 6);
    expect(fromFirst.messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    await viaLeader.call('DeleteStream', { name: 'feed' });
    await Promise.all([fromFirst.closed, fromOffset.closed, fromTime.closed, onlyNew.closed]);
    for (const s of [fromFirst, fromOffset, fromTime, onlyNew]) {
      expect(s.error).toBeUndefined();
      expect(s.ended).toMatch(/stream "feed" was deleted/);
    }
  });

  it('commits a named consumer offset into the replicated state and resumes from it on any node', async () => {
    await viaF1.call('DeclareStream', { name: 'work', settings: {} });
    await viaF1.call('Append', { stream: 'work', messages: Array.from({ length: 10 }, (_, i) => ({ body: body(`w${i}`) })) });
    await viaF1.call('CommitOffset', { stream: 'work', consumer: 'billing', offset: 7 });
    expect(await viaF2.call('GetOffset', { stream: 'work', consumer: 'billing' })).toMatchObject({ found: true, offset: 7 });
    expect(await viaLeader.call('GetOffset', { stream: 'work', consumer: 'nobody' })).toMatchObject({ found: false });
    const sub = subscribe(c.node(f2).client, { stream: 'work', start: 'START_AT_CONSUMER', consumer: 'billing', credit: 100 });
    await waitFor('the consumer to resume at 7', () => sub.messages.length === 3);
    expect(sub.messages.map((m) => m.body.toString())).toEqual(['w7', 'w8', 'w9']);
    sub.cancel();
    const beyond = await failure(viaF1.call('CommitOffset', { stream: 'work', consumer: 'billing', offset: 11 }));
    expect(beyond.code).toBe(grpcStatus.OUT_OF_RANGE);
  });

  it('works from the CLI: stream declare/list/info/delete, append (args, stdin, --count), read --json', async () => {
    const s1 = c.node(f1).client;
    const s2 = c.node(f2).client;
    const run = async (args: string[], server = s1): Promise<string> => {
      const r = await c.cli([...args, '--server', server], 60_000);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await run(['stream', 'declare', 'cli', '--max-age', '1h', '--max-bytes', '64MiB'])).toMatch(/declared/);
    expect(await run(['append', 'cli', 'hello', 'world', '--header', 'h=1', '--producer', 'p', '--seq', '1'])).toMatch(/offsets 0..1/);
    expect(await run(['append', 'cli', 'hello', 'world', '--header', 'h=1', '--producer', 'p', '--seq', '1'])).toMatch(/duplicate/);
    const count = JSON.parse(await run(['append', 'cli', '--count', '500', '--size', '64', '--json']));
    expect(count).toMatchObject({ count: 500, failed: 0 });
    const read = (await run(['read', 'cli', '--count', '3', '--json'], s2)).trim().split('\n').map((l) => JSON.parse(l));
    expect(read.map((m) => [m.offset, m.body])).toEqual([[0, 'hello'], [1, 'world'], [2, 'x'.repeat(64)]]);
    expect(read[0].headers).toEqual({ h: '1' });
    const info = JSON.parse(await run(['stream', 'info', 'cli', '--json'], s2));
    expect(info).toMatchObject({ name: 'cli', messageCount: 502, nextOffset: 502 });
    expect(JSON.parse(await run(['stream', 'list', '--json'])).map((s: { name: string }) => s.name)).toContain('cli');
    const bad = await c.cli(['read', 'missing', '--server', s1]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/NOT_FOUND: stream "missing" does not exist/);
    expect(await run(['stream', 'delete', 'cli'])).toMatch(/deleted/);
  });
});
