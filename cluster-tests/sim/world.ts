// The world both cluster simulations run in: one seed-driven scheduler, the
// network, the nemesis, the clients, the phases (safety with faults, then
// liveness: heal everything and converge within a tick budget) and the trace
// hash. What differs is the node: the Raft core under the simulation's own
// driver (cluster.ts) or the production host with the real machines
// (host-cluster.ts). Each subclass brings its node, its own events (the core's
// ticks and disk completions, the host's clock calls) and its end checks.
//
// Every source of randomness is a fork of the seed's root stream; nothing
// reads Date, Math.random or timers, and every collection iterated is an array
// or an insertion-ordered Map, so a seed replays event for event.

import type { Status } from '../../raft/core/api.js';
import type { Config } from '../../raft/core/config.js';
import type { ConfChange, ConfState, Message, NodeId } from '../../raft/core/types.js';
import { ConfChangeType } from '../../raft/core/types.js';
import type { Checker, Violation } from './checkers.js';
import type { FaultProfile, FaultTarget } from './faults.js';
import { Nemesis } from './faults.js';
import { CALM, Network } from './network.js';
import type { Rng } from './prng.js';
import { Scheduler } from './scheduler.js';

export const TICK = 10;
export const MARKERS = 3;
export const DEFAULT_LIVENESS_TICKS = 300;

/** A member as the world sees it. */
export interface WorldNode extends FaultTarget {
  pausedUntil: number;
  readies: number;
  /** The core's status (only while alive). */
  status(): Status;
  /** The machine's applied index. */
  readonly appliedIndex: number;
  /** Heal time: the disk stops stalling. */
  calmDisk(): void;
}

/** The clients, as the world drives them. */
export interface WorldWorkload<N> {
  nextDelay(): number;
  act(): void;
  forget(node: N): void;
  startLiveness(markers: number): void;
  livenessStep(timeout: number): void;
  markersDone(): number | undefined;
  markersConfirmed(): number;
}

/** Events every world has; a subclass adds its own (`E`). */
export type WorldEvent =
  | { readonly k: 'deliver'; readonly m: Message; readonly inc: number }
  | { readonly k: 'restart'; readonly id: NodeId }
  | { readonly k: 'crash'; readonly id: NodeId; readonly inc: number }
  | { readonly k: 'nemesis' }
  | { readonly k: 'heal'; readonly gen: number }
  | { readonly k: 'client' }
  | { readonly k: 'snap-report'; readonly id: NodeId; readonly inc: number; readonly to: NodeId; readonly ok: boolean }
  | { readonly k: 'unreachable'; readonly id: NodeId; readonly inc: number; readonly to: NodeId };

const KIND_CODE: Record<WorldEvent['k'], number> = { deliver: 2, restart: 4, nemesis: 5, heal: 6, client: 7, 'snap-report': 8, unreachable: 9, crash: 10 };
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

export const fnv = (h: number, v: number): number => Math.imul(h ^ v, 0x01000193);

/** The run's shape, drawn from the seed by the subclass. */
export interface WorldParams {
  readonly nodes: number;
  readonly faults: FaultProfile;
  /** Each node's tick period (by id modulo the length). */
  readonly tickPeriods: readonly number[];
  /** Upper bound on the ticks a follower needs per entry it is behind, once the network is calm. */
  readonly catchUpTicksPerEntry: number;
  readonly electionTicks: number;
  readonly desc: string;
}

/** How a run goes, beside its seed. */
export interface WorldOptions {
  readonly seed: number;
  /** 3 or 5; by default drawn from the seed. */
  readonly nodes?: number;
  /** Events in the safety phase (each simulation has its default). */
  readonly steps?: number;
  readonly profile?: 'default' | 'chaos';
  /** The core's unsafe switches, to show the checkers catch what they break. */
  readonly unsafe?: Config['unsafe'];
  /** Check that votes and acknowledgements are durable when sent (default true). */
  readonly checkPromises?: boolean;
  /** Ticks allowed, after faults stop, for a leader to emerge and every marker to commit everywhere. */
  readonly livenessTicks?: number;
  /** Receives one line per event and decision. */
  readonly trace?: (line: string) => void;
}

/** The statistics every run reports; a subclass adds its own. */
export interface WorldStats {
  time: number;
  terms: number;
  faults: number;
  crashes: number;
  readies: number;
  net: Network['stats'];
  maxCommitted: number;
  livenessTicks: number;
}

/** One run: the number of events (steps), the violations found, a hash of the event trace (same seed => same hash), statistics. */
export interface WorldResult<S extends WorldStats = WorldStats> {
  readonly seed: number;
  readonly nodes: number;
  readonly steps: number;
  readonly violations: readonly Violation[];
  readonly traceHash: number;
  readonly settings: string;
  readonly stats: S;
}

export abstract class World<N extends WorldNode, E extends { readonly k: string }> {
  readonly trace: ((line: string) => void) | undefined;
  protected readonly sched = new Scheduler<WorldEvent | E>();
  protected readonly net: Network;
  protected readonly nemesis: Nemesis<N>;
  protected abstract readonly workload: WorldWorkload<N>;
  protected readonly nodeMap = new Map<NodeId, N>();
  protected nodeList: N[] = [];
  protected readonly maxId: number;
  protected readonly netRng: Rng;
  protected phase: 'safety' | 'liveness' = 'safety';
  protected steps = 0;
  protected crashes = 0;
  protected touched: N | undefined;
  protected touchedAll = false;
  private livenessStart = 0;
  private hash = 0x12345678;

  constructor(
    protected readonly opts: WorldOptions,
    protected readonly root: Rng,
    protected readonly shape: WorldParams,
    readonly checker: Checker,
    private readonly defaultSteps: number,
  ) {
    this.trace = opts.trace ? (line: string) => opts.trace!(`[t=${this.sched.now()} #${this.steps}] ${line}`) : undefined;
    this.netRng = root.fork('net');
    this.net = new Network(root.fork('net-fate'), CALM);
    this.maxId = shape.nodes + 2;
    const world = this;
    this.nemesis = new Nemesis<N>(root.fork('nemesis'), shape.faults, this.net, {
      nodes: () => world.nodeList,
      leader: () => world.leader(),
      crash: (node) => world.crash(node),
      restartLater: (node, delay) => world.sched.after(delay, { k: 'restart', id: node.id }),
      crashLater: (node, inc, delay) => world.sched.after(delay, { k: 'crash', id: node.id, inc }),
      pause: (node, duration) => {
        node.pausedUntil = Math.max(node.pausedUntil, world.sched.now() + duration);
        world.trace?.(`nemesis: n${node.id} pauses until t=${node.pausedUntil}`);
      },
      healLater: (gen, delay) => world.sched.after(delay, { k: 'heal', gen }),
      trace: this.trace,
    });
  }

  // ---- what a subclass brings -------------------------------------------------------

  /** A new member (bootstrap: the initial voters, or undefined for one added later). */
  protected abstract newNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): N;
  /** Start (or restart) `node` from its disk. */
  protected abstract boot(node: N): void;
  /** Lose what `node` had not made durable; a description for the trace. */
  protected abstract crashNode(node: N): string;
  /** Hand `m` to `node`. */
  protected abstract deliver(node: N, m: Message): void;
  protected abstract reportSnapshot(node: N, to: NodeId, ok: boolean): void;
  protected abstract reportUnreachable(node: N, to: NodeId): void;
  /** The subclass's own events. */
  protected abstract dispatchOwn(ev: E): void;
  /** The node an own event belongs to (it waits while that node is paused), if any. */
  protected abstract ownTarget(ev: E): NodeId | undefined;
  protected abstract foldOwn(h: number, ev: E): number;
  protected abstract describeOwn(ev: E): string;
  /** After each event: let what it started settle (the host's promise jobs); undefined when nothing can be pending. */
  protected settle(): Promise<void> | undefined {
    return undefined;
  }
  /** After convergence: the final checks. */
  protected abstract endChecks(leader: N): Promise<void> | void;

  /** A check after every event of the safety and liveness phases (the host simulation's quiescence watch). */
  protected afterEvent(): void {}

  /** After the end checks passed: what a simulation checks once the cluster idles (the host: that it goes quiet). */
  protected afterConvergence(): Promise<void> | void {}

  /**
   * Run `ticks` more ticks of virtual time with no clients and no faults: the
   * cluster idles. Every other event (ticks, deliveries, disk writes, timers)
   * runs as in the main loop, with the same checks.
   */
  protected async runIdle(ticks: number): Promise<void> {
    const until = this.sched.now() + ticks * TICK;
    for (;;) {
      const ev = this.sched.pop();
      if (!ev || this.sched.now() > until) break;
      if (ev.k === 'client' || ev.k === 'nemesis') continue;
      this.steps++;
      this.checker.step = this.steps;
      this.checker.time = this.sched.now();
      this.fold(ev);
      this.touched = undefined;
      this.touchedAll = false;
      this.dispatch(ev);
      const pending = this.settle();
      if (pending) await pending;
      this.checkTouched();
      this.afterEvent();
      if (this.checker.failed) break;
    }
  }

  // ---- cluster operations -------------------------------------------------------------

  protected send(from: N, m: Message): void {
    const times = this.net.send(from.id, m.to, this.sched.now());
    for (const t of times) this.sched.at(t, { k: 'deliver', m, inc: from.incarnation });
    if (times.length === 0) {
      if (m.type === 'snap') this.sched.after(1, { k: 'snap-report', id: from.id, inc: from.incarnation, to: m.to, ok: false });
      else if (m.type === 'app' && this.net.isBlocked(from.id, m.to) && this.netRng.chance(0.1)) {
        this.sched.after(1, { k: 'unreachable', id: from.id, inc: from.incarnation, to: m.to });
      }
    }
  }

  protected createNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): N {
    const node = this.newNode(id, bootstrap);
    this.nodeMap.set(id, node);
    this.nodeList.push(node);
    this.boot(node);
    return node;
  }

  protected addFreshNode(): N | undefined {
    const id = this.nodeList.length + 1;
    if (id > this.maxId) return undefined;
    return this.createNode(id, undefined);
  }

  protected tickPeriod(id: NodeId): number {
    return this.shape.tickPeriods[id % this.shape.tickPeriods.length]!;
  }

  private crash(node: N): void {
    if (!node.alive) return;
    const what = this.crashNode(node);
    this.crashes++;
    this.workload.forget(node);
    this.trace?.(`nemesis: n${node.id} crashes${what}`);
  }

  /** The live (and not paused) leader with the highest term. */
  leader(): N | undefined {
    let best: N | undefined;
    let bestTerm = -1;
    const now = this.sched.now();
    for (const n of this.nodeList) {
      if (!n.alive || n.pausedUntil > now) continue;
      const st = n.status();
      if (st.role === 'leader' && st.term > bestTerm) {
        best = n;
        bestTerm = st.term;
      }
    }
    return best;
  }

  // ---- the run --------------------------------------------------------------------------

  protected async runWorld(): Promise<WorldResult> {
    const ids: NodeId[] = [];
    for (let i = 1; i <= this.shape.nodes; i++) ids.push(i);
    this.trace?.(`seed ${this.opts.seed}: ${this.shape.desc}`);
    for (const id of ids) this.createNode(id, ids);
    const started = this.settle();
    if (started) await started;
    this.sched.after(this.nemesis.nextDelay(), { k: 'nemesis' });
    this.sched.after(this.workload.nextDelay(), { k: 'client' });

    const safetySteps = this.opts.steps ?? this.defaultSteps;
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
      } catch (e) {
        const id = 'id' in ev && typeof ev.id === 'number' ? ev.id : ev.k === 'deliver' ? (ev as { m: Message }).m.to : 0;
        const err = e as Error;
        this.checker.fail('core-exception', id, `${err.name}: ${err.message} (while handling ${this.describeEvent(ev)})${stackTop(err)}`);
      }
      const pending = this.settle();
      if (pending) await pending;
      this.checkTouched();
      this.afterEvent();
      if (this.checker.failed) break;
      if (this.phase === 'safety' && this.steps >= safetySteps) {
        const backlog = this.startLiveness();
        // The budget: a fixed number of ticks for electing a leader and committing,
        // plus the time the furthest-behind node needs to catch up entry by entry.
        budget = livenessTicks + Math.ceil(backlog * this.shape.catchUpTicksPerEntry);
        deadline = this.sched.now() + budget * TICK;
        this.trace?.(`liveness: backlog ${backlog} entries, budget ${budget} ticks`);
      } else if (this.phase === 'liveness') {
        if (ev.k === 'client' && this.converged()) {
          livenessUsed = Math.ceil((this.sched.now() - this.livenessStart) / TICK);
          this.trace?.(`liveness: converged after ${livenessUsed} ticks`);
          const done = this.endChecks(this.leader()!);
          if (done) await done;
          if (!this.checker.failed) await this.afterConvergence();
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
      nodes: this.shape.nodes,
      steps: this.steps,
      violations: this.checker.violations,
      traceHash: this.hash >>> 0,
      settings: this.shape.desc,
      stats: {
        time: this.sched.now(),
        terms: this.checker.leaderTerms(),
        faults: this.nemesis.faults,
        crashes: this.crashes,
        readies: this.nodeList.reduce((a, x) => a + x.readies, 0),
        net: this.net.stats,
        maxCommitted: this.checker.maxCanon,
        livenessTicks: livenessUsed,
      },
    };
  }

  private isOwn(ev: WorldEvent | E): ev is E {
    return !(ev.k in KIND_CODE);
  }

  private fold(ev: WorldEvent | E): void {
    let h = this.hash;
    h = fnv(h, this.sched.now());
    if (this.isOwn(ev)) {
      h = this.foldOwn(h, ev);
    } else {
      h = fnv(h, KIND_CODE[ev.k]);
      if (ev.k === 'deliver') {
        const m = ev.m;
        h = fnv(h, m.from * 64 + m.to);
        h = fnv(h, MSG_CODE[m.type]);
        h = fnv(h, m.term);
        if (m.type === 'app') h = fnv(h, m.prevIndex * 31 + m.entries.length);
      } else if ('id' in ev) {
        h = fnv(h, ev.id);
      }
    }
    this.hash = h;
  }

  /** A frozen process handles nothing: its input (and its own timers) wait until it wakes. */
  private deferred(ev: WorldEvent | E): boolean {
    let id: NodeId | undefined;
    if (this.isOwn(ev)) id = this.ownTarget(ev);
    else if (ev.k === 'deliver') id = ev.m.to;
    else if (ev.k === 'snap-report' || ev.k === 'unreachable') id = ev.id;
    if (id === undefined) return false;
    const node = this.nodeMap.get(id);
    if (!node || node.pausedUntil <= this.sched.now()) return false;
    this.sched.at(node.pausedUntil, ev);
    return true;
  }

  private dispatch(ev: WorldEvent | E): void {
    if (this.deferred(ev)) return;
    if (this.isOwn(ev)) return this.dispatchOwn(ev);
    switch (ev.k) {
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
        this.deliver(node, m);
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
          this.workload.livenessStep(3 * this.shape.electionTicks * TICK);
          this.sched.after(TICK, { k: 'client' });
        }
        return;
      case 'snap-report': {
        const node = this.nodeMap.get(ev.id);
        if (!node || !node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        this.reportSnapshot(node, ev.to, ev.ok);
        return;
      }
      case 'unreachable': {
        const node = this.nodeMap.get(ev.id);
        if (!node || !node.alive || node.incarnation !== ev.inc) return;
        this.touched = node;
        this.reportUnreachable(node, ev.to);
        return;
      }
    }
  }

  /** After every event: the status of the node it touched (all nodes after a client action). */
  private checkTouched(): void {
    if (this.touchedAll) {
      for (const n of this.nodeList) if (n.alive) this.checker.onStatus(n.id, n.incarnation, n.status());
    } else if (this.touched && this.touched.alive) {
      const n = this.touched;
      this.checker.onStatus(n.id, n.incarnation, n.status());
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
      n.calmDisk();
    }
    this.workload.startLiveness(MARKERS);
    let last = 0;
    let applied = Infinity;
    for (const n of this.nodeList) {
      last = Math.max(last, n.status().lastIndex);
      applied = Math.min(applied, n.appliedIndex);
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
      if (!node || !node.alive || node.appliedIndex < target) return false;
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
      const st = n.status();
      parts.push(`n${n.id} ${st.role} term=${st.term} lead=${st.leader} commit=${st.commit} applied=${n.appliedIndex} last=${st.lastIndex}`);
    }
    return parts.join('; ');
  }

  private describeEvent(ev: WorldEvent | E): string {
    if (this.isOwn(ev)) return this.describeOwn(ev);
    switch (ev.k) {
      case 'deliver':
        return `deliver ${describeMsg(ev.m)}`;
      case 'restart':
      case 'crash':
        return `${ev.k} n${ev.id}`;
      default:
        return ev.k;
    }
  }
}

export function describeMsg(m: Message): string {
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
      return `${head} commit=${m.commit}${m.quiesce ? ' quiesce' : ''}`;
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

export function stackTop(e: Error | undefined): string {
  const lines = (e?.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim());
  return lines.length ? ` at ${lines.join(' < ')}` : '';
}

/** Where a membership change may take the cluster. */
export interface MembershipLimits {
  nodes(): readonly { readonly id: NodeId }[];
  /** A brand-new node, or undefined when the world has made its last one. */
  addFreshNode(): { readonly id: NodeId } | undefined;
  readonly minVoters: number;
  readonly maxMembers: number;
}

/**
 * A membership change for a leader whose configuration is `conf`, drawn from
 * `rng`: promote or remove a learner, remove a voter, or add a node as learner
 * (or voter): a former member (its disk intact) or a brand-new node.
 */
export function chooseConfChange(rng: Rng, conf: ConfState, limits: MembershipLimits): ConfChange | undefined {
  const members = [...conf.voters, ...conf.learners];
  const choices: (() => ConfChange | undefined)[] = [];
  if (conf.learners.length) choices.push(() => ({ type: ConfChangeType.AddVoter, node: rng.pick(conf.learners) }));
  if (conf.learners.length) choices.push(() => ({ type: ConfChangeType.RemoveNode, node: rng.pick(conf.learners) }));
  if (conf.voters.length > limits.minVoters) choices.push(() => ({ type: ConfChangeType.RemoveNode, node: rng.pick(conf.voters) }));
  if (members.length < limits.maxMembers) {
    const add = (type: ConfChangeType) => (): ConfChange | undefined => {
      const outside = limits.nodes().filter((n) => !members.includes(n.id));
      let target = outside.length && rng.chance(0.6) ? rng.pick(outside) : undefined;
      target ??= limits.addFreshNode() ?? (outside.length ? rng.pick(outside) : undefined);
      return target ? { type, node: target.id } : undefined;
    };
    choices.push(add(ConfChangeType.AddLearner), add(ConfChangeType.AddLearner));
    if (rng.chance(0.3)) choices.push(add(ConfChangeType.AddVoter));
  }
  if (!choices.length) return undefined;
  return rng.pick(choices)();
}

/**
 * The liveness phase's markers (ids from 1): each is proposed until one copy
 * is confirmed. A client gives up waiting for an outcome after a timeout (its
 * proposer may have been deposed or removed and never learn it) and proposes
 * again; whichever copy is confirmed first counts.
 */
export class Markers {
  /** The index each marker was confirmed at (0: not yet). */
  private at: number[] = [];
  /** When each was last proposed (-1: not waiting for an outcome). */
  private since: number[] = [];

  start(count: number): void {
    this.at = new Array<number>(count).fill(0);
    this.since = new Array<number>(count).fill(-1);
  }

  /** Markers to propose now: unconfirmed, and not waiting for an outcome younger than `timeout`. */
  due(now: number, timeout: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.at.length; i++) {
      if (this.at[i]) continue;
      const since = this.since[i]!;
      if (since >= 0 && now - since < timeout) continue;
      out.push(i + 1);
    }
    return out;
  }

  proposed(id: number, now: number): void {
    this.since[id - 1] = now;
  }

  /** Its proposal failed or its outcome will not be learned: due again. */
  again(id: number): void {
    this.since[id - 1] = -1;
  }

  confirmed(id: number, index: number): void {
    this.at[id - 1] = index;
    this.since[id - 1] = -1;
  }

  /** The largest index a marker was confirmed at, or undefined while some marker is unconfirmed. */
  done(): number | undefined {
    let max = 0;
    for (const m of this.at) {
      if (!m) return undefined;
      max = Math.max(max, m);
    }
    return max;
  }

  confirmedCount(): number {
    return this.at.filter((m) => m > 0).length;
  }
}
