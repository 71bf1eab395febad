// The SDK's Worker on real 3-node clusters: a rate limit across the worker's
// concurrency, a job whose ack timeout passed while it ran ('stalled', then it
// runs again and completes once), close() draining the running jobs, and a
// worker's run with the leader killed in the middle: every job processed,
// none acked twice (counted by job id), the queue empty at the end.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, Jobs, Worker, type Client } from '../../broker/client/index.js';
import { LocalCluster, waitFor } from './cluster.js';

const addrs = (c: LocalCluster): string[] => [...c.nodes.values()].map((n) => n.client);
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Worker on a healthy cluster', { timeout: 60_000 }, () => {
  let c: LocalCluster;
  let qq: Client;
  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    qq = await connect({ servers: addrs(c) });
  }, 60_000);
  afterAll(async () => {
    qq?.close();
    await c?.destroy();
  });

  it('starts at most rateLimit.max jobs in any rateLimit.durationMs, across its concurrency', async () => {
    await qq.declareQueue('limited');
    const jobs = new Jobs(qq, 'limited');
    await Promise.all(Array.from({ length: 12 }, (_, i) => jobs.add('j', { i })));
    const starts: number[] = [];
    const w = new Worker(qq, 'limited', () => void starts.push(Date.now()), { concurrency: 4, rateLimit: { max: 4, durationMs: 400 } });
    const completed: string[] = [];
    w.on('completed', (job) => completed.push(job.id));
    await waitFor('12 jobs', () => completed.length === 12, 30_000);
    await w.close();
    starts.sort((a, b) => a - b);
    // Any 5 consecutive starts span the window. The limiter reserves exact
    // times; a processor starts a little after its reservation (timers, the
    // event loop of a loaded machine), hence the 25 ms allowed. Without the
    // limit the 12 would start within a few ms.
    for (let i = 0; i + 4 < starts.length; i++) expect(starts[i + 4]! - starts[i]!).toBeGreaterThanOrEqual(375);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(775);
    expect(new Set(completed).size).toBe(12);
  });

  it("a job still running when the queue's ack timeout passes is 'stalled', runs again, and completes once", async () => {
    await qq.declareQueue('timed', { ackTimeoutMs: 500 });
    const jobs = new Jobs(qq, 'timed');
    await jobs.add('slow', {}, { jobId: 'slow-1' });
    let runs = 0;
    const w = new Worker(qq, 'timed', async (job) => {
      runs++;
      // The first run outlasts its delivery: it ends once the server timed the delivery out.
      if (job.attemptsMade === 0) await waitFor('the ack timeout to pass', async () => (await qq.queueInfo('timed')).failed >= 1, 20_000, 50);
      return runs;
    });
    const events: string[] = [];
    w.on('stalled', (job, how) => events.push(`stalled ${job.id} ${how}`));
    w.on('completed', (job, r) => events.push(`completed ${job.id} ${r}`));
    w.on('failed', (job) => events.push(`failed ${job.id}`));
    await waitFor('the job to complete', () => events.some((e) => e.startsWith('completed')), 30_000);
    await w.close();
    // Redeliveries held while the slow run went on timed out too (each is
    // 'stalled' when its run's ack is not taken); exactly one run completed.
    expect(events[0]).toBe('stalled slow-1 lost');
    expect(events.filter((e) => e.startsWith('completed'))).toEqual([`completed slow-1 ${runs}`]);
    expect(events.at(-1)).toBe(`completed slow-1 ${runs}`);
    expect(events.filter((e) => e.startsWith('stalled'))).toHaveLength(runs - 1);
    const info = await qq.queueInfo('timed');
    expect({ acked: info.acked, ready: info.ready, unacked: info.unacked, dead: info.deadLettered }).toEqual({ acked: 1, ready: 0, unacked: 0, dead: 0 });
    expect(info.failed).toBeGreaterThanOrEqual(1);
  });

  it('close() stops taking jobs and waits for the running ones to finish and be acked', async () => {
    await qq.declareQueue('drain');
    const jobs = new Jobs(qq, 'drain');
    await Promise.all(Array.from({ length: 4 }, (_, i) => jobs.add('long', { i })));
    let running = 0;
    const w = new Worker(
      qq,
      'drain',
      async () => {
        running++;
        await pause(400);
      },
      { concurrency: 4, prefetch: 4 },
    );
    let completed = 0;
    w.on('completed', () => completed++);
    await waitFor('4 jobs running', () => running === 4, 20_000);
    await Promise.all(Array.from({ length: 3 }, (_, i) => jobs.add('late', { i })));
    await w.close();
    expect(completed).toBe(4);
    expect((await qq.queueInfo('drain')).acked).toBe(4);
    // The ones added meanwhile were not started: they wait in the queue.
    await waitFor('the late jobs back in the queue', async () => (await qq.queueInfo('drain')).ready === 3, 20_000);
    expect(running).toBe(4);
    await jobs.close();
  });
});

describe('Worker across a leader kill', { timeout: 90_000 }, () => {
  let c: LocalCluster | undefined;
  let qq: Client | undefined;
  afterEach(async () => {
    qq?.close();
    qq = undefined;
    await c?.destroy();
    c = undefined;
  });

  it('the leader killed in the middle of a run: every job processed, none acked twice, the queue empty', async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    qq = await connect({ servers: addrs(c), timeoutMs: 60_000 });
    await qq.declareQueue('wk');
    const jobs = new Jobs(qq, 'wk');
    const N = 600;
    await Promise.all(Array.from({ length: N }, (_, i) => jobs.add('task', { i }, { jobId: `job-${i}` })));
    const processed = new Map<string, number>();
    const completed = new Map<string, number>();
    const stalled: string[] = [];
    const errors: unknown[] = [];
    // Attached to the leader, so its consumer call dies with it.
    const w = new Worker(
      qq,
      'wk',
      async (job) => {
        await pause(2);
        processed.set(job.id, (processed.get(job.id) ?? 0) + 1);
      },
      { concurrency: 16, route: 'leader' },
    );
    let killed: Promise<unknown> | undefined;
    w.on('completed', (job) => {
      completed.set(job.id, (completed.get(job.id) ?? 0) + 1);
      if (completed.size === N / 3) killed ??= c!.stopNode(leader, 'SIGKILL');
    });
    w.on('stalled', (job, how) => stalled.push(`${job.id} ${how}`));
    w.on('error', (e) => errors.push(e));
    await waitFor('every job processed and the queue empty', async () => {
      if (processed.size < N || !killed) return false;
      const info = await qq!.queueInfo('wk');
      return info.ready + info.unacked + info.delayed === 0 ? info : false;
    }, 60_000, 200);
    await killed;
    await w.close();
    await jobs.close();
    expect(await c.waitForLeader(20_000, [leader])).not.toBe(leader);
    // Nothing lost: every job ran; nothing acked twice: no id completed twice,
    // and the queue counted one ack per job.
    expect(processed.size).toBe(N);
    expect([...completed.values()].filter((n) => n > 1)).toEqual([]);
    const info = await qq.queueInfo('wk');
    expect({ acked: info.acked, dead: info.deadLettered }).toEqual({ acked: N, dead: 0 });
    // Every job not reported completed had its ack's outcome unknown (an error event).
    expect(N - completed.size).toBeLessThanOrEqual(errors.length);
  });
});
