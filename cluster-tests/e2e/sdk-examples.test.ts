// The SDK guide's examples (broker/client/examples.ts, quoted in
// broker/client/README.md) run against a real 3-node cluster, so the guide
// cannot drift from the code; and the typed helpers of the unary Broker calls
// the examples do not show.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as examples from '../../broker/client/examples.js';
import { AlreadyExistsError, InvalidArgumentError, OutOfRangeError, type Client } from '../../broker/client/index.js';
import { LocalCluster, waitFor } from './cluster.js';

describe('the SDK guide on a 3-node cluster', { timeout: 60_000 }, () => {
  let c: LocalCluster;
  let qq: Client;
  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    qq = await examples.connecting([...c.nodes.values()][0]!.client);
  }, 60_000);
  afterAll(async () => {
    qq?.close();
    await c?.destroy();
  });

  it('the first program sends a message and sees it come back', async () => {
    expect(await examples.firstProgram([...c.nodes.values()][1]!.client)).toBe(0);
  });

  it('connecting learns every member from one seed', () => {
    expect(qq.connection.members.addresses()).toHaveLength(3);
    expect(qq.connection.state).toBe('connected');
  });

  it('streams: append, follow, read once, resume a named consumer', async () => {
    const r = await examples.streams(qq);
    expect(r.offsets).toEqual([0, 1, 2]);
    expect(r.followed.map((f) => f.split(':')[0])).toEqual(['0', '1', '2']);
    expect(r.read).toHaveLength(2);
    expect(r.resumedAt).toBe(3);
  });

  it('queues: consume with acks, reject to the dead-letter store, pull and settle, replay', async () => {
    const r = await examples.queues(qq);
    expect(r.consumed.sort()).toEqual(['hello@a.example', 'hi@c.example']);
    expect(r.pulled).toEqual(['pulled@d.example']);
    expect(r.deadLetters).toEqual(['bounce@b.example:rejected']);
    expect(r.replayed).toBe(1);
    const info = await qq.queueInfo('emails');
    expect({ ready: info.ready, unacked: info.unacked, dead: info.deadLettered }).toEqual({ ready: 0, unacked: 0, dead: 0 });
  });

  it('jobs: a worker completes jobs, retries a failure, runs a schedule, closes', async () => {
    const r = await examples.jobs(qq);
    expect(r.results).toEqual([10, 20, 30]);
    expect(r.failures).toBe(1);
    expect(r.scheduledRuns).toBeGreaterThanOrEqual(2);
    expect(await qq.listSchedules('thumbnails')).toEqual([]);
  });

  it('errors: typed, with a code and the outcome', async () => {
    expect(await examples.errors(qq)).toEqual(['failed-precondition not-applied', 'not-found', 'AbortedError']);
  });

  it('typed helpers: lists, read errors, offsets, pull leases, settle of unknown tags, schedules, key/value', async () => {
    expect((await qq.listStreams()).map((s) => s.name)).toContain('orders');
    expect((await qq.listQueues({ consistency: 'local' })).map((q) => q.name)).toContain('emails');
    await qq.declareStream('tiny', { maxMessages: 2 });
    const p = qq.streamProducer('tiny');
    for (let i = 0; i < 6; i++) await p.send(`t${i}`);
    await p.close();
    // Retention removed the oldest: a read below the first offset is refused.
    await waitFor('retention', async () => (await qq.streamInfo('tiny')).firstOffset > 0, 10_000);
    expect(await qq.read('tiny', 0).catch((e: unknown) => e)).toBeInstanceOf(OutOfRangeError);
    const tail = await qq.read('tiny', (await qq.streamInfo('tiny')).firstOffset);
    expect(tail.endOffset).toBe(6);
    expect(tail.messages.at(-1)!.body.toString()).toBe('t5');
    // A long poll waits for the next message.
    const polled = qq.read('tiny', 6, { waitMs: 5000 });
    await qq.streamProducer('tiny').send('t6');
    expect((await polled).messages.map((m) => m.body.toString())).toEqual(['t6']);
    expect(await qq.getOffset('tiny', 'nobody')).toBeUndefined();

    // Pull: a message not settled within its lease returns, redelivered, to the next pull.
    await qq.declareQueue('pullq');
    await qq.queueProducer('pullq').send('once');
    const first = await qq.pull('pullq', { max: 5, leaseMs: 300 });
    expect(first.messages.map((m) => [m.body.toString(), m.redelivered])).toEqual([['once', false]]);
    const again = await waitFor('the lease to lapse', async () => {
      const r = await qq.pull('pullq', { max: 5, waitMs: 500 });
      return r.messages.length ? r : undefined;
    }, 15_000);
    expect(again.messages[0]!.redelivered).toBe(true);
    expect(await qq.settle('pullq', first.consumer, { ack: [first.messages[0]!.tag] })).toEqual({ unknownTags: [first.messages[0]!.tag] });
    expect(await qq.settle('pullq', again.consumer, { ack: [again.messages[0]!.tag] })).toEqual({ unknownTags: [] });
    expect(await qq.settle('pullq', again.consumer, {}).catch((e: unknown) => e)).toBeInstanceOf(InvalidArgumentError);

    // Schedules: the same again is a no-op; other settings under the name are refused.
    expect(await qq.addSchedule('pullq', 'hourly', { everyMs: 3_600_000, message: { body: 'h' } })).toEqual({ created: true });
    expect(await qq.addSchedule('pullq', 'hourly', { everyMs: 3_600_000, message: { body: 'h' } })).toEqual({ created: false });
    expect(await qq.addSchedule('pullq', 'hourly', { everyMs: 60_000, message: { body: 'h' } }).catch((e: unknown) => e)).toBeInstanceOf(AlreadyExistsError);
    expect((await qq.listSchedules('pullq')).map((s) => [s.name, s.everyMs])).toEqual([['hourly', 3_600_000]]);
    await qq.removeSchedule('pullq', 'hourly');
    expect(await qq.purgeDeadLetters('pullq')).toEqual({ purged: 0 });

    // Key/value.
    expect((await qq.put('k', 'v')).index).toBeGreaterThan(0);
    expect((await qq.get('k'))?.toString()).toBe('v');
    expect(await qq.get('absent')).toBeUndefined();
  });
});
