// The nemesis: what goes wrong, and when. A run has two phases:
//   safety   — faults arrive at random: crashes (the leader or anyone, with
//              torn writes), restarts after a random downtime, partitions of
//              every kind (symmetric, minority/majority, leader isolated, leader
//              in a minority, leader deaf or mute, asymmetric links, a bridge
//              node) that heal after a while, changes of weather (loss,
//              duplication, reordering, long delays), paused processes
//              (a GC pause: no ticks, input waits) and leader churn (a new
//              leader crashes soon after its election);
//   liveness — everything heals: partitions go, the network is calm, every
//              crashed node restarts; no more faults. The cluster must then
//              elect a leader and commit new proposals within a tick budget.

import type { NodeId } from '../../raft/core/types.js';
import type { Network, NetworkConditions, PartitionKind } from './network.js';
import { CALM } from './network.js';
import type { Rng } from './prng.js';

export interface FaultProfile {
  /** Mean virtual time between faults. */
  readonly meanInterval: number;
  readonly crash: number;
  readonly crashLeader: number;
  readonly partition: number;
  readonly weather: number;
  /** A process stops (GC pause, VM migration): no ticks, no processing; its input waits. */
  readonly pause: number;
  readonly pauseLength: readonly [number, number];
  /** Probability that a newly elected leader crashes soon after (within `churnDelay`). */
  readonly leaderChurn: number;
  readonly churnDelay: readonly [number, number];
  /** Downtime of a crashed node, in virtual time. */
  readonly downtime: readonly [number, number];
  /** How long a partition lasts. */
  readonly partitionLength: readonly [number, number];
  /** At most this many nodes down at once (as a fraction of the nodes that exist, rounded up). */
  readonly maxDownFraction: number;
  /** Weather to choose from. */
  readonly dropRates: readonly number[];
  readonly dupRates: readonly number[];
  readonly maxDelays: readonly number[];
  readonly longDelayRates: readonly number[];
  readonly reorderChance: number;
}

export const PARTITION_KINDS: readonly PartitionKind[] = [
  'symmetric',
  'minority-majority',
  'leader-isolated',
  'leader-minority',
  'asymmetric',
  'leader-deaf',
  'leader-mute',
  'bridge',
];

/** A node as the nemesis sees it (the core simulation's SimNode, or the host simulation's). */
export interface FaultTarget {
  readonly id: NodeId;
  readonly alive: boolean;
  readonly incarnation: number;
}

/** What the nemesis may do to the cluster. */
export interface FaultOps<SimNode extends FaultTarget> {
  nodes(): readonly SimNode[];
  leader(): SimNode | undefined;
  crash(node: SimNode): void;
  /** Freeze `node` for `duration`. */
  pause(node: SimNode, duration: number): void;
  /** Crash `node` after `delay` if it is still running incarnation `inc` then. */
  crashLater(node: SimNode, inc: number, delay: number): void;
  /** Restart `node` after `delay` (if it is still down then). */
  restartLater(node: SimNode, delay: number): void;
  /** Heal the partition numbered `gen` after `delay` (unless a newer one replaced it). */
  healLater(gen: number, delay: number): void;
  trace: ((line: string) => void) | undefined;
}

export class Nemesis<SimNode extends FaultTarget> {
  private partitionGen = 0;
  faults = 0;

  constructor(
    private readonly rng: Rng,
    private readonly profile: FaultProfile,
    private readonly net: Network,
    private readonly ops: FaultOps<SimNode>,
  ) {}

  nextDelay(): number {
    return this.rng.exp(this.profile.meanInterval);
  }

  act(): void {
    const p = this.profile;
    this.faults++;
    this.rng.weighted<() => void>([
      [p.crash, () => this.crash(false)],
      [p.crashLeader, () => this.crash(true)],
      [p.partition, () => this.partition()],
      [p.weather, () => this.weather()],
      [p.pause, () => this.pause()],
    ])();
  }

  /** A node just became leader: under leader churn it may crash shortly. */
  newLeader(node: SimNode): void {
    const p = this.profile;
    if (p.leaderChurn > 0 && this.rng.chance(p.leaderChurn)) {
      const [lo, hi] = p.churnDelay;
      this.ops.crashLater(node, node.incarnation, this.rng.range(lo, hi));
    }
  }

  /** Crash a node now, if the down budget allows, and schedule its restart. */
  crashNow(node: SimNode): void {
    const all = this.ops.nodes();
    const down = all.filter((n) => !n.alive).length;
    if (!node.alive || down + 1 > Math.ceil(all.length * this.profile.maxDownFraction)) return;
    this.faults++;
    this.ops.crash(node);
    const [lo, hi] = this.profile.downtime;
    this.ops.restartLater(node, this.rng.range(lo, hi));
  }

  private crash(leader: boolean): void {
    const all = this.ops.nodes();
    const live = all.filter((n) => n.alive);
    const down = all.length - live.length;
    if (down + 1 > Math.ceil(all.length * this.profile.maxDownFraction) || live.length === 0) return;
    const victim = (leader ? this.ops.leader() : undefined) ?? this.rng.pick(live);
    this.ops.crash(victim);
    const [lo, hi] = this.profile.downtime;
    this.ops.restartLater(victim, this.rng.range(lo, hi));
  }

  private pause(): void {
    const live = this.ops.nodes().filter((n) => n.alive);
    if (!live.length) return;
    // Pausing the leader is the interesting case: it wakes up believing it still leads.
    const victim = (this.rng.chance(0.5) ? this.ops.leader() : undefined) ?? this.rng.pick(live);
    const [lo, hi] = this.profile.pauseLength;
    this.ops.pause(victim, this.rng.range(lo, hi));
  }

  private partition(): void {
    const kind = this.rng.pick(PARTITION_KINDS);
    const ids: NodeId[] = this.ops.nodes().map((n) => n.id);
    const desc = this.net.partitionBy(kind, ids, this.ops.leader()?.id ?? 0);
    const gen = ++this.partitionGen;
    this.ops.trace?.(`nemesis: partition #${gen} ${desc}`);
    const [lo, hi] = this.profile.partitionLength;
    this.ops.healLater(gen, this.rng.range(lo, hi));
  }

  /** Heal partition `gen` if it is still the current one. */
  heal(gen: number): void {
    if (gen !== this.partitionGen) return;
    this.net.heal();
    this.ops.trace?.(`nemesis: partition #${gen} healed`);
  }

  private weather(): void {
    const p = this.profile;
    const rng = this.rng;
    const c: NetworkConditions = {
      minDelay: 1,
      maxDelay: rng.pick(p.maxDelays),
      dropRate: rng.pick(p.dropRates),
      dupRate: rng.pick(p.dupRates),
      reorder: rng.chance(p.reorderChance),
      longDelayRate: rng.pick(p.longDelayRates),
      longDelayMax: 400,
    };
    this.net.conditions = c;
    this.ops.trace?.(
      `nemesis: weather drop=${c.dropRate} dup=${c.dupRate} delay<=${c.maxDelay} reorder=${c.reorder} long=${c.longDelayRate}`,
    );
  }

  /** The liveness phase begins: no partition, calm network (crashed nodes are restarted by the cluster). */
  calm(): void {
    this.partitionGen++;
    this.net.heal();
    this.net.conditions = { ...CALM };
  }
}

/** The everyday mix: a fault every ~25 ticks. */
export const DEFAULT_FAULTS: FaultProfile = {
  meanInterval: 250,
  crash: 3,
  crashLeader: 2,
  partition: 4,
  weather: 3,
  pause: 1,
  pauseLength: [20, 400],
  leaderChurn: 0.05,
  churnDelay: [1, 60],
  downtime: [20, 600],
  partitionLength: [50, 800],
  maxDownFraction: 0.5,
  dropRates: [0, 0, 0.01, 0.05, 0.2],
  dupRates: [0, 0, 0.02, 0.1],
  maxDelays: [4, 10, 30, 80],
  longDelayRates: [0, 0, 0.005, 0.02],
  reorderChance: 0.4,
};

/** Frequent crashes and short partitions: many leader changes and divergent logs (for the teeth tests). */
export const CHAOS_FAULTS: FaultProfile = {
  meanInterval: 80,
  crash: 4,
  crashLeader: 5,
  partition: 4,
  weather: 2,
  pause: 1,
  pauseLength: [10, 200],
  leaderChurn: 0.5,
  churnDelay: [1, 40],
  downtime: [5, 200],
  partitionLength: [20, 300],
  maxDownFraction: 0.6,
  dropRates: [0, 0.05, 0.2, 0.4],
  dupRates: [0, 0.05],
  maxDelays: [4, 20, 60],
  longDelayRates: [0, 0.01, 0.05],
  reorderChance: 0.6,
};
