// The many-Raft-groups workload of `make bench` (`--only groups`), on 3 nodes:
//   - the aggregate publish rate (1 KiB, `window` in flight in all, one
//     PublishStream producer per node, confirms) to a queue of 1, 3 and 30
//     partitions, beside an ordinary queue (group 0) in the same runs (the
//     shapes take turns within each run, so load from elsewhere on the machine
//     falls on all of them alike);
//   - how evenly the nodes shared the CPU of the 30-partition runs (CPU
//     seconds per server process, cost.ts), and how many groups each leads;
//   - on a second, fresh cluster: CPU% and RSS per node over 10 s idle with no
//     data group, then the time from the first declare to every one of
//     `--idle-groups` groups having a leader (queues of up to 64 partitions,
//     declared 4 at a time), then the same idle figures with those groups, and
//     what one idle group costs.
// Every cluster is tracked from its first process on and destroyed at the
// end of its part, however it ends (clusters.ts, cleanup.ts).

import { readFileSync } from 'node:fs';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import type { LocalCluster } from '../e2e/cluster.js';
import { CostSamples, costBetween, cpuSecondsBetween, snapshot } from './cost.js';
import type { Snapshot } from './cost.js';
import { publishWindowed } from './driver.js';
import type { AppendRun } from './driver.js';
import { balance, partitionPlan, perGroup } from './groups-figures.js';
import { withQueueCluster } from './queues.js';
import type { Report } from './report.js';
import { progress } from './report.js';
import type { BenchOptions, Workload } from './workload.js';

/** Partitions of the publish shapes; 0 is an ordinary queue (group 0), the baseline. */
const SHAPES = [0, 1, 3, 30] as const;
/** The server's most partitions per queue. */
const MAX_PARTITIONS = 64;
/** Queues declared at once while placing the idle groups. */
const DECLARES_AT_ONCE = 4;
/** How long the nodes are watched idle. */
const IDLE_MS = 10_000;
/** Before watching a node idle: what a start or a placement left running (JIT, compactions, handoffs) winds down. */
const SETTLE_MS = 2_000;

const queueName = (partitions: number): string => (partitions ? `bench-groups-p${partitions}` : 'bench-groups-plain');

/** Poll `fn` until it answers a value; on timeout, fail saying what was awaited and what was last seen. */
async function until<T>(what: string, timeoutMs: number, fn: () => Promise<{ done: T } | { seen: string }>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    try {
      const r = await fn();
      if ('done' in r) return r.done;
      seen = r.seen;
    } catch (e) {
      seen = `error: ${(e as Error).message}`;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Wait until `count` data groups exist and each has a leader (cluster status, as a user reads it); returns the last status. */
function allLed(status: BrokerPool, count: number, timeoutMs: number): Promise<ClusterStatusResponse__Output> {
  return until<ClusterStatusResponse__Output>(`${count} data groups, each with a leader`, timeoutMs, async () => {
    const s = await status.call<ClusterStatusResponse__Output>('ClusterStatus', {});
    const led = s.groups.filter((g) => Number(g.leader) !== 0).length;
    return s.groups.length >= count && led === s.groups.length ? { done: s } : { seen: `${s.groups.length} groups, ${led} led` };
  });
}

/**
 * Wait until every data group is led by its preferred leader (a group led
 * elsewhere hands leadership back once that node has caught up): before then
 * leadership still moves, which a steady phase must not see.
 */
function preferredLed(status: BrokerPool, timeoutMs: number): Promise<ClusterStatusResponse__Output> {
  return until<ClusterStatusResponse__Output>('every data group led by its preferred leader', timeoutMs, async () => {
    const s = await status.call<ClusterStatusResponse__Output>('ClusterStatus', {});
    const off = s.groups.filter((g) => Number(g.leader) !== Number(g.preferredLeader)).length;
    return off === 0 ? { done: s } : { seen: `${off} of ${s.groups.length} groups led elsewhere` };
  });
}

/** Node id of each server pid of the cluster. */
function nodeOfPid(cluster: LocalCluster): Map<number, number> {
  const m = new Map<number, number>();
  for (const [id, n] of cluster.nodes) if (n.proc?.pid) m.set(n.proc.pid, id);
  return m;
}

/** CPU seconds per node id between two snapshots. */
function cpuByNode(cluster: LocalCluster, first: Snapshot, last: Snapshot): Map<number, number> {
  const pids = nodeOfPid(cluster);
  const out = new Map<number, number>();
  for (const [pid, s] of cpuSecondsBetween(first, last)) {
    const id = pids.get(pid);
    if (id !== undefined) out.set(id, (out.get(id) ?? 0) + s);
  }
  return out;
}

function rssKiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** One producer per node, `window` publishes in flight in all (dealt over them), until `messages` or `timeMs`. */
async function publishSpread(cluster: LocalCluster, queue: string, o: BenchOptions, messages: number, timeMs: number): Promise<AppendRun> {
  const addrs = [...cluster.nodes.values()].map((n) => n.client);
  const t0 = performance.now();
  const runs = await Promise.all(
    addrs.map((addr, k) => {
      const window = Math.floor(o.window / addrs.length) + (k < o.window % addrs.length ? 1 : 0);
      const share = Math.floor(messages / addrs.length) + (k < messages % addrs.length ? 1 : 0);
      return publishWindowed([addr], queue, { batch: 1, window: Math.max(1, window), size: o.size, messages: share, timeMs, producers: 1 });
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const confirmed = runs.reduce((a, r) => a + r.confirmed, 0);
  const errors = runs.reduce((a, r) => a + r.errors, 0);
  const firstError = runs.find((r) => r.firstError)?.firstError;
  const lat = new Float64Array(runs.reduce((a, r) => a + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) {
    lat.set(r.latencies, at);
    at += r.latencies.length;
  }
  return { rate: confirmed / seconds, confirmed, errors, latencies: lat, seconds, ...(firstError ? { firstError } : {}) };
}

/** Publish rates of the shapes, taking turns in each run, and the CPU balance of the 30-partition runs. */
async function publishPhases(o: BenchOptions, report: Report, cluster: LocalCluster, pool: BrokerPool): Promise<void> {
  const status = cluster.client(undefined, 10_000);
  let groups = 0;
  for (const p of SHAPES) {
    await pool.call('DeclareQueue', { name: queueName(p), settings: {}, partitions: p }, 60_000);
    groups += p;
    if (p) await allLed(status, groups, 60_000);
  }
  // Steady: no leadership still moving to a preferred leader when the runs start (their leader changes must be 0).
  await preferredLed(status, 60_000).catch((e: unknown) => report.note(`groups publish: ${(e as Error).message}; runs made anyway`));
  for (const p of SHAPES) {
    // Warm-up: every node's paths to every partition's leader open, and the JIT has seen them.
    const warm = await publishSpread(cluster, queueName(p), o, 2000, 10_000);
    if (warm.errors) report.note(`groups warm-up ${p} partitions: ${warm.errors} request(s) failed, first: ${warm.firstError}`);
  }
  const rates = new Map<number, number[]>(SHAPES.map((p) => [p, []]));
  const costs = new Map<number, CostSamples>(SHAPES.map((p) => [p, new CostSamples()]));
  const spread: number[] = [];
  const maxOverMin: number[] = [];
  const cpuPerNode = new Map<number, number[]>();
  for (let r = 0; r < o.runs; r++) {
    for (const p of SHAPES) {
      const first = await snapshot(cluster);
      const run = await publishSpread(cluster, queueName(p), o, o.messages, o.phaseMs);
      const last = await snapshot(cluster);
      if (run.errors) report.note(`groups publish ${p} partitions run ${r + 1}: ${run.errors} request(s) failed, first: ${run.firstError}`);
      costs.get(p)!.add(costBetween(first, last, run.confirmed));
      rates.get(p)!.push(run.rate);
      let extra = '';
      if (p === 30) {
        const cpu = cpuByNode(cluster, first, last);
        const b = balance([...cpu.values()]);
        spread.push(b.maxDeviationPct);
        maxOverMin.push(b.maxOverMin);
        for (const [id, s] of cpu) cpuPerNode.set(id, [...(cpuPerNode.get(id) ?? []), s]);
        extra = `; CPU s per node ${[...cpu].map(([id, s]) => `${id}:${s.toFixed(2)}`).join(' ')}, max deviation ${b.maxDeviationPct.toFixed(1)}%`;
      }
      progress(`groups publish ${p || 'no'} partitions run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s (${run.confirmed} confirmed)${extra}`);
      // Emptied, so no run adds to the next one's backlog.
      await pool.call('PurgeQueue', { name: queueName(p) }, 60_000);
    }
  }
  for (const p of SHAPES) {
    const key = p ? `groups_publish_p${p}` : 'groups_publish_plain';
    report.record(key, 'msg/s', rates.get(p)!);
    costs.get(p)!.record(report, key);
  }
  report.record('groups_p30_cpu_deviation', '%', spread);
  report.record('groups_p30_cpu_max_over_min', 'x', maxOverMin);
  for (const [id, s] of [...cpuPerNode].sort((a, b) => a[0] - b[0])) report.record(`groups_p30_cpu_s_n${id}`, 's', s);
  // Who leads the 30 partitions now (leaders dealt round robin: 10 each).
  const s = await status.call<ClusterStatusResponse__Output>('ClusterStatus', {});
  const p30 = s.groups.filter((g) => g.queue === queueName(30));
  for (const m of s.members) report.record(`groups_p30_leading_n${m.id}`, 'groups', [p30.filter((g) => Number(g.leader) === Number(m.id)).length]);
}

/** CPU% (of one core) and RSS of every node over IDLE_MS, by node id. */
async function idleFigures(cluster: LocalCluster): Promise<{ cpuPct: Map<number, number>; rssKiB: Map<number, number> }> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const first = await snapshot(cluster);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const last = await snapshot(cluster);
  const seconds = (performance.now() - t0) / 1000;
  const cpuPct = new Map([...cpuByNode(cluster, first, last)].map(([id, s]) => [id, (s / seconds) * 100]));
  const rss = new Map([...cluster.nodes].map(([id, n]) => [id, rssKiB(n.proc?.pid)]));
  return { cpuPct, rssKiB: rss };
}

/** Idle cost with no data group, then placing `o.idleGroups` groups (timed), then idle cost with them. */
async function idlePhases(o: BenchOptions, report: Report, cluster: LocalCluster, pool: BrokerPool): Promise<void> {
  const n = o.idleGroups;
  const status = cluster.client(undefined, 30_000);
  const before = await idleFigures(cluster);
  progress(`groups idle, 0 data groups: CPU% ${fmt(before.cpuPct)}, RSS KiB ${fmt(before.rssKiB)}`);

  const plan = partitionPlan(n, MAX_PARTITIONS);
  // One bound for declaring and electing them all; generous, since on a loaded machine a group's first election may wait for a busy event loop.
  const boundMs = Math.max(120_000, n * 600);
  const t0 = performance.now();
  const left = (): number => {
    const ms = Math.round(t0 + boundMs - performance.now());
    if (ms <= 0) throw new Error(`placing ${n} groups took longer than ${boundMs} ms (${declared} declared)`);
    return ms;
  };
  let next = 0;
  let declared = 0;
  await Promise.all(
    Array.from({ length: Math.min(DECLARES_AT_ONCE, plan.length) }, async () => {
      while (next < plan.length) {
        const i = next++;
        await pool.call('DeclareQueue', { name: `bench-idle-${i}`, settings: {}, partitions: plan[i] }, left());
        declared += plan[i]!;
        progress(`groups idle: ${declared}/${n} groups declared after ${Math.round(performance.now() - t0)} ms`);
      }
    }),
  );
  const led = await allLed(status, n, left());
  const placeMs = performance.now() - t0;
  progress(`groups idle: ${n} groups placed and led after ${Math.round(placeMs)} ms; leading per node ${led.members.map((m) => `${m.id}:${m.leading}`).join(' ')}`);
  report.record(`groups_place_elect_${n}`, 'ms', [placeMs]);
  // Idle means settled: no leadership still on its way to a preferred leader.
  const settled = await preferredLed(status, 60_000).catch((e: unknown) => {
    report.note(`groups idle: ${(e as Error).message}; idle figures taken anyway`);
    return led;
  });
  for (const m of settled.members) report.record(`groups_idle_leading_n${m.id}`, 'groups', [m.leading]);

  const after = await idleFigures(cluster);
  progress(`groups idle, ${n} data groups: CPU% ${fmt(after.cpuPct)}, RSS KiB ${fmt(after.rssKiB)}`);
  for (const [id] of [...cluster.nodes].sort((a, b) => a[0] - b[0])) {
    report.record(`groups_idle0_cpu_n${id}`, '% of a core', [before.cpuPct.get(id) ?? NaN]);
    report.record(`groups_idle${n}_cpu_n${id}`, '% of a core', [after.cpuPct.get(id) ?? NaN]);
    report.record(`groups_idle0_rss_n${id}`, 'MiB', [(before.rssKiB.get(id) ?? NaN) / 1024]);
    report.record(`groups_idle${n}_rss_n${id}`, 'MiB', [(after.rssKiB.get(id) ?? NaN) / 1024]);
  }
  report.record('groups_idle_cpu_per_group', '% of a core', [perGroup([...before.cpuPct.values()], [...after.cpuPct.values()], n)]);
  report.record('groups_idle_rss_per_group', 'KiB', [perGroup([...before.rssKiB.values()], [...after.rssKiB.values()], n)]);
}

const fmt = (m: Map<number, number>): string =>
  [...m]
    .sort((a, b) => a[0] - b[0])
    .map(([id, v]) => `${id}:${v.toFixed(1)}`)
    .join(' ');

/** The rows of the section, in order (main.ts calls it with the other rows). */
export function groupsRows(o: BenchOptions, report: Report): void {
  const G = 'many Raft groups (3 nodes)';
  report.row({ section: G, label: `publish with confirm, 1 KiB, ${o.window} in flight over 3 producers (one per node): ordinary queue`, metric: 'groups_publish_plain' });
  for (const p of [1, 3, 30]) {
    report.row({
      section: G,
      label: `... to a queue of ${p} partition${p > 1 ? 's' : ''} (vs the ordinary queue)`,
      metric: `groups_publish_p${p}`,
      limit: 'groups_publish_plain',
      goal: p === 1 ? 'no gain expected on 2 shared cores' : 'no gain expected on 2 shared cores (leaders spread; gains need free cores)',
    });
  }
  report.row({ section: G, label: '30 partitions: per-node CPU, max deviation from the mean', metric: 'groups_p30_cpu_deviation', lowerIsBetter: true, goal: '<= 10%' });
  report.row({ section: G, label: '30 partitions: per-node CPU, busiest over idlest', metric: 'groups_p30_cpu_max_over_min', lowerIsBetter: true, goal: '<= 1.1' });
  for (const id of [1, 2, 3]) {
    report.row({ section: G, label: `30 partitions: node ${id} CPU during the runs`, metric: `groups_p30_cpu_s_n${id}` });
    report.row({ section: G, label: `node ${id} leads (of the 30 partitions)`, metric: `groups_p30_leading_n${id}`, goal: '10' });
  }
  const n = o.idleGroups;
  report.row({ section: G, label: `place and elect ${n} groups (first declare -> every group led)`, metric: `groups_place_elect_${n}`, lowerIsBetter: true, goal: 'report' });
  for (const id of [1, 2, 3]) report.row({ section: G, label: `node ${id} leads (of ${n + 1} groups)`, metric: `groups_idle_leading_n${id}` });
  for (const id of [1, 2, 3]) {
    // The ratio is the growth: with the groups over without.
    report.row({ section: G, label: `node ${id} idle CPU with ${n} groups (vs 0 data groups)`, metric: `groups_idle${n}_cpu_n${id}`, limit: `groups_idle0_cpu_n${id}` });
    report.row({ section: G, label: `node ${id} RSS with ${n} groups (vs 0 data groups)`, metric: `groups_idle${n}_rss_n${id}`, limit: `groups_idle0_rss_n${id}` });
  }
  report.row({ section: G, label: 'idle CPU per idle group (per node)', metric: 'groups_idle_cpu_per_group', lowerIsBetter: true, goal: '~0 (quiescent groups)' });
  report.row({ section: G, label: 'RSS per idle group (per node)', metric: 'groups_idle_rss_per_group', lowerIsBetter: true, goal: 'report' });
  const GC = 'many Raft groups: server CPU per message, leader changes';
  for (const p of SHAPES) {
    const key = p ? `groups_publish_p${p}` : 'groups_publish_plain';
    const what = p ? `${p} partition${p > 1 ? 's' : ''}` : 'ordinary queue';
    report.row({ section: GC, label: `${what}: server CPU per msg`, metric: `${key}_server_cpu`, lowerIsBetter: true });
    report.row({ section: GC, label: `${what}: leader changes`, metric: `${key}_leader_changes`, lowerIsBetter: true, goal: '0' });
  }
}

export const groupsWorkload: Workload = {
  name: 'groups',
  describe: (o) =>
    `many Raft groups on fresh 3-node clusters: publish with confirm (${o.size} B, ${o.window} in flight over one producer per node, up to ${o.messages} messages or ${o.phaseMs} ms per run) to an ordinary queue and to queues of 1, 3 and 30 partitions, taking turns; per-node CPU during the 30-partition runs and groups led per node; then on a second cluster: CPU% and RSS per node over ${IDLE_MS / 1000} s idle with 0 and with ${o.idleGroups} data groups, and the time to place and elect them`,
  run: async (o, report) => {
    if (o.nodes !== 3) report.note(`groups: runs on 3 nodes whatever --nodes says (${o.nodes})`);
    const three = { ...o, nodes: 3 };
    await withQueueCluster(three, 'bench-groups', ({ cluster, pool }) => publishPhases(three, report, cluster, pool));
    await withQueueCluster(three, 'bench-groups-idle', ({ cluster, pool }) => idlePhases(three, report, cluster, pool));
  },
};
