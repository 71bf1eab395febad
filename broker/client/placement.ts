// Where the client believes each queue lives: for a partitioned queue, each
// partition's Raft group and that group's leader (id and client address),
// learnt from Placement answers and kept up to date from publish answers
// (each names the group that stored it and its leader: a publish sent to a
// node that no longer leads is forwarded there, and its answer redirects the
// next one). Pure bookkeeping, no I/O, like members.ts: the Connection feeds
// it and the producer asks it where a partition's publishes go.
//
// Bounded: at most `maxQueues` queues, the least recently used dropped first.
// Each entry lives `ttlMs` (placements move when leaders are rebalanced, and
// a node may have answered before it knew every leader), and a partition's
// leader is forgotten at once when its address fails, so the next publish
// goes through any node (which forwards) while a fresh lookup runs.

/** One partition as the client knows it. */
export interface PartitionRoute {
  readonly partition: number;
  readonly group: number;
  readonly members: readonly number[];
  /** The group's leader (0 when unknown). */
  readonly leader: number;
  /** The leader's client address (undefined when unknown: publish through any node). */
  readonly address: string | undefined;
  /** The group's term the leader was learnt at (0 when learnt from a publish answer). */
  readonly term: number;
}

/** A queue's placement: by partition; no partitions for an ordinary queue (it lives in the metadata group). */
export interface QueuePlacement {
  readonly queue: string;
  readonly partitions: readonly PartitionRoute[];
}

export interface PlacementCacheOptions {
  /** Queues remembered at once. Default 1024. */
  readonly maxQueues?: number;
  /** How long a looked-up placement is trusted, ms. Default 60 000. */
  readonly ttlMs?: number;
}

interface Entry {
  placement: QueuePlacement;
  readonly expires: number;
}

/** The SDK's placement cache (see the top of this file). */
export class PlacementCache {
  private readonly entries = new Map<string, Entry>();
  /** Which queue and partition each cached group serves. */
  private readonly groups = new Map<number, { readonly queue: string; readonly partition: number }>();
  readonly maxQueues: number;
  readonly ttlMs: number;

  constructor(o: PlacementCacheOptions = {}) {
    this.maxQueues = o.maxQueues ?? 1024;
    this.ttlMs = o.ttlMs ?? 60_000;
    if (!Number.isInteger(this.maxQueues) || this.maxQueues < 1) throw new RangeError(`placement maxQueues must be an integer >= 1 (got ${this.maxQueues})`);
    if (!(this.ttlMs > 0)) throw new RangeError(`placement ttlMs must be > 0 (got ${this.ttlMs})`);
  }

  /** Queues cached. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached placement, or undefined when none or expired (then it is dropped). */
  get(queue: string, now: number): QueuePlacement | undefined {
    const e = this.entries.get(queue);
    if (!e) return undefined;
    if (now >= e.expires) {
      this.invalidate(queue);
      return undefined;
    }
    // Most recently used last: the first entry is the one to drop.
    this.entries.delete(queue);
    this.entries.set(queue, e);
    return e.placement;
  }

  /** Remember a looked-up placement (replacing any), dropping the least recently used queue beyond the bound. */
  put(p: QueuePlacement, now: number): void {
    this.invalidate(p.queue);
    this.entries.set(p.queue, { placement: p, expires: now + this.ttlMs });
    for (const r of p.partitions) this.groups.set(r.group, { queue: p.queue, partition: r.partition });
    while (this.entries.size > this.maxQueues) this.invalidate(this.entries.keys().next().value!);
  }

  /** Forget a queue's placement: the next publish looks it up again. */
  invalidate(queue: string): void {
    const e = this.entries.get(queue);
    if (!e) return;
    this.entries.delete(queue);
    for (const r of e.placement.partitions) if (this.groups.get(r.group)?.queue === queue) this.groups.delete(r.group);
  }

  /** Where partition `partition` of `queue`'s publishes go now, when known. */
  leaderAddress(queue: string, partition: number): string | undefined {
    return this.entries.get(queue)?.placement.partitions[partition]?.address;
  }

  /** Whether some partition of a cached queue has no known leader address (worth a lookup). */
  incomplete(queue: string): boolean {
    return this.entries.get(queue)?.placement.partitions.some((r) => !r.address) ?? false;
  }

  /**
   * An answer said `leader` leads `group` (a publish answer: the group that
   * stored it, and its leader then). Returns true when that is news for a
   * cached partition — a redirect: later publishes go to `address` (or,
   * when the address is not known, through any node until a lookup).
   */
  observeLeader(group: number, leader: number, address: string | undefined): boolean {
    const at = this.groups.get(group);
    if (!at || !leader) return false;
    const r = this.entries.get(at.queue)?.placement.partitions[at.partition];
    if (!r || (r.leader === leader && r.address === address)) return false;
    this.replace(at.queue, at.partition, { ...r, leader, address, term: 0 });
    return true;
  }

  /** A call to `address` could not reach it, or it could not serve: no partition's publishes go there until relearnt. Returns the queues touched. */
  failed(address: string): string[] {
    const touched: string[] = [];
    for (const [queue, e] of this.entries) {
      e.placement.partitions.forEach((r, p) => {
        if (r.address !== address) return;
        this.replace(queue, p, { ...r, leader: 0, address: undefined });
        if (!touched.includes(queue)) touched.push(queue);
      });
    }
    return touched;
  }

  private replace(queue: string, partition: number, r: PartitionRoute): void {
    const e = this.entries.get(queue)!;
    const partitions = [...e.placement.partitions];
    partitions[partition] = r;
    e.placement = { queue, partitions };
  }
}

/**
 * Several nodes' answers for one queue, merged: the partitions of the answer
 * that has the most, and for each partition the leader of the highest term
 * any answer knew (a node that does not host a group knows none).
 */
export function mergePlacements(answers: readonly QueuePlacement[]): QueuePlacement | undefined {
  if (answers.length === 0) return undefined;
  const base = answers.reduce((a, b) => (b.partitions.length > a.partitions.length ? b : a));
  const partitions = base.partitions.map((r, p) => {
    let best = r;
    for (const a of answers) {
      const o = a.partitions[p];
      if (o && o.group === r.group && o.address && (!best.address || o.term > best.term)) best = o;
    }
    return best;
  });
  return { queue: base.queue, partitions };
}
