// One simulated run of the production host: a cluster of 3 or 5 ReplicaHosts
// with the real machines (host-node.ts), the network, the nemesis and the
// clients (host-workload.ts) on one virtual clock, all drawn from one seed,
// with the core's invariants (checkers.ts) and the machine's
// (machine-checks.ts). Same phases as the core simulation (cluster.ts): a
// safety phase of `steps` events with faults, then a liveness phase that
// heals everything and must converge within a tick budget; then the end
// checks read every confirmed append back on every member and replay.
//
// Determinism: every deferral of the host is an event of the scheduler, and
// after each event the run waits one macrotask turn, so every promise job the
// event started (the host's awaits on the log, the clients' continuations)
// settles before the next event. Nothing else schedules macrotasks, so a seed
// replays event for event; the trace hash shows it.

import type { Config } from '../../raft/core/config.js';
import type { Entry, Message, NodeId } from '../../raft/core/types.js';
import { CHAIN_ORIGIN } from './app.js';
import type { Violation } from './checkers.js';
import { Checker } from './checkers.js';
import type { FaultProfile } from './faults.js';
import { CHAOS_FAULTS, DEFAULT_FAULTS, Nemesis } from './faults.js';
import type { CallKind, HostSettings } from './host-node.js';
import { HostNode } from './host-node.js';
import type { HostWorkloadProfile, HostWorkloadStats } from './host-workload.js';
import { HostWorkload, streamsFor } from './host-workload.js';
import type { QueueWorkloadStats } from './queue-workload.js';
import { MachineChecks } from './machine-checks.js';
import type { DiskTiming } from './disk.js';
import { CALM, Network } from './network.js';
import { Rng } from './prng.js';
import { Scheduler } from './scheduler.js';

export interface HostRunOptions {
  readonly seed: number;
  readonly nodes?: number;
  /** Events in the safety phase (default DEFAULT_HOST_STEPS). */
  readonly steps?: number;
  readonly profile?: 'default' | 'chaos';
  /** The core's unsafe switches. */
  readonly unsafe?: Config['unsafe'];
  /** The host's planted bugs (see ReplicaHostOptions.unsafe). */
  readonly hostUnsafe?: HostSettings['unsafe'];
  readonly checkPromises?: boolean;
  readonly livenessTicks?: number;
  readonly trace?: (line: string) => void;
}

export interface HostRunStats {
  time: number;
  terms: number;
  faults: number;
  crashes: number;
  readies: number;
  net: Network['stats'];
  workload: HostWorkloadStats;
  maxCommitted: number;
  livenessTicks: number;
  claims: number;
  appendsRead: number;
  /** Confirmed appends that retention had dropped by the end (not read back). */
  appendsDropped: number;
  /** Confirmed queue messages found held by the queues at the end (per member), and found gone after an ack. */
  queueMessagesHeld: number;
  queueMessagesAcked: number;
  queue: QueueWorkloadStats;
  snapshots: number;
  checkpoints: number;
  /** Machine states restored at a restart, and snapshots installed from a leader. */
  restarts: number;
  installs: number;
  /** Entries sent along with snapshots (the sparse part below them), and kept below the first index at the end (all nodes). */
  sparseSent: number;
  sparseKept: number;
}

export interface HostRunResult {
  readonly seed: number;
  readonly nodes: number;
  readonly steps: number;
  readonly violations: readonly Violation[];
  readonly traceHash: number;
  readonly settings: string;
  readonly stats: HostRunStats;
}

export const DEFAULT_HOST_STEPS = 20000;
const TICK = 10;
const MARKERS = 3;
const SAMPLE_EVERY = 8;

type SimEvent =
  | { readonly k: 'call'; readonly id: NodeId; readonly inc: number; readonly what: CallKind; readonly fn: () => void }
  | { readonly k: 'deliver'; readonly m: Message; readonly inc: number }
  | { readonly k: 'restart'; readonly id: NodeId }
  | { readonly k: 'crash'; readonly id: NodeId; readonly inc: number }
  | { readonly k: 'nemesis' }
  | { readonly k: 'heal'; readonly gen: number }
  | { readonly k: 'client' }
  | { readonly k: 'snap-report'; readonly id: NodeId; readonly inc: number; readonly to: NodeId; readonly ok: boolean }
  | { readonly k: 'unreachable'; readonly id: NodeId; readonly inc: number; readonly to: NodeId };

const KIND_CODE: Record<SimEvent['k'], number> = { call: 1, deliver: 2, restart: 4, nemesis: 5, heal: 6, client: 7, 'snap-report': 8, unreachable: 9, crash: 10 };
const CALL_CODE: Record<CallKind, number> = { tick: 1, defer: 2, timer: 3, disk: 4 };
const MSG_CODE: Record<Message['type'], number> = {
  vote: 1,
  'vote-resp': 2,
  app: 3,
  'app-resp': 4,
  heartbeat: 5,
  'heartbeat-resp': 6,
  snap: 7,
  'timeout-now': 8,
  'read-index': 9,
  'read-index-resp': 10,
  'transfer-leader': 11,
};

interface Params {
  nodes: number;
  host: HostSettings;
  disk: DiskTiming;
  faults: FaultProfile;
  workload: HostWorkloadProfile;
  tickPeriods: number[];
  catchUpTicksPerEntry: number;
  electionTicks: number;
  desc: string;
}

function chooseParams(root: Rng, opts: HostRunOptions): Params {
  const r = root.fork('params');
  const chaos = opts.profile === 'chaos';
  const nodes = opts.nodes ?? (r.chance(0.5) ? 3 : 5);
  const electionTicks = r.pick([6, 10, 10, 20]);
  const heartbeatTicks = r.pick([1, 2, 3]);
  const maxSizePerMsg = chaos ? r.pick([1, 256]) : r.pick([1, 512, 1 << 20]);
  const maxInflightMsgs = r.pick([1, 4, 64]);
  const maxUncommittedSize = r.pick([4096, 65536, 256 << 20]);
  const snapshotEvery = r.pick([4, 8, 16, 1_000_000]);
  const compactKeep = r.range(0, 8);
  const checkpointEvery = r.pick([4, 16, 64]);
  const checkpointBytes = r.pick([1024, 64 << 20]);
  const persistMax = chaos ? r.pick([10, 40, 80]) : r.pick([2, 8, 30]);
  const host: HostSettings = {
    tickMs: TICK,
    electionTicks,
    heartbeatTicks,
    snapshotEvery,
    compactKeep,
    checkpointEvery,
    checkpointBytes,
    core: { maxSizePerMsg, maxInflightMsgs, maxUncommittedSize, ...(opts.unsafe ? { unsafe: opts.unsafe } : {}) },
    ...(opts.hostUnsafe ? { unsafe: opts.hostUnsafe } : {}),
  };
  const disk: DiskTiming = { syncDelay: [1, persistMax], stallRate: 0.01, stallMax: 400, tornWriteRate: 0.3 };
  const maxBody = chaos ? r.pick([8, 64]) : r.pick([8, 64, 400]);
  const unlimited = r.chance(0.3);
  const streams = streamsFor(unlimited);
  const workload: HostWorkloadProfile = chaos
    ? { meanInterval: r.pick([5, 10]), append: 30, multi: 8, kv: 4, declare: 3, proposeAnywhere: 2, read: 8, confChange: 2, transfer: 6, campaign: 6, time: 3, queue: 10, maxBody, streams }
    : { meanInterval: r.pick([6, 15, 40]), append: 35, multi: 10, kv: 6, declare: 3, proposeAnywhere: 4, read: 15, confChange: 4, transfer: 3, campaign: 2, time: 3, queue: 12, maxBody, streams };
  const skew = r.chance(0.3);
  const tickPeriods: number[] = [];
  for (let i = 0; i < 16; i++) tickPeriods.push(skew ? r.range(TICK - 1, TICK + 1) : TICK);
  const rttTicks = Math.ceil((2 * CALM.maxDelay + persistMax + 2) / TICK);
  const entryBytes = 13 + 4 * (40 + 4 * maxBody) + 24;
  const entriesPerMsg = Math.max(1, Math.floor(maxSizePerMsg / entryBytes));
  const desc =
    `host nodes=${nodes} election=${electionTicks} hb=${heartbeatTicks} maxMsg=${maxSizePerMsg} inflight=${maxInflightMsgs} uncommitted<=${maxUncommittedSize} ` +
    `snapEvery=${snapshotEvery} keep=${compactKeep} checkpointEvery=${checkpointEvery} checkpointBytes=${checkpointBytes} persist<=${persistMax} ` +
    `client=${workload.meanInterval} body<=${maxBody} unlimitedStream=${unlimited} skew=${skew}` +
    (chaos ? ' profile=chaos' : '') +
    (opts.unsafe ? ` unsafe=${JSON.stringify(opts.unsafe)}` : '') +
    (opts.hostUnsafe ? ` hostUnsafe=${JSON.stringify(opts.hostUnsafe)}` : '');
  return { nodes, host, disk, faults: chaos ? CHAOS_FAULTS : DEFAULT_FAULTS, workload, tickPeriods, catchUpTicksPerEntry: rttTicks / entriesPerMsg, electionTicks, desc };
}

export function runHostSeed(opts: HostRunOptions): Promise<HostRunResult> {
  return new HostSimulation(opts).run();
}

/** Let every promise job started by the event just run settle (one macrotask turn). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class HostSimulation {
  readonly checker: Checker;
  readonly machines: MachineChecks;
  readonly trace: ((line: string) => void) | undefined;
  private readonly root: Rng;
  private readonly params: Params;
  private readonly sched = new Scheduler<SimEvent>();
  private readonly net: Network;
  private readonly nemesis: Nemesis<HostNode>;
  private readonly workload: HostWorkload;
  private readonly nodeMap = new Map<NodeId, HostNode>();
  /** The entries each snapshot message in flight carries. */
  private readonly attached = new WeakMap<Message, readonly Entry[]>();
  private sparseSent = 0;
  private nodeList: HostNode[] = [];
  private readonly maxId: number;
  private readonly netRng: Rng;
  private phase: 'safety' | 'liveness' = 'safety';
  private livenessStart = 0;
  private steps = 0;
  private hash = 0x12345678;
  private crashes = 0;
  private touched: HostNode | undefined;
  private touchedAll = false;

  constructor(private readonly opts: HostRunOptions) {
    this.root = Rng.seeded(opts.seed);
    this.params = chooseParams(this.root, opts);
    this.trace = opts.trace ? (line: string) => opts.trace!(`[t=${this.sched.now()} #${this.steps}] ${line}`) : undefined;
    // Snapshots hold machine state: the chain value at a snapshot's index is the committed log's.
    this.checker = new Checker(opts.seed, {
      promises: opts.checkPromises ?? true,
      snapshotHash: (s) => (s.meta.index === 0 ? CHAIN_ORIGIN : this.checker.canonAt(s.meta.index)?.hash),
    });
    this.machines = new MachineChecks(this.checker, SAMPLE_EVERY);
    this.netRng = this.root.fork('net');
    this.net = new Network(this.root.fork('net-fate'), CALM);
    const n = this.params.nodes;
    this.maxId = n + 2;
    const sim = this;
    this.nemesis = new Nemesis<HostNode>(this.root.fork('nemesis'), this.params.faults, this.net, {
      nodes: () => sim.nodeList,
      leader: () => sim.leader(),
      crash: (node) => sim.crash(node),
      restartLater: (node, delay) => sim.sched.after(delay, { k: 'restart', id: node.id }),
      crashLater: (node, inc, delay) => sim.sched.after(delay, { k: 'crash', id: node.id, inc }),
      pause: (node, duration) => {
        node.pausedUntil = Math.max(node.pausedUntil, sim.sched.now() + duration);
        sim.trace?.(`nemesis: n${node.id} pauses until t=${node.pausedUntil}`);
      },
      healLater: (gen, delay) => sim.sched.after(delay, { k: 'heal', gen }),
      trace: this.trace,
    });
    this.workload = new HostWorkload(this.root.fork('workload'), this.params.workload, {
      checker: this.checker,
      nodes: () => sim.nodeList,
      leader: () => sim.leader(),
      addFreshNode: () => sim.addFreshNode(),
      maxMembers: n + 1,
      minVoters: n === 3 ? 2 : 3,
      now: () => sim.sched.now(),
      trace: this.trace,
      unexpected: (node, what, e) => {
        const err = e as Error;
        sim.checker.fail('host-exception', node, `${what} on node ${node} failed with ${err?.name}: ${err?.message}${stackTop(err)}`);
      },
    });
  }

  // ---- what nodes need ----------------------------------------------------------

  private env = {
    checker: undefined as unknown as Checker,
    machines: undefined as unknown as MachineChecks,
    now: (): number => this.sched.now(),
    call: (node: HostNode, inc: number, delay: number, what: CallKind, fn: () => void): void => {
      this.sched.after(delay, { k: 'call', id: node.id, inc, what, fn });
    },
    send: (from: HostNode, m: Message, attached?: readonly Entry[]): void => {
      if (attached) {
        this.attached.set(m, attached);
        this.sparseSent += attached.length;
      }
      this.send(from, m);
    },
    becameLeader: (node: HostNode): void => {
      if (this.phase === 'safety') this.nemesis.newLeader(node);
    },
    hostFailed: (node: HostNode, e: Error): void => {
      this.checker.fail('host-exception', node.id, `node ${node.id}'s host stopped: ${e.name}: ${e.message}${stackTop(e)}`);
    },
    trace: undefined as ((line: string) => void) | undefined,
  };

  private send(from: HostNode, m: Message): void {
    const times = this.net.send(from.id, m.to, this.sched.now());
    for (const t of times) this.sched.at(t, { k: 'deliver', m, inc: from.incarnation });
    if (times.length === 0) {
      if (m.type === 'snap') this.sched.after(1, { k: 'snap-report', id: from.id, inc: from.incarnation, to: m.to, ok: false });
      else if (m.type === 'app' && this.net.isBlocked(from.id, m.to) && this.netRng.chance(0.1)) {
        this.sched.after(1, { k: 'unreachable', id: from.id, inc: from.incarnation, to: m.to });
      }
    }
  }

  private createNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): HostNode {
    this.env.checker = this.checker;
    this.env.machines = this.machines;
    this.env.trace = this.trace;
    const period = this.params.tickPeriods[id % this.params.tickPeriods.length]!;
    const node = new HostNode(
      id,
      bootstrap ? { voters: bootstrap, learners: [] } : undefined,
      this.params.host,
      this.env,
      this.root.fork(`node/${id}`),
      this.params.disk,
      period,
    );
    this.nodeMap.set(id, node);
    this.nodeList.push(node);
    this.boot(node);
    return node;
  }

  private boot(node: HostNode): void {
    node.start();
    const log = node.log!;
    this.trace?.(`n${node.id} starts (incarnation ${node.incarnation}, snapshot ${log.snapshot().meta.index}, checkpoint ${log.checkpoint()?.index ?? 0}, log ${log.firstIndex()}..${log.lastIndex()}, hs ${JSON.stringify(log.initialState().hardState)})`);
  }

  private addFreshNode(): HostNode | undefined {
    const id = this.nodeList.length + 1;
    if (id > this.maxId) return undefined;
    return this.createNode(id, undefined);
  }

  private crash(node: HostNode): void {
    if (!node.alive) return;
    const r = node.crash();
    this.crashes++;
    this.workload.forget(node);
    this.trace?.(`nemesis: n${node.id} crashes (${r.kept} unsynced write(s) kept, ${r.lost} lost${r.torn ? ', the next one torn' : ''})`);
  }

  leader(): HostNode | undefined {
    let best: HostNode | undefined;
    let bestTerm = -1;
    const now = this.sched.now();
    for (const n of this.nodeList) {
      if (!n.alive || n.pausedUntil > now) continue;
      const st = n.host!.status();
      if (st.role === 'leader' && st.term > bestTerm) {
        best = n;
        bestTerm = st.term;
      }
    }
    return best;
  }

  // ---- the run ----------------------------------------------------------------

  async run(): Promise<HostRunResult> {
    const n = this.params.nodes;
    const ids: NodeId[] = [];
    for (let i = 1; i <= n; i++) ids.push(i);
    this.trace?.(`seed ${this.opts.seed}: ${this.params.desc}`);
    for (const id of ids) this.createNode(id, ids);
    await settle();
    this.sched.after(this.nemesis.nextDelay(), { k: 'nemesis' });
    this.sched.after(this.workload.nextDelay(), { k: 'client' });

    const safetySteps = this.opts.steps ?? DEFAULT_HOST_STEPS;
    const livenessTicks = this.opts.livenessTicks ?? 300;
    let deadline = Infinity;
    let budget = 0;
    let livenessUsed = 0;
    for (;;) {
      const ev = this.sched.pop();
      if (!ev) break;
      this.steps++;
      this.checker.step = this.steps;
      this.checker.time = this.sched.now();
      this.fold(ev);
      this.touched = undefined;
      this.touchedAll = false;
      try {
        this.dispatch(ev);
      } catch (e) {
        const id = 'id' in ev ? ev.id : ev.k === 'deliver' ? ev.m.to : 0;
        const err = e as Error;
        this.checker.fail('core-exception', id, `${err.name}: ${err.message} (while handling ${describeEvent(ev)})${stackTop(err)}`);
      }
      await settle();
      this.checkTouched();
      if (this.checker.failed) break;
      if (this.phase === 'safety' && this.steps >= safetySteps) {
        const backlog = this.startLiveness();
        budget = livenessTicks + Math.ceil(backlog * this.params.catchUpTicksPerEntry);
        deadline = this.sched.now() + budget * TICK;
        this.trace?.(`liveness: backlog ${backlog} entries, budget ${budget} ticks`);
      } else if (this.phase === 'liveness') {
        if (ev.k === 'client' && this.converged()) {
          livenessUsed = Math.ceil((this.sched.now() - this.livenessStart) / TICK);
          this.trace?.(`liveness: converged after ${livenessUsed} ticks`);
          await this.endChecks();
          break;
        }
        if (this.sched.now() > deadline) {
          livenessUsed = budget;
          this.checker.fail('liveness', 0, `no convergence ${budget} ticks after faults stopped: ${this.describeState()}`);
          break;
        }
      }
    }
    let snapshots = 0;
    let checkpoints = 0;
    let restarts = 0;
    let installs = 0;
    for (const node of this.nodeList) {
      snapshots += node.disk.snapshotsWritten;
      checkpoints += node.disk.checkpointsWritten;
      restarts += node.restoredAtStart;
      installs += node.installed;
    }
    return {
      seed: this.opts.seed,
      nodes: n,
      steps: this.steps,
      violations: this.checker.violations,
      traceHash: this.hash >>> 0,
      settings: this.params.desc,
      stats: {
        time: this.sched.now(),
        terms: this.checker.leaderTerms(),
        faults: this.nemesis.faults,
        crashes: this.crashes,
        readies: this.nodeList.reduce((a, x) => a + x.readies, 0),
        net: this.net.stats,
        workload: this.workload.stats,
        maxCommitted: this.checker.maxCanon,
        livenessTicks: livenessUsed,
        claims: this.machines.claimsMade,
        appendsRead: this.machines.appendsRead,
        appendsDropped: this.machines.appendsDropped,
        queueMessagesHeld: this.machines.queueMessagesHeld,
        queueMessagesAcked: this.machines.queueMessagesAcked,
        queue: this.workload.queues.stats,
        snapshots,
        checkpoints,
        restarts,
        installs,
        sparseSent: this.sparseSent,
        sparseKept: this.nodeList.reduce((a, x) => a + (x.log?.sparseIndexes().length ?? 0), 0),
      },
    };
  }

  /** After convergence: the committed log is whole, and every member serves and replays what it must. */
  private async endChecks(): Promise<void> {
    const leader = this.leader()!;
    this.checker.finalCheck(leader.id);
    const conf = leader.host!.status().conf;
    for (const id of [...conf.voters, ...conf.learners]) this.nodeMap.get(id)!.catchUpApplied();
    for (const id of [...conf.voters, ...conf.learners]) {
      const node = this.nodeMap.get(id)!;
      const member = { id, registry: node.registry!, log: node.log!, applied: node.host!.applied };
      this.machines.restoreAndReplay(member);
      await this.machines.readBack(member, this.workload.confirmed);
      this.machines.checkQueues(member, this.workload.queues);
      if (this.checker.failed) return;
    }
    this.machines.replayFromStart();
  }

  private fold(ev: SimEvent): void {
    let h = this.hash;
    h = Math.imul(h ^ this.sched.now(), 0x01000193);
    h = Math.imul(h ^ KIND_CODE[ev.k], 0x01000193);
    if (ev.k === 'deliver') {
      const m = ev.m;
      h = Math.imul(h ^ (m.from * 64 + m.to), 0x01000193);
      h = Math.imul(h ^ MSG_CODE[m.type], 0x01000193);
      h = Math.imul(h ^ m.term, 0x01000193);
      if (m.type === 'app') h = Math.imul(h ^ (m.prevIndex * 31 + m.entries.length), 0x01000193);
    } else if (ev.k === 'call') {
      h = Math.imul(h ^ (ev.id * 8 + CALL_CODE[ev.what]), 0x01000193);
    } else if ('id' in ev) {
      h = Math.imul(h ^ ev.id, 0x01000193);
    }
    this.hash = h;
  }

  /** A frozen process handles nothing: its input and its own timers wait until it wakes. */
  private deferred(ev: SimEvent): boolean {
    let id: NodeId;
    if (ev.k === 'deliver') id = ev.m.to;
    else if (ev.k === 'call' || ev.k === 'snap-report' || ev.k === 'unreachable') id = ev.id;
    else return false;
    const node = this.nodeMap.get(id);
    if (!node || node.pausedUntil <= this.sched.now()) return false;
    this.sched.at(node.pausedUntil, ev);
    return true;
  }

  private dispatch(ev: SimEvent): void {
    if (this.deferred(ev)) return;
    switch (ev.k) {
      case 'call': {
        const node = this.nodeMap.get(ev.id)!;
        if (!node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        ev.fn();
        return;
      }
      case 'deliver': {
        const m = ev.m;
        const node = this.nodeMap.get(m.to);
        const arrives = node !== undefined && node.alive && this.net.arrives(m.from, m.to);
        if (m.type === 'snap') this.sched.after(1, { k: 'snap-report', id: m.from, inc: ev.inc, to: m.to, ok: arrives });
        if (!arrives) {
          this.trace?.(`lost ${describeMsg(m)} (${node?.alive ? 'link cut' : 'receiver down'})`);
          return;
        }
        this.trace?.(`deliver ${describeMsg(m)}`);
        this.touched = node;
        if (m.type === 'snap') node.receiveSnapshot(m, this.attached.get(m) ?? []);
        else node.host!.step(m);
        return;
      }
      case 'restart': {
        const node = this.nodeMap.get(ev.id)!;
        if (node.alive) return;
        this.boot(node);
        this.touched = node;
        return;
      }
      case 'crash': {
        const node = this.nodeMap.get(ev.id)!;
        if (this.phase !== 'safety' || !node.alive || node.incarnation !== ev.inc) return;
        this.trace?.(`nemesis: leader churn`);
        this.nemesis.crashNow(node);
        return;
      }
      case 'nemesis':
        if (this.phase !== 'safety') return;
        this.nemesis.act();
        this.sched.after(this.nemesis.nextDelay(), { k: 'nemesis' });
        return;
      case 'heal':
        if (this.phase === 'safety') this.nemesis.heal(ev.gen);
        return;
      case 'client':
        this.touchedAll = true;
        if (this.phase === 'safety') {
          this.workload.act();
          this.sched.after(this.workload.nextDelay(), { k: 'client' });
        } else {
          this.workload.livenessStep(3 * this.params.electionTicks * TICK);
          this.sched.after(TICK, { k: 'client' });
        }
        return;
      case 'snap-report': {
        const node = this.nodeMap.get(ev.id);
        if (!node || !node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        node.host!.reportSnapshot(ev.to, ev.ok);
        return;
      }
      case 'unreachable': {
        const node = this.nodeMap.get(ev.id);
        if (!node || !node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        node.host!.reportUnreachable(ev.to);
        return;
      }
    }
  }

  private checkTouched(): void {
    if (this.touchedAll) {
      for (const n of this.nodeList) if (n.alive) this.checker.onStatus(n.id, n.incarnation, n.host!.status());
    } else if (this.touched && this.touched.alive) {
      const n = this.touched;
      this.checker.onStatus(n.id, n.incarnation, n.host!.status());
    }
  }

  private startLiveness(): number {
    this.phase = 'liveness';
    this.livenessStart = this.sched.now();
    this.trace?.(`liveness: faults stop; healing everything at step ${this.steps}`);
    this.nemesis.calm();
    const now = this.sched.now();
    for (const n of this.nodeList) {
      if (!n.alive) this.boot(n);
      n.pausedUntil = Math.min(n.pausedUntil, now);
      n.disk.stalls = false;
    }
    this.workload.startLiveness(MARKERS);
    let last = 0;
    let applied = Infinity;
    for (const n of this.nodeList) {
      last = Math.max(last, n.host!.status().lastIndex);
      applied = Math.min(applied, n.host!.applied);
    }
    return Math.max(0, last - applied);
  }

  private converged(): boolean {
    const target = this.workload.markersDone();
    if (target === undefined) return false;
    const leader = this.leader();
    if (!leader) return false;
    const st = leader.host!.status();
    if (st.commit < this.checker.maxCanon) return false;
    for (const id of [...st.conf.voters, ...st.conf.learners]) {
      const node = this.nodeMap.get(id);
      if (!node || !node.alive || node.host!.applied < target) return false;
    }
    return true;
  }

  private describeState(): string {
    const leader = this.leader();
    const parts = [`leader ${leader ? `n${leader.id}` : 'none'}`, `markers confirmed ${this.workload.markersConfirmed()}/${MARKERS}`];
    if (leader) {
      const c = leader.host!.status().conf;
      parts.push(`conf voters=[${c.voters.join(',')}] learners=[${c.learners.join(',')}]`);
    }
    for (const n of this.nodeList) {
      if (!n.alive) {
        parts.push(`n${n.id} down`);
        continue;
      }
      const st = n.host!.status();
      parts.push(`n${n.id} ${st.role} term=${st.term} lead=${st.leader} commit=${st.commit} applied=${n.host!.applied} last=${st.lastIndex}`);
    }
    return parts.join('; ');
  }
}

function describeMsg(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
  switch (m.type) {
    case 'app':
      return `${head} prev=${m.prevTerm}/${m.prevIndex} n=${m.entries.length} commit=${m.commit}`;
    case 'app-resp':
      return `${head} index=${m.index}${m.reject ? ` reject hint=${m.hintTerm}/${m.hintIndex}` : ''}`;
    case 'vote':
      return `${head}${m.preVote ? ' pre' : ''} last=${m.lastTerm}/${m.lastIndex}${m.transfer ? ' transfer' : ''}`;
    case 'vote-resp':
      return `${head}${m.preVote ? ' pre' : ''}${m.reject ? ' reject' : ' grant'}`;
    case 'heartbeat':
      return `${head} commit=${m.commit}`;
    case 'snap':
      return `${head} snap=${m.snapshot.meta.term}/${m.snapshot.meta.index}`;
    default:
      return head;
  }
}

function describeEvent(ev: SimEvent): string {
  switch (ev.k) {
    case 'deliver':
      return `deliver ${describeMsg(ev.m)}`;
    case 'call':
      return `${ev.what} on n${ev.id}`;
    case 'restart':
    case 'crash':
      return `${ev.k} n${ev.id}`;
    default:
      return ev.k;
  }
}

function stackTop(e: Error | undefined): string {
  const lines = (e?.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim());
  return lines.length ? ` at ${lines.join(' < ')}` : '';
}
