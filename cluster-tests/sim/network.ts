// The simulated network: one queue per directed link. A message sent at time t
// is delivered at t + delay (delay drawn per message), or lost, or delivered
// twice. Links are FIFO unless reordering is on (then each copy gets its own
// delay and copies overtake each other). Partitions block directed links: a
// blocked link loses what is sent on it and what was already in flight on it
// when it is delivered (a reset connection), so healing never releases a burst
// of stale traffic — late and duplicated traffic comes from `longDelayRate`.

import type { NodeId } from '../../raft/core/types.js';
import type { Rng } from './prng.js';

export interface NetworkConditions {
  /** Delay bounds of an ordinary message, in virtual time units. */
  minDelay: number;
  maxDelay: number;
  /** Probability that a message is lost. */
  dropRate: number;
  /** Probability that a message is delivered twice. */
  dupRate: number;
  /** When true, each message (and copy) gets its own delay; otherwise links are FIFO. */
  reorder: boolean;
  /** Probability that a message is held back for long (up to `longDelayMax`): a very stale arrival. */
  longDelayRate: number;
  longDelayMax: number;
}

export const CALM: NetworkConditions = {
  minDelay: 1,
  maxDelay: 8,
  dropRate: 0,
  dupRate: 0,
  reorder: false,
  longDelayRate: 0,
  longDelayMax: 0,
};

export type PartitionKind =
  | 'symmetric'
  | 'minority-majority'
  | 'leader-isolated'
  | 'leader-minority'
  | 'asymmetric'
  | 'leader-deaf'
  | 'leader-mute'
  | 'bridge';

export interface NetStats {
  sent: number;
  delivered: number;
  dropped: number;
  blocked: number;
  duplicated: number;
}

export class Network {
  conditions: NetworkConditions;
  /** Directed links that lose everything: key from*1024+to. */
  private readonly cut = new Set<number>();
  /** Per directed link, the latest delivery time handed out (for FIFO links). */
  private readonly tail = new Map<number, number>();
  readonly stats: NetStats = { sent: 0, delivered: 0, dropped: 0, blocked: 0, duplicated: 0 };
  /** A description of the current partition, for traces. */
  partition = 'none';

  constructor(private readonly rng: Rng, conditions: NetworkConditions = CALM) {
    this.conditions = { ...conditions };
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.cut.size > 0 && this.cut.has(link(from, to));
  }

  block(from: NodeId, to: NodeId): void {
    if (from !== to) this.cut.add(link(from, to));
  }

  /** Cut both directions between every node of `a` and every node of `b`. */
  split(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.block(x, y);
        this.block(y, x);
      }
    }
  }

  isolate(id: NodeId, all: readonly NodeId[]): void {
    this.split([id], all.filter((x) => x !== id));
  }

  heal(): void {
    this.cut.clear();
    this.partition = 'none';
  }

  /**
   * Decide the fate of one message sent at `now` from `from` to `to`: the
   * delivery times of its copies (empty when it is lost).
   */
  send(from: NodeId, to: NodeId, now: number): number[] {
    this.stats.sent++;
    if (this.isBlocked(from, to)) {
      this.stats.blocked++;
      return [];
    }
    const c = this.conditions;
    if (this.rng.chance(c.dropRate)) {
      this.stats.dropped++;
      return [];
    }
    const copies = this.rng.chance(c.dupRate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const out: number[] = [];
    const key = link(from, to);
    for (let i = 0; i < copies; i++) {
      let delay = this.rng.range(c.minDelay, c.maxDelay);
      if (c.longDelayRate > 0 && this.rng.chance(c.longDelayRate)) delay += this.rng.range(1, Math.max(1, c.longDelayMax));
      let at = now + delay;
      if (!c.reorder) {
        const last = this.tail.get(key) ?? 0;
        if (at < last) at = last;
        this.tail.set(key, at);
      }
      out.push(at);
    }
    return out;
  }

  /** A message reaches the end of its link: delivered unless the link was cut meanwhile. */
  arrives(from: NodeId, to: NodeId): boolean {
    if (this.isBlocked(from, to)) {
      this.stats.blocked++;
      return false;
    }
    this.stats.delivered++;
    return true;
  }

  /**
   * Start a partition of the given kind over `ids` (the nodes that exist).
   * `leader` is the current leader (0 if none); kinds that need one fall back
   * to a symmetric split. Returns a description.
   */
  partitionBy(kind: PartitionKind, ids: readonly NodeId[], leader: NodeId): string {
    this.heal();
    const rng = this.rng;
    const n = ids.length;
    if (n < 2) return 'none';
    const needsLeader = kind.startsWith('leader');
    if (needsLeader && (leader === 0 || !ids.includes(leader))) kind = 'symmetric';
    const others = ids.filter((x) => x !== leader);
    let desc: string;
    switch (kind) {
      case 'symmetric': {
        const s = rng.shuffled(ids);
        const k = rng.range(1, n - 1);
        this.split(s.slice(0, k), s.slice(k));
        desc = `split ${fmt(s.slice(0, k))} | ${fmt(s.slice(k))}`;
        break;
      }
      case 'minority-majority': {
        const s = rng.shuffled(ids);
        const k = Math.floor((n - 1) / 2) || 1;
        this.split(s.slice(0, k), s.slice(k));
        desc = `minority ${fmt(s.slice(0, k))} | majority ${fmt(s.slice(k))}`;
        break;
      }
      case 'leader-isolated':
        this.isolate(leader, ids);
        desc = `leader ${leader} isolated`;
        break;
      case 'leader-minority': {
        const s = rng.shuffled(others);
        const k = Math.max(0, Math.floor((n - 1) / 2) - 1);
        const minority = [leader, ...s.slice(0, k)];
        this.split(minority, s.slice(k));
        desc = `leader in minority ${fmt(minority)} | ${fmt(s.slice(k))}`;
        break;
      }
      case 'leader-deaf':
        // The leader's messages go out, nothing reaches it.
        for (const o of others) this.block(o, leader);
        desc = `leader ${leader} deaf`;
        break;
      case 'leader-mute':
        // The leader hears everyone but nobody hears it.
        for (const o of others) this.block(leader, o);
        desc = `leader ${leader} mute`;
        break;
      case 'asymmetric': {
        // Random directed links fail, each with probability 1/2 (at least one).
        const blocked: string[] = [];
        for (const x of ids) {
          for (const y of ids) {
            if (x !== y && rng.chance(0.5)) {
              this.block(x, y);
              blocked.push(`${x}->${y}`);
            }
          }
        }
        if (blocked.length === 0) {
          const [x, y] = rng.shuffled(ids);
          this.block(x!, y!);
          blocked.push(`${x}->${y}`);
        }
        desc = `asymmetric ${blocked.join(' ')}`;
        break;
      }
      case 'bridge': {
        // One node talks to both halves; the halves cannot talk to each other.
        const s = rng.shuffled(ids);
        const bridge = s[0]!;
        const rest = s.slice(1);
        const k = Math.max(1, Math.floor(rest.length / 2));
        this.split(rest.slice(0, k), rest.slice(k));
        desc = `bridge ${bridge}: ${fmt(rest.slice(0, k))} | ${fmt(rest.slice(k))}`;
        break;
      }
    }
    this.partition = desc;
    return desc;
  }
}

function link(from: NodeId, to: NodeId): number {
  return from * 1024 + to;
}

function fmt(ids: readonly NodeId[]): string {
  return `{${ids.join(',')}}`;
}
