// One simulated run: a cluster of 3 or 5 nodes (growing and shrinking through
// membership changes), the network, the nemesis and the clients, all on one
// virtual clock and all drawn from one seed. `runSeed` returns what happened:
// the number of events (steps), the violations found, a hash of the event
// trace (same seed => same hash), and statistics.
//
// Every source of randomness is a fork of the seed's root stream: `params`
// (the run's settings), `net`, `nemesis`, `workload`, and per node and
// incarnation `node/<id>` (write delays, torn writes) and `raft/<id>/<inc>`
// (the core's election jitter). Nothing reads Date, Math.random or timers, and
// every collection iterated is an array or an insertion-ordered Map.

import type { Config } from '../../raft/core/config.js';
import type { Entry, Message, NodeId, ReadState } from '../../raft/core/types.js';
import type { Violation } from './checkers.js';
import { Checker } from './checkers.js';
import type { FaultProfile } from './faults.js';
import { CHAOS_FAULTS, DEFAULT_FAULTS, Nemesis } from './faults.js';
import { CALM, Network } from './network.js';
import type { NodeHost, NodeSettings } from './node.js';
import { SimNode } from './node.js';
import { Rng } from './prng.js';
import { Scheduler } from './scheduler.js';
import type { WorkloadProfile, WorkloadStats } from './workload.js';
import { Workload } from './workload.js';

export type ProfileName = 'default' | 'chaos';

export interface RunOptions {
  readonly seed: number;
  /** 3 or 5; by default drawn from the seed. */
  readonly nodes?: number;
  /** Events in the safety phase (default DEFAULT_STEPS). */
  readonly steps?: number;
  readonly profile?: ProfileName;
  /** The core's unsafe switches, to show the checkers catch what they break. */
  readonly unsafe?: Config['unsafe'];
  /** Check that votes and acknowledgements are durable when sent (default true). */
  readonly checkPromises?: boolean;
  /** Ticks allowed, after faults stop, for a leader to emerge and every marker to commit everywhere. */
  readonly livenessTicks?: number;
  /** Receives one line per event and decision. */
  readonly trace?: (line: string) => void;
}

export interface RunStats {
  time: number;
  terms: number;
  faults: number;
  crashes: number;
  readies: number;
  net: Network['stats'];
  workload: WorkloadStats;
  maxCommitted: number;
  livenessTicks: number;
}

export interface RunResult {
  readonly seed: number;
  readonly nodes: number;
  readonly steps: number;
  readonly violations: readonly Violation[];
  readonly traceHash: number;
  readonly settings: string;
  readonly stats: RunStats;
}

export const DEFAULT_STEPS = 50000;
export const DEFAULT_LIVENESS_TICKS = 300;
const TICK = 10;
const MARKERS = 3;

type SimEvent =
  | { readonly k: 'tick'; readonly id: NodeId; readonly inc: number }
  | { readonly k: 'deliver'; readonly m: Message; readonly inc: number }
  | { readonly k: 'persist'; readonly id: NodeId; readonly inc: number }
  | { readonly k: 'restart'; readonly id: NodeId }
  | { readonly k: 'crash'; readonly id: NodeId; readonly inc: number }
  | { readonly k: 'nemesis' }
  | { readonly k: 'heal'; readonly gen: number }
  | { readonly k: 'client' }
  | { readonly k: 'snap-report'; readonly id: NodeId; readonly inc: number; readonly to: NodeId; readonly ok: boolean }
  | { readonly k: 'unreachable'; readonly id: NodeId; readonly inc: number; readonly to: NodeId };

const KIND_CODE: Record<SimEvent['k'], number> = {
  tick: 1,
  deliver: 2,
  persist: 3,
  restart: 4,
  nemesis: 5,
  heal: 6,
  client: 7,
  'snap-report': 8,
  unreachable: 9,
  crash: 10,
};
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
  settings: NodeSettings;
  faults: FaultProfile;
  workload: WorkloadProfile;
  tickPeriods: number[];
  /** Upper bound on the ticks a follower needs per entry it is behind, once the network is calm. */
  catchUpTicksPerEntry: number;
  electionTicks: number;
  desc: string;
}

function chooseParams(root: Rng, opts: RunOptions): Params {
  const r = root.fork('params');
  const chaos = opts.profile === 'chaos';
  const nodes = opts.nodes ?? (r.chance(0.5) ? 3 : 5);
  const [preVote, checkQuorum] = r.weighted<[boolean, boolean]>([
    [6, [true, true]],
    [2, [true, false]],
    [2, [false, true]],
  ]);
  const heartbeatTicks = r.pick([1, 2, 3]);
  const maxSizePerMsg = chaos ? r.pick([1, 64]) : r.pick([1, 200, 1 << 20]);
  const maxInflightMsgs = r.pick([1, 4, 64]);
  // Back pressure: a leader refuses proposals beyond this many uncommitted bytes.
  const maxUncommittedSize = r.pick([2048, 16384, 256 << 20]);
  const every = r.pick([0, 4, 16, 64]);
  const keep = r.range(0, 8);
  const persistMax = chaos ? r.pick([10, 40, 80]) : r.pick([2, 8, 30]);
  const electionTicks = r.pick([6, 10, 10, 20]);
  const settings: NodeSettings = {
    raft: {
      electionTicks,
      heartbeatTicks,
      preVote,
      checkQuorum,
      maxSizePerMsg,
      maxInflightMsgs,
      maxUncommittedSize,
      readOnly: 'safe',
      ...(opts.unsafe ? { unsafe: opts.unsafe } : {}),
    },
    snapshot: { every, keep },
    persistDelay: [1, persistMax],
    tornWriteRate: 0.3,
    stallRate: 0.01,
    stallMax: 400,
  };
  const workload: WorkloadProfile = chaos
    ? {
        meanInterval: r.pick([5, 10]),
        propose: 30,
        proposeBatch: 10,
        proposeAnywhere: 2,
        read: 8,
        confChange: 2,
        transfer: 6,
        campaign: 6,
        maxPadding: r.pick([0, 100]),
      }
    : {
        meanInterval: r.pick([6, 15, 40]),
        propose: 40,
        proposeBatch: 10,
        proposeAnywhere: 4,
        read: 15,
        confChange: 4,
        transfer: 3,
        campaign: 2,
        maxPadding: r.pick([0, 40, 300]),
      };
  // Clocks: every node ticks every TICK units, or (some runs) each at its own slightly different rate.
  const skew = r.chance(0.3);
  const tickPeriods: number[] = [];
  for (let i = 0; i < 16; i++) tickPeriods.push(skew ? r.range(TICK - 1, TICK + 1) : TICK);
  // Catching up after the faults: at worst one message per round trip (probe
  // mode), each carrying at least one entry.
  const rttTicks = Math.ceil((2 * CALM.maxDelay + persistMax + 2) / TICK);
  const entriesPerMsg = Math.max(1, Math.floor(maxSizePerMsg / (13 + workload.maxPadding + 24)));
  const desc =
    `nodes=${nodes} preVote=${preVote} checkQuorum=${checkQuorum} election=${electionTicks} hb=${heartbeatTicks} maxMsg=${maxSizePerMsg} ` +
    `inflight=${maxInflightMsgs} uncommitted<=${maxUncommittedSize} snapEvery=${every} keep=${keep} persist<=${persistMax} ` +
    `client=${workload.meanInterval} pad=${workload.maxPadding} skew=${skew}` +
    (opts.profile && opts.profile !== 'default' ? ` profile=${opts.profile}` : '') +
    (opts.unsafe ? ` unsafe=${JSON.stringify(opts.unsafe)}` : '');
  return {
    nodes,
    settings,
    faults: chaos ? CHAOS_FAULTS : DEFAULT_FAULTS,
    workload,
    tickPeriods,
    catchUpTicksPerEntry: rttTicks / entriesPerMsg,
    electionTicks,
    desc,
  };
}

export function runSeed(opts: RunOptions): RunResult {
  return new Simulation(opts).run();
}

class Simulation implements NodeHost {
  readonly checker: Checker;
  readonly trace: ((line: string) => void) | undefined;
  private readonly root: Rng;
  private readonly params: Params;
  private readonly sched = new Scheduler<SimEvent>();
  private readonly net: Network;
  private readonly nemesis: Nemesis<SimNode>;
  private readonly workload: Workload;
  private readonly nodeMap = new Map<NodeId, SimNode>();
  private nodeList: SimNode[] = [];
  private readonly maxId: number;
  private readonly netRng: Rng;
  private phase: 'safety' | 'liveness' = 'safety';
  private livenessStart = 0;
  private steps = 0;
  private hash = 0x12345678;
  private crashes = 0;
  private touched: SimNode | undefined;
  private touchedAll = false;

  constructor(private readonly opts: RunOptions) {
    this.root = Rng.seeded(opts.seed);
    this.params = chooseParams(this.root, opts);
    this.trace = opts.trace ? (line: string) => opts.trace!(`[t=${this.sched.now()} #${this.steps}] ${line}`) : undefined;
    this.checker = new Checker(opts.seed, { promises: opts.checkPromises ?? true });
    this.netRng = this.root.fork('net');
    this.net = new Network(this.root.fork('net-fate'), CALM);
    const n = this.params.nodes;
    this.maxId = n + 2;
    const sim = this;
    this.nemesis = new Nemesis(this.root.fork('nemesis'), this.params.faults, this.net, {
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
    this.workload = new Workload(this.root.fork('workload'), this.params.workload, {
      checker: this.checker,
      nodes: () => sim.nodeList,
      node: (id) => sim.nodeMap.get(id),
      leader: () => sim.leader(),
      addFreshNode: () => sim.addFreshNode(),
      maxMembers: n + 1,
      minVoters: n === 3 ? 2 : 3,
      now: () => sim.sched.now(),
      trace: this.trace,
    });
  }

  // ---- NodeHost ---------------------------------------------------------------

  send(from: SimNode, m: Message): void {
    const now = this.sched.now();
    const times = this.net.send(from.id, m.to, now);
    for (const t of times) this.sched.at(t, { k: 'deliver', m, inc: from.incarnation });
    if (times.length === 0) {
      if (m.type === 'snap') this.sched.after(1, { k: 'snap-report', id: from.id, inc: from.incarnation, to: m.to, ok: false });
      else if (m.type === 'app' && this.net.isBlocked(from.id, m.to) && this.netRng.chance(0.1)) {
        this.sched.after(1, { k: 'unreachable', id: from.id, inc: from.incarnation, to: m.to });
      }
    }
  }

  persistLater(node: SimNode, inc: number, delay: number): void {
    this.sched.after(delay, { k: 'persist', id: node.id, inc });
  }

  applied(node: SimNode, e: Entry): void {
    this.workload.applied(node, e);
  }

  becameLeader(node: SimNode): void {
    if (this.phase === 'safety') this.nemesis.newLeader(node);
  }

  installed(node: SimNode): void {
    this.workload.forget(node, node.app.applied);
  }

  readAnswered(node: SimNode, rs: ReadState): void {
    this.workload.readAnswered(node, rs);
  }

  // ---- cluster operations -----------------------------------------------------

  private createNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): SimNode {
    const node = new SimNode(
      id,
      bootstrap ? { voters: bootstrap, learners: [] } : undefined,
      this.params.settings,
      this,
      this.root.fork(`node/${id}`),
    );
    this.nodeMap.set(id, node);
    this.nodeList.push(node);
    this.boot(node);
    return node;
  }

  private boot(node: SimNode): void {
    node.start();
    const period = this.params.tickPeriods[node.id % this.params.tickPeriods.length]!;
    this.sched.after(1 + this.netRng.nextInt(period), { k: 'tick', id: node.id, inc: node.incarnation });
    this.trace?.(`n${node.id} starts (incarnation ${node.incarnation}, snapshot ${node.disk.snapshot().meta.index}, log ${node.disk.firstIndex()}..${node.disk.lastIndex()}, hs ${JSON.stringify(node.disk.hardState())})`);
  }

  private addFreshNode(): SimNode | undefined {
    const id = this.nodeList.length + 1;
    if (id > this.maxId) return undefined;
    return this.createNode(id, undefined);
  }

  private crash(node: SimNode): void {
    if (!node.alive) return;
    const what = node.crash();
    this.crashes++;
    this.workload.forget(node);
    this.trace?.(`nemesis: n${node.id} crashes${what}`);
  }

  /** The live (and not paused) leader with the highest term. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    let bestTerm = -1;
    const now = this.sched.now();
    for (const n of this.nodeList) {
      if (!n.alive || n.pausedUntil > now) continue;
      const st = n.raw!.status();
      if (st.role === 'leader' && st.term > bestTerm) {
        best = n;
        bestTerm = st.term;
      }
    }
    return best;
  }

  // ---- the run ----------------------------------------------------------------

  run(): RunResult {
    const n = this.params.nodes;
    const ids: NodeId[] = [];
    for (let i = 1; i <= n; i++) ids.push(i);
    this.trace?.(`seed ${this.opts.seed}: ${this.params.desc}`);
    for (const id of ids) this.createNode(id, ids);
    this.sched.after(this.nemesis.nextDelay(), { k: 'nemesis' });
    this.sched.after(this.workload.nextDelay(), { k: 'client' });

    const safetySteps = this.opts.steps ?? DEFAULT_STEPS;
    const livenessTicks = this.opts.livenessTicks ?? DEFAULT_LIVENESS_TICKS;
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
        this.checkTouched();
      } catch (e) {
        const id = 'id' in ev ? ev.id : ev.k === 'deliver' ? ev.m.to : 0;
        const err = e as Error;
        this.checker.fail('core-exception', id, `${err.name}: ${err.message} (while handling ${describeEvent(ev)})${stackTop(err)}`);
      }
      if (this.checker.failed) break;
      if (this.phase === 'safety' && this.steps >= safetySteps) {
        const backlog = this.startLiveness();
        // The budget: a fixed number of ticks for electing a leader and committing,
        // plus the time the furthest-behind node needs to catch up entry by entry.
        budget = livenessTicks + Math.ceil(backlog * this.params.catchUpTicksPerEntry);
        deadline = this.sched.now() + budget * TICK;
        this.trace?.(`liveness: backlog ${backlog} entries, budget ${budget} ticks`);
      } else if (this.phase === 'liveness') {
        if (ev.k === 'client' && this.converged()) {
          livenessUsed = Math.ceil((this.sched.now() - this.livenessStart) / TICK);
          this.checker.finalCheck(this.leader()!.id);
          this.trace?.(`liveness: converged after ${livenessUsed} ticks`);
          break;
        }
        if (this.sched.now() > deadline) {
          livenessUsed = budget;
          this.checker.fail('liveness', 0, `no convergence ${budget} ticks after faults stopped: ${this.describeState()}`);
          break;
        }
      }
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
      },
    };
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
    } else if ('id' in ev) {
      h = Math.imul(h ^ ev.id, 0x01000193);
    }
    this.hash = h;
  }

  /** A frozen process handles nothing: its input waits until it wakes (ticks in between are lost). */
  private deferred(ev: SimEvent): boolean {
    let id: NodeId;
    if (ev.k === 'deliver') id = ev.m.to;
    else if (ev.k === 'tick' || ev.k === 'persist' || ev.k === 'snap-report' || ev.k === 'unreachable') id = ev.id;
    else return false;
    const node = this.nodeMap.get(id);
    if (!node || node.pausedUntil <= this.sched.now()) return false;
    this.sched.at(node.pausedUntil, ev);
    return true;
  }

  private dispatch(ev: SimEvent): void {
    if (this.deferred(ev)) return;
    switch (ev.k) {
      case 'tick': {
        const node = this.nodeMap.get(ev.id)!;
        if (!node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        node.tick();
        const period = this.params.tickPeriods[node.id % this.params.tickPeriods.length]!;
        this.sched.after(period, ev);
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
        node.step(m);
        return;
      }
      case 'persist': {
        const node = this.nodeMap.get(ev.id)!;
        if (!node.alive) return;
        this.touched = node;
        node.persisted(ev.inc);
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
        node.raw!.reportSnapshot(ev.to, ev.ok);
        node.drive();
        return;
      }
      case 'unreachable': {
        const node = this.nodeMap.get(ev.id);
        if (!node || !node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        node.raw!.reportUnreachable(ev.to);
        node.drive();
        return;
      }
    }
  }

  /** After every event: the status of the node it touched (all nodes after a client action). */
  private checkTouched(): void {
    if (this.touchedAll) {
      for (const n of this.nodeList) if (n.alive) this.checker.onStatus(n.id, n.incarnation, n.raw!.status());
    } else if (this.touched && this.touched.alive) {
      const n = this.touched;
      this.checker.onStatus(n.id, n.incarnation, n.raw!.status());
    }
  }

  /** Stop the faults and heal everything; returns how many entries the furthest-behind node lacks. */
  private startLiveness(): number {
    this.phase = 'liveness';
    this.livenessStart = this.sched.now();
    this.trace?.(`liveness: faults stop; healing everything at step ${this.steps}`);
    this.nemesis.calm();
    const now = this.sched.now();
    for (const n of this.nodeList) {
      if (!n.alive) this.boot(n);
      // A frozen process wakes up now; its waiting input follows. Disks stop stalling.
      n.pausedUntil = Math.min(n.pausedUntil, now);
      n.stalls = false;
    }
    this.workload.startLiveness(MARKERS);
    let last = 0;
    let applied = Infinity;
    for (const n of this.nodeList) {
      last = Math.max(last, n.raw!.status().lastIndex);
      applied = Math.min(applied, n.app.applied);
    }
    return Math.max(0, last - applied);
  }

  /** A leader, every marker confirmed, and every member of the leader's configuration has applied them. */
  private converged(): boolean {
    const target = this.workload.markersDone();
    if (target === undefined) return false;
    const leader = this.leader();
    if (!leader) return false;
    const st = leader.status();
    if (st.commit < this.checker.maxCanon) return false;
    for (const id of [...st.conf.voters, ...st.conf.learners]) {
      const node = this.nodeMap.get(id);
      if (!node || !node.alive || node.app.applied < target) return false;
    }
    return true;
  }

  private describeState(): string {
    const leader = this.leader();
    const parts = [`leader ${leader ? `n${leader.id}` : 'none'}`, `markers confirmed ${this.workload.markersConfirmed()}/${MARKERS}`];
    if (leader) {
      const c = leader.status().conf;
      parts.push(`conf voters=[${c.voters.join(',')}] learners=[${c.learners.join(',')}]`);
    }
    for (const n of this.nodeList) {
      if (!n.alive) {
        parts.push(`n${n.id} down`);
        continue;
      }
      const st = n.raw!.status();
      parts.push(`n${n.id} ${st.role} term=${st.term} lead=${st.leader} commit=${st.commit} applied=${n.app.applied} last=${st.lastIndex}`);
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
    case 'read-index-resp':
      return `${head} index=${m.index}`;
    case 'transfer-leader':
      return `${head} target=${m.target}`;
    default:
      return head;
  }
}

function describeEvent(ev: SimEvent): string {
  switch (ev.k) {
    case 'deliver':
      return `deliver ${describeMsg(ev.m)}`;
    case 'tick':
    case 'persist':
    case 'restart':
    case 'crash':
      return `${ev.k} n${ev.id}`;
    default:
      return ev.k;
  }
}

function stackTop(e: Error): string {
  const lines = (e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim());
  return lines.length ? ` at ${lines.join(' < ')}` : '';
}
