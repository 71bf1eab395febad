// What a bench phase cost the servers, per message: CPU time (all server
// processes together), log writes and peer messages, and the leader changes
// any node saw during the phase (an election in a steady-load phase is a
// finding: it must be 0). Read from /proc and from each node's metrics port,
// as an operator would, before and after the phase.
//
// Counters live per process: a node killed during the phase (the failover
// phases) takes its counters with it, and a restarted node starts from 0. So
// every sample is kept per pid, a pid's last sample stands once it is gone
// (call `sample()` just before killing one), and a pid first seen after the
// start counts from 0.

import { readFileSync } from 'node:fs';
import type { LocalCluster } from '../e2e/cluster.js';
import type { Report } from './report.js';

export interface Counters {
  /** CPU seconds (user + system). */
  cpuSeconds: number;
  /** Log writes (synced or not), from quorumq_log_persist_seconds. */
  logWrites: number;
  /** Raft messages sent to peers. */
  peerMessages: number;
  leaderChanges: number;
}

const ZERO: Counters = { cpuSeconds: 0, logWrites: 0, peerMessages: 0, leaderChanges: 0 };
const KEYS = Object.keys(ZERO) as (keyof Counters)[];

/** Counters per server pid. */
export type Snapshot = ReadonlyMap<number, Counters>;

/** Per-message cost of a phase (server CPU in µs), and its leader changes. */
export interface PhaseCost {
  readonly serverCpuUs: number;
  readonly logWrites: number;
  readonly peerMessages: number;
  readonly leaderChanges: number;
}

/** `later` over `earlier`: pids gone from `later` keep their `earlier` sample. */
export function merge(earlier: Snapshot, later: Snapshot): Snapshot {
  const m = new Map(earlier);
  for (const [pid, c] of later) m.set(pid, c);
  return m;
}

/** What every pid used between `first` and `last` (a pid absent from `first` started after it: from 0), per message. */
export function costBetween(first: Snapshot, last: Snapshot, messages: number): PhaseCost {
  const d: Counters = { ...ZERO };
  for (const [pid, c] of last) {
    const b = first.get(pid) ?? ZERO;
    for (const k of KEYS) d[k] += Math.max(0, c[k] - b[k]);
  }
  const per = Math.max(1, messages);
  return { serverCpuUs: (d.cpuSeconds * 1e6) / per, logWrites: d.logWrites / per, peerMessages: d.peerMessages / per, leaderChanges: d.leaderChanges };
}

/** CPU seconds each pid used between `first` and `last` (a pid absent from `first` started after it: from 0). */
export function cpuSecondsBetween(first: Snapshot, last: Snapshot): Map<number, number> {
  const out = new Map<number, number>();
  for (const [pid, c] of last) out.set(pid, Math.max(0, c.cpuSeconds - (first.get(pid)?.cpuSeconds ?? 0)));
  return out;
}

/** CPU seconds (user + system) a process used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Sum of the samples of a metric (every label set) in a Prometheus text page. */
export function metricSum(text: string, name: string): number {
  let v = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) v += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  return v;
}

/** Every running server of the cluster, by pid; a node that does not answer its metrics port is left out. */
export async function snapshot(c: LocalCluster): Promise<Snapshot> {
  const out = new Map<number, Counters>();
  await Promise.all(
    [...c.nodes.values()].map(async (n) => {
      const pid = n.proc?.pid;
      if (!pid || n.proc!.exitCode !== null || n.proc!.signalCode !== null) return;
      let text: string;
      try {
        text = await (await fetch(`http://${n.metrics}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
      } catch {
        return;
      }
      const cpu = cpuSeconds(pid);
      if (!Number.isFinite(cpu)) return;
      out.set(pid, {
        cpuSeconds: cpu,
        logWrites: metricSum(text, 'quorumq_log_persist_seconds_count'),
        peerMessages: metricSum(text, 'quorumq_transport_messages_sent'),
        leaderChanges: metricSum(text, 'quorumq_raft_leader_changes_total'),
      });
    }),
  );
  return out;
}

/** Measures one run of a phase: `start`, the run (with `sample()` before any node is killed), `stop(messages)`. */
export class CostMeter {
  private constructor(
    private readonly cluster: LocalCluster,
    private readonly first: Snapshot,
    private last: Snapshot,
  ) {}

  static async start(cluster: LocalCluster): Promise<CostMeter> {
    const s = await snapshot(cluster);
    return new CostMeter(cluster, s, s);
  }

  /** Take a sample now (before a node is killed, so what it used so far counts). */
  async sample(): Promise<void> {
    this.last = merge(this.last, await snapshot(this.cluster));
  }

  async stop(messages: number): Promise<PhaseCost> {
    await this.sample();
    return costBetween(this.first, this.last, messages);
  }
}

/** The per-run costs of one phase, recorded beside its figures as `<prefix>_server_cpu`, `_leader_changes` (and, asked, `_log_writes`, `_peer_msgs`). */
export class CostSamples {
  private readonly runs: PhaseCost[] = [];

  add(c: PhaseCost): void {
    this.runs.push(c);
  }

  /** `start` a meter, run `fn` (which returns the messages it moved), add the cost; returns what `fn` returned. */
  async measure<T>(cluster: LocalCluster, fn: (meter: CostMeter) => Promise<T>, messages: (t: T) => number): Promise<T> {
    const meter = await CostMeter.start(cluster);
    const t = await fn(meter);
    this.add(await meter.stop(messages(t)));
    return t;
  }

  record(report: Report, prefix: string, o: { work?: boolean } = {}): void {
    // CPU time per message, all servers together (steadier than rates when others load the machine).
    report.record(`${prefix}_server_cpu`, 'us/msg', this.runs.map((c) => c.serverCpuUs));
    if (o.work) {
      // Work per message that does not depend on how loaded the machine is, all nodes together.
      report.record(`${prefix}_log_writes`, 'writes/msg', this.runs.map((c) => c.logWrites));
      report.record(`${prefix}_peer_msgs`, 'msgs/msg', this.runs.map((c) => c.peerMessages));
    }
    // Leader changes seen by any node during the run: must be 0 where nothing is killed.
    report.record(`${prefix}_leader_changes`, 'changes', this.runs.map((c) => c.leaderChanges));
  }
}
