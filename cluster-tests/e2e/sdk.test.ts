// The TypeScript SDK (`import { connect } from 'quorumq'`) against real
// 3-node clusters: publish and consume on streams and queues, independent
// outcomes within a batch, typed errors, and failures — a leader killed or
// moved in the middle of a producer's run loses nothing and stores nothing
// twice; a subscription and a queue consumer whose node dies carry on from
// another node; a worker retries failed jobs with backoff.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError, connect, DeadlineExceededError, InvalidArgumentError, NotFoundError, ResourceExhaustedError, Worker, Jobs, type Client, type ReceivedStreamMessage } from '../../broker/client/index.js';
import { LocalCluster, waitFor } from './cluster.js';

const addrs = (c: LocalCluster): string[] => [...c.nodes.values()].map((n) => n.client);
const idOf = (c: LocalCluster, addr: string): number => [...c.nodes.values()].find((n) => n.client === addr)!.id;

/** Everything in a stream, read through a subscription from the first offset. */
async function readStream(qq: Client, stream: string, n: number): Promise<ReceivedStreamMessage[]> {
  const sub = qq.subscribe(stream, { from: 'first' });
  const out: ReceivedStreamMessage[] = [];
  for await (const m of sub) {
    out.push(m);
    if (out.length === n) break;
  }
  sub.close();
  return out;
}

describe('SDK on a healthy cluster', () => {
  let c: LocalCluster;
  let qq: Client;
  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    qq = await connect({ servers: addrs(c)[0]! });
  }, 60_000);
  afterAll(async () => {
    qq?.close();
    await c?.destroy();
  });

  it('learns every member and the leader from one seed, and sends writes straight to the leader', async () => {
    const s = await qq.status();
    expect(qq.connection.members.addresses().sort()).toEqual(addrs(c).sort());
    expect(qq.connection.members.leader).toBe(s.leader);
    await qq.declareStream('direct');
    const r = await qq.call('Append', { stream: 'direct', messages: [{ body: Buffer.from('x') }] });
    expect(idOf(c, r._server)).toBe(r.leader);
  });

  it('coalesces concurrent stream sends into batches; every send resolves with its own offset, in a subscription in order', async () => {
    await qq.declareStream('orders');
    const p = qq.streamProducer('orders');
    const N = 2000;
    const rs = await Promise.all(Array.from({ length: N }, (_, i) => p.send({ body: `order-${i}`, headers: { i: String(i) } })));
    expect(new Set(rs.map((r) => r.offset)).size).toBe(N);
    expect(rs.every((r) => !r.duplicate)).toBe(true);
    const info = await qq.streamInfo('orders');
    expect(info.messageCount).toBe(N);
    // Far fewer requests than messages: the producers id carries one sequence per request.
    const got = await readStream(qq, 'orders', N);
    expect(got.map((m) => m.offset)).toEqual([...Array(N).keys()]);
    const byOffset = new Map(rs.map((r, i) => [r.offset, i]));
    for (const m of got) expect(m.body.toString()).toBe(`order-${byOffset.get(m.offset)}`);
    expect(got[5]!.headers.i).toBe(String(byOffset.get(5)));
    await p.close();
  });

  it('one invalid message in a batch fails alone, with a typed error; the others are stored', async () => {
    await qq.declareStream('mixed', { maxMessageBytes: 1024 });
    const p = qq.streamProducer('mixed');
    const sends = ['a', 'x'.repeat(5000), 'b', 'c'].map((body) => p.send({ body }).then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e })));
    const out = await Promise.all(sends);
    expect(out.map((o) => o.ok)).toEqual([true, false, true, true]);
    const e = (out[1] as { e: InvalidArgumentError }).e;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.name).toBe('InvalidArgumentError');
    expect(e.code).toBe('invalid-argument');
    expect(e.outcome).toBe('not-applied');
    expect(e.cause).toBeDefined();
    expect((await qq.streamInfo('mixed')).messageCount).toBe(3);
    const err = await qq.streamProducer('no-such-stream').send('x').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('not-found');
  });

  it('publishes to a queue and consumes with an async iterator, acking; nack requeues and reject dead-letters', async () => {
    await qq.declareQueue('jobs');
    const p = qq.queueProducer('jobs');
    const N = 500;
    const sent = Date.now();
    await Promise.all(Array.from({ length: N }, (_, i) => p.send({ body: `job-${i}` })));
    const cons = qq.consume('jobs', { prefetch: 64 });
    const seen = new Set<string>();
    let requeued = 0;
    let rejected = 0;
    for await (const d of cons) {
      const b = d.body.toString();
      // When the queue handed it out (leader time; one host clock here).
      expect(d.deliveredAt).toBeGreaterThanOrEqual(sent);
      expect(d.deliveredAt).toBeLessThanOrEqual(Date.now());
      if (b === 'job-7' && !d.redelivered) {
        await d.nack({ requeue: true });
        requeued++;
      } else if (b === 'job-9') {
        await d.reject();
        rejected++;
      } else {
        // Not awaited (batched with the next ones); the queue's counters below show they were applied.
        void d.ack();
        seen.add(b);
      }
      if (seen.size + rejected === N) break;
    }
    await waitFor('every ack applied', async () => (await qq.queueInfo('jobs')).acked === N - 1, 30_000);
    await cons.close();
    expect(requeued).toBe(1);
    expect(rejected).toBe(1);
    expect(seen.size).toBe(N - 1);
    const info = await qq.queueInfo('jobs');
    expect({ ready: info.ready, unacked: info.unacked, acked: info.acked, dead: info.deadLettered }).toEqual({ ready: 0, unacked: 0, acked: N - 1, dead: 1 });
  });

  it('a batch a reject-publish-dlx queue refuses is not resent in halves: each message fails once and is dead-lettered once', async () => {
    await qq.declareQueue('bounce', { maxMessages: 1, overflow: 'OVERFLOW_REJECT_PUBLISH_DLX' });
    const p = qq.queueProducer('bounce');
    await p.send('fits');
    // One event-loop turn: one batch of 4, refused whole (halves would dead-letter them again).
    const out = await Promise.all(['a', 'b', 'c', 'd'].map((b) => p.send(b).catch((e: unknown) => e)));
    expect(out.every((e) => e instanceof ResourceExhaustedError)).toBe(true);
    expect(await qq.queueInfo('bounce')).toMatchObject({ ready: 1, deadLettered: 4 });
  });

  it('a callback consumer with concurrency acks what returns and requeues what throws', async () => {
    await qq.declareQueue('cb');
    const p = qq.queueProducer('cb');
    const N = 200;
    await Promise.all(Array.from({ length: N }, (_, i) => p.send(`m-${i}`)));
    const cons = qq.consume('cb', { prefetch: 32 });
    const done = new Set<string>();
    let running = 0;
    let peak = 0;
    let threw = 0;
    const finished = cons.each(
      async (d) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (d.body.toString() === 'm-3' && !d.redelivered) {
          threw++;
          throw new Error('try again');
        }
        done.add(d.body.toString());
      },
      { concurrency: 8 },
    );
    await waitFor('every message handled', () => done.size === N, 30_000);
    await waitFor('every ack applied', async () => (await qq.queueInfo('cb')).acked === N, 30_000);
    await cons.close();
    await finished;
    expect(threw).toBe(1);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });

  it('a Worker completes jobs and retries a failing one with a backoff delay', async () => {
    await qq.declareQueue('work');
    const jobs = new Jobs(qq, 'work');
    for (let i = 0; i < 20; i++) await jobs.add('resize', { n: i }, { jobId: `job-${i}` });
    // The same jobId again is deduplicated by the queue.
    await jobs.add('resize', { n: 0 }, { jobId: 'job-0' });
    const attempts = new Map<number, number>();
    const w = new Worker<{ n: number }, number>(
      qq,
      'work',
      async (job) => {
        attempts.set(job.data.n, (attempts.get(job.data.n) ?? 0) + 1);
        if (job.data.n === 4 && job.attemptsMade < 2) throw new Error('flaky');
        return job.data.n * 2;
      },
      { concurrency: 4, backoff: { baseMs: 50, factor: 2, maxMs: 200 } },
    );
    const completed: number[] = [];
    const failed: string[] = [];
    w.on('completed', (_job, r) => completed.push(r));
    w.on('failed', (job, e) => failed.push(`${job.data.n}:${(e as Error).message}:${job.attemptsMade}`));
    await waitFor('20 jobs completed', () => completed.length === 20, 30_000);
    await w.close();
    await jobs.close();
    expect(completed.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(failed).toEqual(['4:flaky:0', '4:flaky:1']);
    expect(attempts.get(4)).toBe(3);
    const info = await qq.queueInfo('work');
    expect({ ready: info.ready, delayed: info.delayed, unacked: info.unacked, acked: info.acked, failed: info.failed }).toEqual({ ready: 0, delayed: 0, unacked: 0, acked: 20, failed: 2 });
  });
});

describe('SDK across failures', { timeout: 120_000 }, () => {
  let c: LocalCluster | undefined;
  let qq: Client | undefined;
  afterEach(async () => {
    qq?.close();
    qq = undefined;
    await c?.destroy();
    c = undefined;
  });

  async function cluster(): Promise<{ c: LocalCluster; qq: Client; leader: number }> {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    qq = await connect({ servers: addrs(c), timeoutMs: 60_000 });
    return { c, qq, leader };
  }

  it('a leader killed in the middle of stream sends: every send confirmed, every message stored once', async () => {
    const { c, qq, leader } = await cluster();
    await qq.declareStream('pay');
    const leaders: number[] = [];
    qq.connection.on('leader', (l) => leaders.push(l.id));
    const p = qq.streamProducer('pay', { maxBatchMessages: 20 });
    const N = 3000;
    let confirmed = 0;
    let killed: Promise<unknown> | undefined;
    // 64 senders, each sending its share one after another.
    const sends = Array.from({ length: 64 }, async (_, w) => {
      for (let i = w; i < N; i += 64) {
        await p.send(`pay-${i}`);
        if (++confirmed === N / 3) killed = c.stopNode(leader, 'SIGKILL');
      }
    });
    await Promise.all(sends);
    await killed;
    expect(confirmed).toBe(N);
    const newLeader = await c.waitForLeader(20_000, [leader]);
    expect(leaders).toContain(newLeader);
    expect(qq.connection.members.leader).toBe(newLeader);
    expect(qq.connection.state).toBe('connected');
    const got = await readStream(qq, 'pay', N);
    const bodies = got.map((m) => m.body.toString());
    expect(new Set(bodies).size).toBe(N);
    expect((await qq.streamInfo('pay')).messageCount).toBe(N);
  });

  it('leadership moved in the middle of queue publishes: nothing lost, nothing twice', async () => {
    const { c, qq, leader } = await cluster();
    await qq.declareQueue('q');
    const p = qq.queueProducer('q', { maxBatchMessages: 16 });
    const N = 2000;
    const target = leader === 1 ? 2 : 1;
    let confirmed = 0;
    let moved: Promise<unknown> | undefined;
    const sends = Array.from({ length: 32 }, async (_, w) => {
      for (let i = w; i < N; i += 32) {
        await p.send(`q-${i}`);
        if (++confirmed === N / 2) moved = qq.call('TransferLeader', { id: target });
      }
    });
    await Promise.all(sends);
    await moved;
    expect((await c.status()).leader).toBe(target);
    expect((await qq.queueInfo('q')).ready).toBe(N);
    const cons = qq.consume('q', { prefetch: 256 });
    const seen: string[] = [];
    for await (const d of cons) {
      seen.push(d.body.toString());
      // Not awaited: acks made meanwhile go out together.
      void d.ack();
      if (seen.length === N) break;
    }
    await waitFor('every ack applied', async () => (await qq.queueInfo('q')).acked === N, 30_000);
    await cons.close();
    expect(new Set(seen).size).toBe(N);
    expect((await qq.queueInfo('q')).ready).toBe(0);
  });

  it('a subscription whose node dies resumes on another from the next offset', async () => {
    const { c, qq, leader } = await cluster();
    await qq.declareStream('s');
    const p = qq.streamProducer('s');
    await Promise.all(Array.from({ length: 300 }, (_, i) => p.send(`s-${i}`)));
    const follower = addrs(c).find((a) => idOf(c, a) !== leader)!;
    const sub = qq.subscribe('s', { from: 'first', credit: 50, route: 'any' });
    const got: number[] = [];
    const it = sub[Symbol.asyncIterator]();
    // Take messages until the subscription is on a follower we can kill.
    while (got.length < 100) got.push((await it.next()).value.offset);
    const on = sub.server ?? follower;
    const victim = idOf(c, on);
    await c.stopNode(victim, 'SIGKILL');
    await c.waitForLeader(20_000, [victim]);
    const more = Promise.all(Array.from({ length: 200 }, (_, i) => p.send(`s-${300 + i}`)));
    while (got.length < 500) got.push((await it.next()).value.offset);
    await more;
    sub.close();
    expect(got).toEqual([...Array(500).keys()]);
    expect(sub.server === undefined || sub.server !== on).toBe(true);
  });

  it('a queue consumer whose node dies re-attaches and receives its unacked deliveries again', async () => {
    const { c, qq } = await cluster();
    await qq.declareQueue('rq');
    const p = qq.queueProducer('rq');
    const N = 100;
    await Promise.all(Array.from({ length: N }, (_, i) => p.send(`r-${i}`)));
    const cons = qq.consume('rq', { prefetch: 10 });
    const it = cons[Symbol.asyncIterator]();
    const held = [];
    for (let i = 0; i < 10; i++) held.push((await it.next()).value);
    // Its node killed while 10 deliveries are unacked: they go back to the queue.
    const on = cons.server!;
    await c.stopNode(idOf(c, on), 'SIGKILL');
    const lost = await held[0]!.ack().catch((e: unknown) => e);
    expect((lost as Error).name).toBe('DeliveryLostError');
    const acked = new Set<string>();
    let redelivered = 0;
    while (acked.size < N) {
      const d = (await it.next()).value;
      if (d.redelivered) redelivered++;
      await d.ack();
      acked.add(d.body.toString());
    }
    expect(cons.server).not.toBe(on);
    await cons.close();
    expect(redelivered).toBeGreaterThanOrEqual(10);
    await waitFor('every ack applied', async () => (await qq.queueInfo('rq')).acked === N, 20_000);
    expect((await qq.queueInfo('rq')).ready).toBe(0);
  });

  it('without a quorum a send gives up at its deadline or abort with a typed error; with the quorum back the producer carries on', async () => {
    const { c, qq, leader } = await cluster();
    await qq.declareStream('nq');
    const p = qq.streamProducer('nq');
    await Promise.all(Array.from({ length: 10 }, (_, i) => p.send(`before-${i}`)));
    const followers = [1, 2, 3].filter((id) => id !== leader);
    for (const id of followers) await c.stopNode(id, 'SIGKILL');
    const late = await p.send('lost-1', { timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(DeadlineExceededError);
    expect((late as DeadlineExceededError).code).toBe('deadline-exceeded');
    const ac = new AbortController();
    const aborted = p.send('lost-2', { signal: ac.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    setTimeout(() => ac.abort(), 300);
    const ae = await aborted;
    expect(ae).toBeInstanceOf(AbortedError);
    expect((ae as AbortedError).name).toBe('AbortedError');
    for (const id of followers) await c.startNode(id);
    await c.waitForLeader();
    // The lanes that gave up on an unknown outcome start again as new producers: nothing is refused as a skip.
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => p.send(`after-${i}`)));
    expect(after.every((r) => !r.duplicate)).toBe(true);
    const n = (await qq.streamInfo('nq')).messageCount;
    // The two given-up sends may or may not have been stored (their outcome was unknown); nothing else is missing or doubled.
    expect(n).toBeGreaterThanOrEqual(20);
    expect(n).toBeLessThanOrEqual(22);
    const bodies = (await readStream(qq, 'nq', n)).map((m) => m.body.toString());
    expect(new Set(bodies).size).toBe(n);
    for (let i = 0; i < 10; i++) expect(bodies).toContain(`after-${i}`);
  });
});
