// The Jepsen-style chaos test: a local cluster (each node on its own loopback
// address and, as root, under its own uid), a workload recording every
// operation into a history, a nemesis mixing faults for a duration, healing,
// a final read from every node, and the checker.
//
//   node dist/cluster-tests/chaos/run.js --nodes 3 --duration 600 --nemesis kill,pause,partition --out .chaos/run1
//
// Prints what the nemesis did and when, then one summary line
//   chaos: <ops> ops, lost=<n> duplicated=<n> unexpected=<n> divergence=<n> order-violations=<n> stale-reads=<n> ...
// writes <out>/results.json and <out>/history.jsonl, and exits 1 on any violation.
// --tls runs every node with TLS on every port (a throwaway CA and a
// certificate per node id, fresh members' included) and --auth with client
// authentication on; the workload's clients then trust that CA and carry the
// first administrator's token, as a user of a secured cluster does.
// Ports 7301/7401/7501 keep it clear of a `make cluster` on 7001/7101/7201.
//
// --workload queue --partitions N declares the queue with N partitions: N
// Raft groups with leaders spread over the nodes, all under the nemesis. The
// run samples every group's leader about once a second (history `leaders`
// events) and prints each group's leaders in turn. --nemesis isolate-one
// (with such a queue) first measures isolation: probe publishers on every
// partition, through the connected nodes, while ONE node (one that leads a
// partition but not group 0) is cut off from its peers for --isolate-ms;
// each partition's longest stretch without a confirmed publish and its share
// of tries served are printed (`isolation: ...`) and written to
// isolation.json; any other kinds listed run after it.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterCtl, ROOT, say, sleep, waitFor } from '../../deploy/chaos/cluster-ctl.js';
import { iptablesProblem, Net } from '../../deploy/chaos/net.js';
import { healAll, powerLossNemesis, runNemesis } from '../../deploy/chaos/nemesis.js';
import { powercutProblem } from '../../deploy/chaos/powercut.js';
import { clockProblem } from '../../deploy/chaos/clock.js';
import { PowercutDisks } from '../../deploy/chaos/powerloss.js';
import type { NemesisCtx } from '../../deploy/chaos/nemesis.js';
import { isolationFigures, isolationLine, leaderChanges, leadersLine } from './groups.js';
import type { IsolationCut, PartitionIsolation } from './groups.js';
import { HistoryWriter, readHistory } from './history.js';
import { QueueWorkload } from './workloads/queue.js';
import { RoutedWorkload } from './workloads/routed.js';
import { StreamAppendWorkload } from './workloads/stream-append.js';
import type { Workload, WorkloadCtx } from './workloads/workload.js';

export interface RunOptions {
  nodes: number;
  durationS: number;
  nemesis: string[];
  out: string;
  seed: number;
  holdMs: [number, number];
  quietMs: [number, number];
  /** Extra server flags (timing). */
  serverArgs: string[];
  keepData: boolean;
  portBase: number;
  /**
   * Turns off the log's directory fsyncs on every node (QUORUMQ_UNSAFE_NO_DIR_SYNC=1):
   * only to show that the power-loss nemeses find what that loses.
   */
  unsafeNoDirSync?: boolean | undefined;
  /** How long the end of the run waits for the cluster to settle and converge (default 120 s). */
  settleMs?: number | undefined;
  /** TLS on every port (--tls all), certificates from a throwaway CA. */
  tls?: boolean | undefined;
  /** Client authentication on (--auth on); the clients use the first administrator's token. */
  auth?: boolean | undefined;
  /** The queue workload's partitions (0: an ordinary queue). */
  partitions?: number | undefined;
  /** How long the isolate-one nemesis cuts its node off (ms). */
  isolateMs?: number | undefined;
}

/** mulberry32: a small seeded PRNG, so a run's fault choices can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function workloadFor(name: string, nodes: number, partitions = 0): Workload {
  if (partitions && name !== 'queue') throw new Error(`--partitions is for the queue workload, not "${name}"`);
  if (name === 'stream-append') return new StreamAppendWorkload({ appenders: nodes + 1, readers: 2, subscribers: 2 });
  if (name === 'queue') return new QueueWorkload({ producers: nodes + 1, consumers: nodes, partitions });
  if (name === 'routed') return new RoutedWorkload({ transformers: nodes });
  throw new Error(`unknown workload "${name}" (known: stream-append, queue, routed)`);
}

function parseArgs(argv: string[]): RunOptions & { workload: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const range = (s: string | undefined, d: [number, number]): [number, number] => {
    if (!s) return d;
    const [a, b] = s.split('-').map((x) => Number(x) * 1000);
    return [a!, b ?? a!];
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const nemesis = (get('nemesis') ?? 'kill,pause,partition').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
  return {
    nodes: Number(get('nodes') ?? 3),
    durationS: Number(get('duration') ?? 60),
    nemesis,
    out: get('out') ?? join(ROOT, '.chaos', `run-${stamp}`),
    seed: Number(get('seed') ?? Date.now() % 1_000_000),
    holdMs: range(get('hold'), [2000, 8000]),
    quietMs: range(get('quiet'), [1000, 4000]),
    serverArgs: (get('server-args') ?? '').split(' ').filter(Boolean),
    keepData: argv.includes('--keep-data'),
    portBase: Number(get('port-base') ?? 7300),
    unsafeNoDirSync: argv.includes('--unsafe-no-dir-sync'),
    tls: argv.includes('--tls'),
    auth: argv.includes('--auth'),
    workload: get('workload') ?? 'stream-append',
    partitions: Number(get('partitions') ?? 0),
    isolateMs: Number(get('isolate-ms') ?? 8000),
  };
}

export async function runChaos(o: RunOptions & { workload: string }): Promise<{ violations: number; summary: string }> {
  mkdirSync(o.out, { recursive: true });
  const rng = prng(o.seed);
  const wantsNet = o.nemesis.some((k) => k.startsWith('partition') || k === 'loss' || k === 'membership' || k === 'isolate-one' || k === 'all');
  let net: Net | undefined;
  // Power loss needs every node's data on powercut-fs (a FUSE mount per node).
  const wantsPower = o.nemesis.some((k) => k.startsWith('power-loss') || k === 'all');
  const powerProblem = wantsPower ? powercutProblem() : undefined;
  if (powerProblem) say(`WARNING: running without power loss: ${powerProblem}`);
  const powercut = wantsPower && !powerProblem;
  // Clock jumps need every node started on a fake wall clock (libfaketime).
  const wantsClock = o.nemesis.some((k) => k.startsWith('clock'));
  const clockTrouble = wantsClock ? clockProblem() : undefined;
  if (clockTrouble) say(`WARNING: running without clock jumps: ${clockTrouble}`);
  const ctl = ClusterCtl.create(join(o.out, 'cluster'), {
    n: o.nodes,
    clusterId: 'chaos',
    clientPort: o.portBase + 1,
    peerPort: o.portBase + 101,
    metricsPort: o.portBase + 201,
    args: o.serverArgs,
    disk: powercut ? 'powercut' : 'plain',
    env: o.unsafeNoDirSync ? { QUORUMQ_UNSAFE_NO_DIR_SYNC: '1' } : undefined,
    tls: o.tls ? 'all' : undefined,
    auth: o.auth,
    fakeClocks: wantsClock && !clockTrouble,
  });
  if (wantsNet) {
    const problem = iptablesProblem();
    if (problem) say(`WARNING: running without partitions and packet loss: ${problem}`);
    else {
      net = new Net(ctl, `QUORUMQ-CHAOS-${o.portBase}`);
      net.setup();
      net.heal();
    }
  }
  const disks = powercut ? await PowercutDisks.mountAll(ctl) : undefined;
  const history = new HistoryWriter(join(o.out, 'history.jsonl'));
  const workload = workloadFor(o.workload, o.nodes, o.partitions ?? 0);
  const wctx: WorkloadCtx = { ctl, history, rng, say, settleMs: o.settleMs };
  // Power loss alone must never keep a node from starting (a damaged disk may).
  const refusals: string[] = [];
  const nctx: NemesisCtx = {
    ctl,
    net,
    disks,
    // Power cuts at a log switch: 24 more writers of 32 KiB messages, many confirms in flight.
    bulkLoad: workload.bulk ? () => workload.bulk!(wctx, 24, 32 * 1024) : undefined,
    rng,
    holdMs: () => o.holdMs[0] + rng() * (o.holdMs[1] - o.holdMs[0]),
    record: (kind, action, detail, majority) => {
      say(`nemesis ${kind} ${action}: ${detail}`);
      history.nemesis(kind, action, detail, majority);
      if (kind.startsWith('power-loss') && action === 'info' && detail.includes('refused to start')) refusals.push(detail);
    },
  };
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    net?.heal();
    net?.teardown();
    for (const s of ctl.slots) ctl.signal(s, 'SIGCONT');
    await ctl.stopAll('SIGKILL').catch(() => undefined);
    await disks?.unmountAll().catch((e: unknown) => say(`unmounting powercut-fs: ${(e as Error).message}`));
    ctl.clocks?.remove();
    ctl.close();
    workload.close?.();
    history.close();
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    say(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`chaos: ${o.nodes} nodes, ${o.durationS} s, nemesis ${o.nemesis.join(',') || 'none'}, workload ${o.workload}${o.partitions ? ` (${o.partitions} partitions)` : ''}, seed ${o.seed}${o.tls ? ', TLS on every port' : ''}${o.auth ? ', client auth on' : ''}, out ${o.out}`);
    const started = await Promise.all(ctl.slots.map((s) => ctl.start(s)));
    started.forEach((r, i) => {
      if (!r.ok) throw new Error(`node ${i + 1} did not start: ${r.error}`);
    });
    const leader = await ctl.waitHealthy(60_000);
    say(`cluster up: ${o.nodes} nodes on ${ctl.slots.map((s) => ctl.client(s)).join(',')}, leader node ${leader}${ctl.user(1) ? ', each node under its own uid (quorumq-n<i>)' : ''}${ctl.launches[1]?.runtime ? `, run from ${ctl.launches[1].runtime} with data in ${ctl.launches[1].dataDir.replace(/\/node1\/data$/, '')} (the clone is out of the node users' reach)` : ''}`);
    await workload.setup(wctx);
    const until = Date.now() + o.durationS * 1000;
    let workloadDone = false;
    const leaders = watchLeaders(ctl, history);
    const w = workload.run(wctx, until).finally(() => (workloadDone = true));
    // The nemesis stops a little before the clients, so the last stretch runs healed.
    const nemesisUntil = until - Math.min(10_000, o.durationS * 100);
    const faults = async (): Promise<void> => {
      // A new cluster that loses power in its first seconds must start again: cut that first.
      if (disks && o.nemesis.some((k) => k === 'power-loss' || k === 'power-loss-fresh' || k === 'all')) {
        await sleep(1500);
        await powerLossNemesis('fresh').run(nctx);
        await healAll(ctl, net);
        if (refusals.length) return;
      }
      const kinds = o.nemesis.filter((k) => k !== 'isolate-one');
      if (kinds.length < o.nemesis.length) {
        isolation = await isolateOne(o, ctl, net, workload, wctx, nctx);
        await healAll(ctl, net);
      }
      // A node that refused to start after a power cut ends the faults: the run reports it.
      if (kinds.length) await runNemesis(nctx, kinds, nemesisUntil, () => o.quietMs[0] + rng() * (o.quietMs[1] - o.quietMs[0]), () => workloadDone || refusals.length > 0);
    };
    let isolation: Isolation | undefined;
    await Promise.all([w, faults()]);
    leaders.stop();
    await healAll(ctl, net);
    const refused = refusals.length ? ` refused-to-start-after-power-loss=${refusals.length}` : '';
    if (refusals.length && !ctl.slots.some((s) => ctl.running(s))) {
      // Nothing left to read from: the refusal is the finding.
      history.close();
      for (const r of refusals) say(`refused: ${r}`);
      const summary = `chaos: no node running at the end${refused}`;
      console.log(summary);
      return { violations: refusals.length, summary };
    }
    say(`healed; waiting for the cluster to settle, then reading the ${o.workload === 'queue' ? 'queue (after draining it)' : o.workload === 'routed' ? 'queues (after draining them)' : 'stream'} from every node`);
    await ctl.waitHealthy(refusals.length ? 15_000 : (o.settleMs ?? 120_000), 0).catch((e) => say(`not fully healthy: ${(e as Error).message}`));
    const final = await workload.finalRead(wctx);
    history.close();
    // What the nodes held at the end, beside the history: the two judge a run again after a checker change.
    writeFileSync(join(o.out, 'final.json'), JSON.stringify(final));
    const events = readHistory(history.file);
    const verdict = workload.judge(events, final);
    const groupLeaders = leaderChanges(events);
    const violations = verdict.violations + refusals.length;
    for (const r of refusals) say(`refused: ${r}`);
    const summary = verdict.summary + refused;
    writeFileSync(join(o.out, 'results.json'), JSON.stringify({ options: o, ...verdict.result, violations, leaders: groupLeaders, ...(isolation ? { isolation } : {}) }, null, 2));
    for (const [k, ex] of Object.entries(verdict.examples)) for (const e of ex) say(`${k}: ${e}`);
    if (groupLeaders.length > 1) console.log(leadersLine(groupLeaders));
    if (isolation) console.log(isolation.line);
    console.log(summary);
    say(`history ${history.file}, results ${join(o.out, 'results.json')}`);
    return { violations, summary };
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!o.keepData) {
      // The nodes' data (kept elsewhere, behind <dir>/node<i>, when the clone is private: deploy/local/node-home.ts).
      for (const s of ctl.slots) if (!ctl.running(s)) ctl.wipe(s);
      rmSync(join(ctl.dir, 'powercut'), { recursive: true, force: true });
    }
  }
}

/** Sample every group's leader (ClusterStatus) about once a second; a change is recorded as a `leaders` event. */
function watchLeaders(ctl: ClusterCtl, history: HistoryWriter): { stop(): void } {
  let last = '';
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const st = await ctl.status().catch(() => undefined);
      if (st && !stopped) {
        const groups: Array<[number, number, number]> = [[0, Number(st.leader), -1], ...st.groups.map((g): [number, number, number] => [g.group, Number(g.leader), g.queue ? g.partition : -1])];
        const k = JSON.stringify(groups);
        if (k !== last) history.write({ type: 'leaders', time: Date.now(), groups });
        last = k;
      }
      await sleep(1000);
    }
  };
  void loop();
  return { stop: () => void (stopped = true) };
}

interface Isolation {
  cut: IsolationCut;
  partitions: PartitionIsolation[];
  line: string;
}

/**
 * The isolate-one measurement: wait for every partition of the workload's
 * queue to have a leader, cut off a node that leads a partition (not group
 * 0's leader when another does, so only data groups fail over), hold it for
 * --isolate-ms while one probe per partition publishes through the connected
 * nodes, heal, and compute each partition's gap (groups.ts).
 */
async function isolateOne(o: RunOptions, ctl: ClusterCtl, net: Net | undefined, workload: Workload, wctx: WorkloadCtx, nctx: NemesisCtx): Promise<Isolation | undefined> {
  const part = workload.partitioned;
  if (!net || !part || !workload.probe) {
    const missing = [...(net ? [] : ['iptables (unavailable)']), ...(part && workload.probe ? [] : ['the queue workload with --partitions'])];
    nctx.record('isolate-one', 'info', `skipped: it needs ${missing.join(' and ')}`);
    return undefined;
  }
  const placed = await waitFor('a leader for every partition', async () => {
    const st = await ctl.status().catch(() => undefined);
    const gs = st?.groups.filter((g) => g.queue === part.queue) ?? [];
    return st && gs.length === part.partitions && gs.every((g) => Number(g.leader)) ? { meta: Number(st.leader), gs } : undefined;
  }, 60_000, 250);
  const leaders = placed.gs.map((g) => Number(g.leader));
  const candidates = [...new Set(leaders)];
  const node = candidates.find((id) => id !== placed.meta) ?? candidates[0]!;
  const slot = ctl.slotOf(node)!;
  const others = ctl.slots.filter((s) => s !== slot);
  const warmMs = 2000;
  const afterMs = 3000;
  const holdMs = o.isolateMs ?? 8000;
  const probes = workload.probe(wctx, others.map((s) => ctl.client(s)), Date.now() + warmMs + holdMs + afterMs);
  await sleep(warmMs);
  const before = net.dropped().packets;
  net.split([slot], others);
  const from = Date.now();
  nctx.record('isolate-one', 'start', `isolated node ${slot} (id ${node}, leader of partition(s) ${placed.gs.filter((g) => Number(g.leader) === node).map((g) => g.partition).join(',')}) from ${others.join(',')}; probes publish through ${others.join(',')}`, true);
  let dropped = 0;
  try {
    await sleep(holdMs);
    dropped = net.dropped().packets - before;
  } finally {
    net.heal();
  }
  const to = Date.now();
  nctx.record('isolate-one', 'stop', `healed; ${dropped} packets dropped`);
  const tries = await probes;
  const cut: IsolationCut = { node, from, to, partitions: placed.gs.map((g) => ({ partition: g.partition, group: g.group, leader: Number(g.leader) })).sort((a, b) => a.partition - b.partition) };
  const figs = isolationFigures(tries, cut);
  const result = { cut, partitions: figs, line: isolationLine(figs, cut) };
  writeFileSync(join(o.out, 'isolation.json'), JSON.stringify(result, null, 2));
  say(result.line);
  return result;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const o = parseArgs(process.argv.slice(2));
  runChaos(o).then(
    (r) => process.exit(r.violations ? 1 : 0),
    (e) => {
      console.error(`chaos: failed: ${(e as Error).stack ?? e}`);
      process.exit(2);
    },
  );
}

export { waitFor };
