// The cluster clock against scripted wall and monotonic clocks: what it
// stamps never goes back, moves at the monotonic rate within the slew bound
// whatever the wall clock does, converges on a wall clock that stays put, and
// a new leader continues from the last time it applied.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterClock, SLEW_DOWN, SLEW_UP } from './cluster-clock.js';

/** Real time starts at 1.7e12 ms; the node's wall clock is real time plus `offset`. */
class FakeClocks {
  real = 1_700_000_000_000;
  offset = 0;
  wall = (): number => this.real + this.offset;
  mono = (): number => this.real - 1_699_000_000_000;
}

type Step = { kind: 'advance'; ms: number } | { kind: 'jump'; ms: number } | { kind: 'stamp' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60_000 }) }),
  fc.record({ kind: fc.constant('jump' as const), ms: fc.integer({ min: -120_000, max: 120_000 }) }),
  fc.record({ kind: fc.constant('stamp' as const) }),
);

/** Run `steps`; return every stamp with the real time it was made at. */
function run(steps: readonly Step[], c: FakeClocks, clock: ClusterClock): { at: number; t: number }[] {
  const out: { at: number; t: number }[] = [];
  for (const s of steps) {
    if (s.kind === 'advance') c.real += s.ms;
    else if (s.kind === 'jump') c.offset += s.ms;
    else out.push({ at: c.real, t: clock.stamp() });
  }
  return out;
}

describe('ClusterClock', () => {
  it('anchors a brand-new cluster on the wall clock, and never stamps below the applied time', () => {
    const c = new FakeClocks();
    const clock = new ClusterClock(c);
    expect(clock.stamp()).toBe(c.wall());
    c.real += 10;
    expect(clock.stamp(c.wall() + 5_000)).toBe(c.wall() + 5_000);
  });

  it('stamps never go back, whatever the wall clock does', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const c = new FakeClocks();
        const out = run([{ kind: 'stamp' }, ...steps], c, new ClusterClock(c));
        for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThanOrEqual(out[i - 1]!.t);
      }),
    );
  });

  it('moves at the monotonic rate within the slew bound over any interval, so a wall jump of J moves it by at most slew x elapsed', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const c = new FakeClocks();
        const out = run([{ kind: 'stamp' }, ...steps], c, new ClusterClock(c));
        for (let i = 0; i < out.length; i++) {
          for (let j = i + 1; j < out.length; j++) {
            const real = out[j]!.at - out[i]!.at;
            const moved = out[j]!.t - out[i]!.t;
            // Whole-ms stamps: 1 ms of rounding either way.
            expect(moved).toBeGreaterThanOrEqual(real * (1 - SLEW_DOWN) - 1);
            expect(moved).toBeLessThanOrEqual(real * (1 + SLEW_UP) + 1);
          }
        }
      }),
    );
  });

  it('converges on a wall clock that stays put, and then stays within a ms of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5_000, max: 5_000 }), fc.integer({ min: 1, max: 1_000 }), (jump, every) => {
        const c = new FakeClocks();
        const clock = new ClusterClock(c);
        clock.stamp();
        c.offset = jump;
        // Long enough to slew the whole jump away at the slower of the two rates, stamping every `every` ms.
        const needed = Math.abs(jump) / Math.min(SLEW_UP, SLEW_DOWN) + 2 * every;
        for (let t = 0; t < needed; t += every) {
          c.real += every;
          clock.stamp();
        }
        c.real += every;
        expect(Math.abs(clock.stamp() - c.wall())).toBeLessThanOrEqual(1);
        c.real += 60_000;
        expect(Math.abs(clock.stamp() - c.wall())).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });

  it('a new leader continues from the last live time it applied plus its monotonic time since: no jump toward its wrong wall clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: -120_000, max: 120_000 }), fc.integer({ min: 0, max: 30_000 }), (offset, idle) => {
        const c = new FakeClocks();
        c.offset = offset; // this node's wall clock is wrong by `offset`
        const follower = new ClusterClock(c);
        const applied = c.real - 2; // stamped by a leader with a right clock, applied 2 ms later
        follower.observe(applied);
        follower.observe(applied - 50); // an older time never replaces the link
        c.real += idle;
        const t = follower.stamp(applied);
        // Its wall clock is `offset + 2` from the continued time; it slews at most that far, at the bounded rate.
        const gap = offset + 2;
        const slew = (gap > 0 ? SLEW_UP : SLEW_DOWN) * idle;
        expect(Math.abs(t - (applied + idle))).toBeLessThanOrEqual(Math.min(Math.abs(gap), slew) + 1);
      }),
    );
  });

  it('links only to entries of the term of the leader known last: a cluster restarted after an outage anchors on its wall clock, not on the replayed times', () => {
    const c = new FakeClocks();
    const clock = new ClusterClock(c);
    const beforeOutage = c.real - 600_000;
    clock.applied(beforeOutage, 4); // replayed at start: no leader known yet
    clock.leaderKnown(5);
    clock.applied(beforeOutage + 1, 4); // an old term's entry applied after the election
    expect(clock.linked).toBe(false);
    expect(clock.stamp(beforeOutage + 1)).toBe(c.wall());
    // A follower in term 5 links to the leader's stamps, whatever its own wall clock says.
    const follower = new ClusterClock(c);
    follower.leaderKnown(5);
    c.offset = 90_000;
    follower.applied(c.real - 1, 5);
    expect(follower.linked).toBe(true);
    c.real += 1_000;
    expect(follower.stamp() - (c.real - 1_001)).toBeLessThanOrEqual(1_000 * (1 + SLEW_UP) + 1);
  });

  it('now() tells the time stamp() would, without moving the link', () => {
    const c = new FakeClocks();
    const clock = new ClusterClock(c);
    clock.stamp();
    c.offset = 60_000;
    c.real += 1_000;
    const peek = clock.now();
    expect(clock.now()).toBe(peek);
    expect(clock.stamp()).toBe(peek);
    expect(peek - (c.real - 1_000)).toBeLessThanOrEqual(1_000 * (1 + SLEW_UP) + 1);
  });
});
