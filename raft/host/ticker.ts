// One tick timer for every Raft group a node hosts, and node-level liveness
// for the groups that went quiet.
//
// Why one timer: a timer per group costs a timer callback, a deferral and a
// tick per group every tickMs whatever the group does; with a thousand idle
// groups that was ~18% of a core per node and delayed the busy groups' ticks
// into elections. Here the node has one timer; each tick visits only the
// groups that are awake. A quiet group (raft/core/raft.ts, quiescence) leaves
// the awake set and costs nothing per tick: no visit, no allocation.
//
// Why liveness here: a quiet follower has stopped its election timer, so it
// cannot notice its leader dying. What it needs is whether the leader's NODE
// is alive, and that is the same answer for every group that node leads: the
// ticker keeps, per peer node, the tick it was last heard from (any traffic:
// the transport reports every batch received, see TransportListener.heard),
// and asks the transport for a keepalive to every peer each heartbeat
// interval (one small message per pair, whatever the number of groups; the
// transport skips it when other traffic went out). Each tick it looks at the
// leaders of quiet followers (a handful of nodes, not the groups) and wakes
// every quiet follower of a leader not heard from for an election timeout, as
// a follower whose own election timer ran out: it campaigns (PreVote first).
// Ticks, not wall time, measure the silence, for the same reason the host
// defers its ticks (replica-host.ts start): a node whose event loop was busy
// has not heard the peers it did not read yet, and must not blame them.

import type { NodeId } from '../core/types.js';
import type { Clock } from './env.js';

/** A group as the ticker drives it (implemented by ReplicaHost). */
export interface Tickable {
  /** One tick of the group's time. */
  tickOnce(): void;
  /** The group's leader's node has been silent for `silentTicks`: wake up and act as a follower whose timer ran out. */
  leaderSilent(): void;
}

export interface TickerOptions {
  readonly clock: Clock;
  readonly tickMs: number;
  /** Ticks without a word from a peer node after which its quiet followers wake (an election timeout). */
  readonly silentTicks: number;
  /** Ticks between keepalives (a heartbeat interval). */
  readonly pingTicks: number;
  /** Send a keepalive to every peer (the transport skips peers it sent something to since the last call). */
  readonly ping?: () => void;
}

export interface TickerStats {
  /** Groups ticked every tick. */
  awake: number;
  /** Quiet groups (leaders and followers). */
  quiet: number;
  /** Quiet followers woken because their leader's node went silent. */
  silenceWakes: number;
}

export class Ticker {
  private readonly awake = new Set<Tickable>();
  /** Quiet followers, by the node that leads them. */
  private readonly sleepers = new Map<NodeId, Set<Tickable>>();
  /** Quiet leaders (nothing to watch for them: they wake on their own inputs). */
  private readonly quietLeaders = new Set<Tickable>();
  /** The tick each peer node was last heard from. */
  private readonly heardAt = new Map<NodeId, number>();
  private ticks = 0;
  private timer: unknown;
  private silenceWakes = 0;
  /**
   * Ticks of silence that mean a peer is gone: an election timeout, but never
   * less than two keepalive rounds and a little: a peer skips its keepalive in
   * a round after it sent us something, so a live peer may be heard only every
   * second round (the simulation found a quiet follower woken with
   * electionTicks 6 and heartbeatTicks 3).
   */
  private readonly silentAfter: number;

  constructor(private readonly opts: TickerOptions) {
    this.silentAfter = Math.max(opts.silentTicks, 2 * opts.pingTicks + 2);
  }

  get tickMs(): number {
    return this.opts.tickMs;
  }

  /** Something arrived from `peer`. */
  heard(peer: NodeId): void {
    this.heardAt.set(peer, this.ticks);
  }

  /** Whether `peer` was heard from within the last `silentTicks`. */
  recentlyHeard(peer: NodeId): boolean {
    const at = this.heardAt.get(peer);
    return at !== undefined && this.ticks - at < this.silentAfter;
  }

  /** A group starts (awake). */
  add(t: Tickable): void {
    this.forget(t);
    this.awake.add(t);
    if (this.timer === undefined) this.start();
  }

  /** A group stops. */
  remove(t: Tickable): void {
    this.forget(t);
    if (this.awake.size === 0 && this.sleepers.size === 0 && this.quietLeaders.size === 0) this.stop();
  }

  /** A group went quiet; `leader` is its leader's node, or 0 when it leads itself. */
  quiet(t: Tickable, leader: NodeId): void {
    this.forget(t);
    if (leader === 0) {
      this.quietLeaders.add(t);
      return;
    }
    let set = this.sleepers.get(leader);
    if (!set) {
      set = new Set();
      this.sleepers.set(leader, set);
    }
    set.add(t);
    // It just heard its leader's quiesce heartbeat.
    if (!this.heardAt.has(leader)) this.heardAt.set(leader, this.ticks);
  }

  /** A quiet group woke up. */
  woke(t: Tickable): void {
    this.forget(t);
    this.awake.add(t);
  }

  stats(): TickerStats {
    let sleeping = 0;
    for (const s of this.sleepers.values()) sleeping += s.size;
    return { awake: this.awake.size, quiet: sleeping + this.quietLeaders.size, silenceWakes: this.silenceWakes };
  }

  private forget(t: Tickable): void {
    if (this.awake.delete(t) || this.quietLeaders.delete(t)) return;
    for (const [leader, set] of this.sleepers) {
      if (set.delete(t)) {
        if (set.size === 0) this.sleepers.delete(leader);
        return;
      }
    }
  }

  private start(): void {
    const clock = this.opts.clock;
    this.timer = clock.setInterval(() => {
      // Deferred past the poll phase (see replica-host.ts start for why).
      clock.defer(() => this.tick());
    }, this.opts.tickMs);
  }

  /** Stop the timer (every group stopped). */
  stop(): void {
    if (this.timer !== undefined) this.opts.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (this.timer === undefined) return;
    const now = ++this.ticks;
    // A group that goes quiet in its tick leaves the set meanwhile: Set iteration allows it.
    for (const t of this.awake) t.tickOnce();
    if (now % this.opts.pingTicks === 0) this.opts.ping?.();
    if (this.sleepers.size === 0) return;
    for (const [leader, set] of this.sleepers) {
      if (now - (this.heardAt.get(leader) ?? now) < this.silentAfter) continue;
      // Each one moves itself to `awake` (or, with a planted bug, stays: tests only).
      for (const t of [...set]) {
        this.silenceWakes++;
        t.leaderSilent();
      }
    }
  }
}
