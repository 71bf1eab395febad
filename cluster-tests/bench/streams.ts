// The streams workloads of `make bench`, on fresh local clusters of real
// `quorumq server` processes (fsync on, default settings), driven over the
// public Broker API like a user's client. Each is a plug-in (see workload.ts);
// they share one cluster, started by the first that needs it.

import { LocalCluster, waitFor } from '../e2e/cluster.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { destroyAll, destroyCluster } from './cleanup.js';
import { benchCluster } from './clusters.js';
import { CostSamples } from './cost.js';
import { appendAtRate, appendWindowed, closeClients, readRange, subscribeDelays, subscribeRange } from './driver.js';
import type { AppendRun } from './driver.js';
import type { Report } from './report.js';
import { median, percentile, progress } from './report.js';
import { measureRestarts, recordRestarts } from './restart.js';
import type { BenchOptions, Workload } from './workload.js';

const STREAM = 'bench';

interface Shared {
  cluster: LocalCluster;
  pool: BrokerPool;
  leader: number;
  /** Messages appended to STREAM so far (confirmed). */
  appended: number;
}

let shared: Shared | undefined;

/** A fresh cluster with a leader and the stream; tracked from its first process on, and destroyed here if it cannot get that far. */
async function startCluster(o: BenchOptions, n: number, clusterId: string): Promise<{ cluster: LocalCluster; pool: BrokerPool; leader: number }> {
  const cluster = await benchCluster(o, n, clusterId);
  try {
    progress(`starting a ${n}-node cluster in ${cluster.dir}`);
    await cluster.startAll();
    const leader = await cluster.waitForLeader(o.startTimeoutMs);
    const pool = cluster.client(undefined, 10_000);
    await pool.call('DeclareStream', { name: STREAM, settings: {} });
    return { cluster, pool, leader };
  } catch (e) {
    progress(`the ${n}-node cluster in ${cluster.dir} did not come up: stopping it`);
    await destroyCluster(cluster);
    throw e;
  }
}

async function cluster3(o: BenchOptions): Promise<Shared> {
  if (!shared) {
    const c = await startCluster(o, o.nodes, 'bench');
    shared = { ...c, appended: 0 };
  }
  return shared;
}

/** Stop every cluster a phase started (the shared one gracefully first, so a profiled server writes its profile). */
export async function teardown(): Promise<void> {
  closeClients();
  const s = shared;
  shared = undefined;
  if (s) {
    const graceful = Promise.all([...s.cluster.nodes.keys()].map((id) => s.cluster.stopNode(id, 'SIGTERM')));
    // A server that does not stop in time is killed below.
    await Promise.race([graceful, new Promise((r) => setTimeout(r, 20_000).unref())]);
  }
  await destroyAll();
}

function addr(s: Shared, id: number): string {
  return s.cluster.node(id).client;
}

function follower(s: Shared): number {
  return [...s.cluster.nodes.keys()].find((id) => id !== s.leader && s.cluster.running(id))!;
}

async function refreshLeader(s: Shared): Promise<number> {
  s.leader = await s.cluster.waitForLeader(30_000);
  return s.leader;
}

function check(run: AppendRun, what: string, report: Report): void {
  if (run.errors) report.note(`${what}: ${run.errors} request(s) failed, first: ${run.firstError}`);
}

const lat = (run: AppendRun, p: number): number => percentile(run.latencies, p);

// ---- append with confirm ------------------------------------------------------

export const appendWorkload: Workload = {
  name: 'append',
  describe: (o) =>
    `append with confirm to the leader of ${o.nodes} nodes, ${o.size} B messages, up to ${o.messages} messages or ${o.phaseMs} ms per run: 1 in flight; ${o.window} in flight x ${o.producers} producer(s); batches of 16 and 256 messages`,
  async run(o, report) {
    const s = await cluster3(o);
    const leader = [addr(s, s.leader)];
    progress('append: warm-up');
    const warm = await appendWindowed(leader, { stream: STREAM, batch: 1, window: 64, size: o.size, messages: 5000, timeMs: 5000, producers: 1 });
    s.appended += warm.confirmed;
    const shapes = [
      { key: 'w1', batch: 1, window: 1, producers: 1 },
      { key: `w${o.window}`, batch: 1, window: o.window, producers: o.producers },
      { key: 'b16', batch: 16, window: Math.max(2, Math.ceil(o.window / 16)), producers: o.producers },
      { key: 'b256', batch: 256, window: Math.max(2, Math.ceil(o.window / 256)), producers: o.producers },
    ];
    // --variants w256,b256 runs only those shapes (e.g. to profile one); names of other workloads' variants are ignored.
    const picked = shapes.filter((sh) => o.variants.includes(sh.key));
    for (const sh of picked.length ? picked : shapes) {
      const rates: number[] = [];
      const p50: number[] = [];
      const p99: number[] = [];
      const p999: number[] = [];
      const clientCpu: number[] = [];
      const cost = new CostSamples();
      for (let r = 0; r < o.runs; r++) {
        const u0 = process.cpuUsage();
        const run = await cost.measure(
          s.cluster,
          () =>
            appendWindowed(leader, {
              stream: STREAM,
              batch: sh.batch,
              window: sh.window,
              size: o.size,
              messages: o.messages,
              timeMs: o.phaseMs,
              producers: sh.producers,
              onProgress: (n) => progress(`append ${sh.key}: ${n} confirmed`),
            }),
          (run) => run.confirmed,
        );
        s.appended += run.confirmed;
        const u = process.cpuUsage(u0);
        clientCpu.push((u.user + u.system) / Math.max(1, run.confirmed));
        check(run, `append ${sh.key}`, report);
        progress(`append ${sh.key} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s (${run.confirmed} in ${run.seconds.toFixed(1)} s), p50 ${lat(run, 50).toFixed(2)} ms`);
        rates.push(run.rate);
        p50.push(lat(run, 50));
        p99.push(lat(run, 99));
        p999.push(lat(run, 99.9));
      }
      report.record(`stream_append_${sh.key}`, 'msg/s', rates);
      cost.record(report, `stream_append_${sh.key}`, { work: true });
      report.record(`stream_append_${sh.key}_client_cpu`, 'us/msg', clientCpu);
      if (sh.key === 'w1') {
        report.record('stream_append_w1_p50', 'ms', p50);
        report.record('stream_append_w1_p99', 'ms', p99);
        report.record('stream_append_w1_p999', 'ms', p999);
      } else {
        report.record(`stream_append_${sh.key}_p50`, 'ms', p50);
        report.record(`stream_append_${sh.key}_p99`, 'ms', p99);
      }
    }
  },
};

// ---- latency at a fixed offered rate ---------------------------------------------

export const latencyWorkload: Workload = {
  name: 'latency',
  describe: (o) => `append latency at a fixed offered rate of half the measured maximum (${o.window} in flight), 1 message per request, open loop, ${o.phaseMs} ms per run`,
  async run(o, report) {
    const s = await cluster3(o);
    const max = report.value(`stream_append_w${o.window}`);
    const rate = Math.max(100, Math.round((Number.isFinite(max) ? max : 2000) / 2));
    report.note(`latency at a fixed rate: offered ${rate} msg/s (half of ${Number.isFinite(max) ? max : 'an assumed 2000'} msg/s)`);
    const p50: number[] = [];
    const p99: number[] = [];
    const p999: number[] = [];
    const got: number[] = [];
    const cost = new CostSamples();
    for (let r = 0; r < o.runs; r++) {
      const run = await cost.measure(s.cluster, () => appendAtRate(addr(s, s.leader), STREAM, o.size, rate, o.phaseMs), (run) => run.confirmed);
      s.appended += run.confirmed;
      check(run, 'latency at half max', report);
      progress(`latency at ${rate} msg/s run ${r + 1}/${o.runs}: p50 ${lat(run, 50).toFixed(2)} ms, p99 ${lat(run, 99).toFixed(2)} ms`);
      p50.push(lat(run, 50));
      p99.push(lat(run, 99));
      p999.push(lat(run, 99.9));
      got.push(run.rate);
    }
    report.record('stream_append_halfmax_rate', 'msg/s', got);
    report.record('stream_append_halfmax_p50', 'ms', p50);
    report.record('stream_append_halfmax_p99', 'ms', p99);
    report.record('stream_append_halfmax_p999', 'ms', p999);
    cost.record(report, 'stream_append_halfmax');
  },
};

// ---- end-to-end: append → delivery to a subscriber ----------------------------------

export const e2eWorkload: Workload = {
  name: 'e2e',
  describe: (o) => `end-to-end latency: appends to the leader at a steady 1000 msg/s, delivered to a subscriber on a follower (START_NEW), ${o.phaseMs} ms per run`,
  async run(o, report) {
    const s = await cluster3(o);
    const f = follower(s);
    const p50: number[] = [];
    const p99: number[] = [];
    const cost = new CostSamples();
    for (let r = 0; r < o.runs; r++) {
      const sub = subscribeDelays(addr(s, f), STREAM);
      // Until the subscription is in place: append a few and wait for one to arrive.
      await waitFor('the subscription to start', async () => {
        const w = await appendAtRate(addr(s, s.leader), STREAM, o.size, 200, 50, true);
        s.appended += w.confirmed;
        await new Promise((res) => setTimeout(res, 50));
        return sub.delays.length > 0;
      }, 10_000, 1);
      await new Promise((res) => setTimeout(res, 100));
      sub.delays.length = 0;
      const run = await cost.measure(
        s.cluster,
        async () => {
          const run = await appendAtRate(addr(s, s.leader), STREAM, o.size, 1000, o.phaseMs, true);
          await waitFor('deliveries', () => sub.delays.length >= run.confirmed, 10_000).catch(() => undefined);
          return run;
        },
        (run) => run.confirmed,
      );
      s.appended += run.confirmed;
      sub.stop();
      progress(`e2e run ${r + 1}/${o.runs}: ${sub.delays.length} delivered, p50 ${percentile(sub.delays, 50).toFixed(2)} ms, p99 ${percentile(sub.delays, 99).toFixed(2)} ms`);
      p50.push(percentile(sub.delays, 50));
      p99.push(percentile(sub.delays, 99));
    }
    report.record('stream_e2e_p50', 'ms', p50);
    report.record('stream_e2e_p99', 'ms', p99);
    cost.record(report, 'stream_e2e');
  },
};

// ---- recovery -------------------------------------------------------------------------

async function fill(s: Shared, o: BenchOptions, target: number, report: Report): Promise<void> {
  if (s.appended >= target) return;
  progress(`filling the stream to ${target} messages (${s.appended} so far)`);
  const t0 = performance.now();
  const run = await appendWindowed([addr(s, s.leader)], {
    stream: STREAM,
    batch: 256,
    window: 4,
    size: o.size,
    messages: target - s.appended,
    timeMs: 600_000,
    producers: 1,
    onProgress: (n) => progress(`fill: ${s.appended + n}/${target}`),
  });
  s.appended += run.confirmed;
  check(run, 'fill', report);
  progress(`filled ${run.confirmed} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function servesRead(s: Shared, id: number, offset: number): Promise<boolean> {
  const pool = s.cluster.client([id], 1000);
  const r = await pool.call<{ messages: unknown[] }>('Read', { stream: STREAM, fromOffset: offset, maxMessages: 1, consistency: 'LOCAL' });
  return r.messages.length > 0;
}

export const recoveryWorkload: Workload = {
  name: 'recovery',
  describe: (o) => `recovery: a follower killed (SIGKILL) and restarted with a stream of ${o.recoveryMessages} messages of ${o.size} B; time to its ready line and to serving a read of the stream's tail; its resident memory then`,
  async run(o, report) {
    const s = await cluster3(o);
    await fill(s, o, o.recoveryMessages, report);
    const f = follower(s);
    const tail = s.appended - 1;
    const figures = await measureRestarts(s.cluster, f, o.runs, "the stream's tail", () => servesRead(s, f, tail));
    recordRestarts(report, 'stream_recovery', o.recoveryMessages, figures);
  },
};

// ---- read and subscribe, from disk -------------------------------------------------------

export const readWorkload: Workload = {
  name: 'read',
  describe: (o) => `read and subscribe throughput from the leader and from a follower, after every node restarted (the stream is read from disk, not from memory); disjoint ranges of up to ${o.messages} messages per run, ${o.consumers} subscriber(s)`,
  async run(o, report) {
    const s = await cluster3(o);
    const min = Math.max(4 * o.runs * 1000, Math.min(o.messages, 20_000) * 4 * o.runs);
    await fill(s, o, min, report);
    progress('read: restarting every node so nothing is cached');
    for (const id of s.cluster.nodes.keys()) await s.cluster.stopNode(id, 'SIGTERM');
    await Promise.all([...s.cluster.nodes.keys()].map((id) => s.cluster.startNode(id)));
    await refreshLeader(s);
    closeClients();
    const f = follower(s);
    const per = Math.min(o.messages, Math.floor(s.appended / (4 * o.runs)));
    let from = 0;
    const kinds: Array<{ key: string; id: number; sub: boolean }> = [
      { key: 'read_leader', id: s.leader, sub: false },
      { key: 'read_follower', id: f, sub: false },
      { key: 'subscribe_leader', id: s.leader, sub: true },
      { key: 'subscribe_follower', id: f, sub: true },
    ];
    const rates = new Map<string, number[]>(kinds.map((k) => [k.key, []]));
    const costs = new Map<string, CostSamples>(kinds.map((k) => [k.key, new CostSamples()]));
    for (let r = 0; r < o.runs; r++) {
      for (const k of kinds) {
        const { rate } = await costs.get(k.key)!.measure(
          s.cluster,
          async () => {
            if (!k.sub) return readRange(addr(s, k.id), STREAM, from, per, o.phaseMs * 2);
            const each = Math.floor(per / o.consumers);
            const runs = await Promise.all(Array.from({ length: o.consumers }, (_, c) => subscribeRange(addr(s, k.id), STREAM, from + c * each, each, o.phaseMs * 2, 300 + c)));
            return { rate: runs.reduce((a, b) => a + b.rate, 0), messages: runs.reduce((a, b) => a + b.messages, 0) };
          },
          (x) => x.messages,
        );
        from += per;
        progress(`${k.key} run ${r + 1}/${o.runs}: ${Math.round(rate)} msg/s`);
        rates.get(k.key)!.push(rate);
      }
    }
    for (const k of kinds) {
      report.record(`stream_${k.key}`, 'msg/s', rates.get(k.key)!);
      costs.get(k.key)!.record(report, `stream_${k.key}`);
    }
  },
};

// ---- failover ----------------------------------------------------------------------------

async function firstConfirmedAppend(s: Shared, survivors: number[], t0: number): Promise<number> {
  const pool = s.cluster.client(survivors, 300);
  for (;;) {
    try {
      await pool.call('Append', { stream: STREAM, messages: [{ headers: [], body: Buffer.alloc(16) }] });
      return performance.now() - t0;
    } catch {
      if (performance.now() - t0 > 30_000) throw new Error('no confirmed append within 30 s of the failure');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

export const failoverWorkload: Workload = {
  name: 'failover',
  describe: (o) => `failover: from the leader's failure to the first append confirmed through the survivors (1 in flight, retried every 5 ms); ${o.failovers} kills (SIGKILL) and ${o.failovers} partitions (leader frozen with SIGSTOP, so its peers and clients get no answer)`,
  async run(o, report) {
    const s = await cluster3(o);
    for (const kind of ['kill', 'partition'] as const) {
      const ms: number[] = [];
      for (let r = 0; r < o.failovers; r++) {
        const old = await refreshLeader(s);
        // Let heartbeats settle after the previous round.
        await new Promise((res) => setTimeout(res, 500));
        const survivors = [...s.cluster.nodes.keys()].filter((id) => id !== old);
        const proc = s.cluster.node(old).proc!;
        const t0 = performance.now();
        if (kind === 'kill') proc.kill('SIGKILL');
        else proc.kill('SIGSTOP');
        const took = await firstConfirmedAppend(s, survivors, t0);
        ms.push(took);
        progress(`failover (${kind}) ${r + 1}/${o.failovers}: node ${old} down, first confirmed append after ${took.toFixed(0)} ms`);
        if (kind === 'kill') {
          await new Promise<void>((res) => (proc.exitCode !== null || proc.signalCode !== null ? res() : proc.once('exit', () => res())));
          const st = await s.cluster.startNode(old);
          if (st.exitCode !== undefined) throw new Error(`node ${old} did not restart`);
        } else proc.kill('SIGCONT');
        await refreshLeader(s);
      }
      report.record(`stream_failover_${kind}`, 'ms', ms);
    }
    closeClients();
  },
};

// ---- 5 nodes --------------------------------------------------------------------------------

export const fiveNodesWorkload: Workload = {
  name: 'nodes5',
  describe: (o) => `5 nodes: append with confirm at ${o.window} in flight to the leader, ${o.size} B messages, up to ${o.messages} messages or ${o.phaseMs} ms per run`,
  async run(o, report) {
    await teardown();
    const c = await startCluster(o, 5, 'bench5');
    try {
      const leader = [c.cluster.node(c.leader).client];
      await appendWindowed(leader, { stream: STREAM, batch: 1, window: 64, size: o.size, messages: 5000, timeMs: 5000, producers: 1 });
      const rates: number[] = [];
      const cost = new CostSamples();
      for (let r = 0; r < o.runs; r++) {
        const run = await cost.measure(
          c.cluster,
          () => appendWindowed(leader, { stream: STREAM, batch: 1, window: o.window, size: o.size, messages: o.messages, timeMs: o.phaseMs, producers: o.producers }),
          (run) => run.confirmed,
        );
        check(run, '5 nodes', report);
        progress(`5 nodes, ${o.window} in flight, run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s`);
        rates.push(run.rate);
      }
      report.record(`stream_append_5nodes_w${o.window}`, 'msg/s', rates);
      cost.record(report, `stream_append_5nodes_w${o.window}`);
    } finally {
      closeClients();
      await destroyCluster(c.cluster);
    }
  },
};

export { median };
