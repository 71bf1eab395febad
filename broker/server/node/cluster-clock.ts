// The cluster's time: what a leader stamps into entries, the only time the
// machines see (TTLs, delays, ack timeouts, retention by age all run on it).
//
// Why not the leader's wall clock: a node's wall clock can step (NTP step,
// `date -s`, a VM resumed) by seconds or minutes. Stamped as is, a step
// forward runs the queue's time ahead of real time (every deadline fires
// early) and a step back freezes it (stamps held at the last value, then a
// leap when the clock returns: delays published during the freeze end early).
//
// Design:
// - Cluster time advances at the rate of this node's MONOTONIC clock, which
//   never steps (and on Linux is disciplined at the same rate as the wall
//   clock, so the two only drift apart by steps). Each stamp is
//   `previous cluster time + monotonic time elapsed since it`.
// - It follows the wall clock only by slewing: over an interval of dt ms it
//   moves at most SLEW_UP·dt ahead of / SLEW_DOWN·dt behind the pure monotonic
//   advance, toward the wall clock. A wall jump of J moves cluster time by at
//   most slew·elapsed, while a cluster whose clocks are right stays within
//   ms of them (only leader changes lose a few ms, caught up by the slew).
//   Faster is the unsafe direction (deadlines fire early: a delay d ends
//   SLEW_UP·d early), slower only makes them late, hence SLEW_UP < SLEW_DOWN;
//   both are within NTP's own 500 ppm.
// - The anchor ("link"): the last cluster time this node knows together with
//   its monotonic reading then. The leader links to each time it stamps;
//   every node links to each newer time it applies from an entry of the
//   current term (live: stamped by the leader this node follows now). So a
//   new leader continues from the last applied time plus its monotonic time
//   since applying it, and never jumps. Entries of older terms (replayed at
//   start, or applied late after an election) give no link: their stamps may
//   be arbitrarily old.
// - No link (a brand-new cluster; a node restarted, so no monotonic link
//   survives, and elected before it applied a live entry): anchor on the wall
//   clock, as nothing better is known — a whole cluster restarted after an
//   outage counts the outage as elapsed, as TTLs promise. The one thing this
//   cannot guard against: a restarted node whose wall clock is wrong, elected
//   before it hears a leader's entry.
// - Monotonic per group: never below the last applied time (`floor`, the
//   machines' now; a previous leader may have stamped ahead) nor below this
//   node's previous stamp.
// Stamps are whole ms (replies carry times as integers); the link keeps the
// fraction so the slew accumulates.

import { performance } from 'node:perf_hooks';

/** The two clocks a node has: wall (ms since the epoch, may step) and monotonic (ms, never steps). */
export interface Clocks {
  wall(): number;
  mono(): number;
}

export const systemClocks: Clocks = { wall: () => Date.now(), mono: () => performance.now() };

/** At most this much faster than the monotonic clock while catching up with a wall clock ahead (200 ppm: 0.2 ms per s). */
export const SLEW_UP = 200e-6;
/** At most this much slower while letting a wall clock behind catch up (500 ppm). */
export const SLEW_DOWN = 500e-6;

export interface Slew {
  readonly up: number;
  readonly down: number;
}

/**
 * A cluster time and this node's monotonic clock when it knew it. The time is
 * `anchor + rel`: a whole-ms anchor near 1.7e12 and a small part that holds
 * the fraction the slew adds (added straight to a 1.7e12 number, 0.004 ms of
 * slew per 20 ms stamp loses ~1e-4 ms to rounding each time: ms per hour).
 */
interface Link {
  readonly anchor: number;
  readonly rel: number;
  readonly mono: number;
}

/** Past this, the link's whole ms move into the anchor. */
const REANCHOR_MS = 1e6;

export class ClusterClock {
  private link: Link | undefined;

  constructor(
    private readonly clocks: Clocks = systemClocks,
    private readonly slew: Slew = { up: SLEW_UP, down: SLEW_DOWN },
  ) {}

  /** Whether this node knows a cluster time linked to its monotonic clock. */
  get linked(): boolean {
    return this.link !== undefined;
  }

  /** The term of the leader this node learned of last: entries of that term are live. */
  private liveTerm = 0;

  /** This node learned that a leader leads `term`. */
  leaderKnown(term: number): void {
    if (term > this.liveTerm) this.liveTerm = term;
  }

  /** This node applied an entry of `term` that left the machines' time at `time`: a link if the entry is live. */
  applied(time: number, term: number): void {
    if (term === this.liveTerm) this.observe(time);
  }

  /**
   * A cluster time known live now: a newer one becomes the link. The
   * leader's own entries come back with the time it stamped, already its
   * link.
   */
  observe(time: number): void {
    const l = this.link;
    if (l && time <= l.anchor + l.rel) return;
    this.link = { anchor: time, rel: 0, mono: this.clocks.mono() };
  }

  /** The time a stamp would carry now (no state change): for comparing deadlines and estimating cluster time on any node. */
  now(floor = 0): number {
    const l = this.compute(floor);
    return Math.max(l.anchor + Math.floor(l.rel), floor);
  }

  /** The time for a new entry; `floor` is the newest time applied (machines.now). */
  stamp(floor = 0): number {
    let l = this.compute(floor);
    if (l.rel > REANCHOR_MS) {
      const whole = Math.floor(l.rel);
      l = { anchor: l.anchor + whole, rel: l.rel - whole, mono: l.mono };
    }
    this.link = l;
    return Math.max(l.anchor + Math.floor(l.rel), floor);
  }

  private compute(floor: number): Link {
    const mono = this.clocks.mono();
    const wall = this.clocks.wall();
    const l = this.link;
    if (!l) return { anchor: Math.max(wall, floor), rel: 0, mono };
    const dt = Math.max(0, mono - l.mono);
    const base = l.rel + dt;
    const off = wall - l.anchor - base;
    let rel = base + Math.min(this.slew.up * dt, Math.max(-this.slew.down * dt, off));
    if (rel < l.rel) rel = l.rel;
    if (floor - l.anchor > rel) rel = floor - l.anchor;
    return { anchor: l.anchor, rel, mono };
  }
}
