// The deterministic simulation, as a test: healthy runs find nothing, runs
// with a safety rule switched off find what that breaks, the same seed always
// replays the same run, and the known core bugs are tracked.

import { describe, expect, it } from 'vitest';
import type { ViolationKind } from './checkers.js';
import { SAFETY_KINDS } from './checkers.js';
import type { RunOptions, RunResult } from './cluster.js';
import { runSeed } from './cluster.js';
import type { Workaround } from './workload.js';
import { KNOWN_CORE_BUGS } from './workload.js';

/** Work around the open core bugs so these runs test everything else. */
const AROUND: readonly Workaround[] = KNOWN_CORE_BUGS.map((b) => b.name);

function describeFailures(rs: readonly RunResult[]): string {
  return rs
    .filter((r) => r.violations.length)
    .map((r) => `seed ${r.seed} (${r.settings}): ${r.violations.map((v) => `${v.kind} at step ${v.step}: ${v.message}`).join('; ')}`)
    .join('\n');
}

/**
 * Run seeds from 1 until one finds a violation of a safety property (a broken
 * rule may also show as a liveness failure first: a follower that lost what it
 * acknowledged can stall replication; those runs are passed over). Returns the
 * run, or undefined after `max` seeds.
 */
function firstSafetyFailure(opts: Omit<RunOptions, 'seed'>, max: number): RunResult | undefined {
  for (let seed = 1; seed <= max; seed++) {
    const r = runSeed({ ...opts, seed });
    if (r.violations.some((v) => SAFETY_KINDS.includes(v.kind))) return r;
  }
  return undefined;
}

describe('simulation of healthy clusters', () => {
  for (const nodes of [3, 5]) {
    it(`finds no violation in 30 seeds of ${nodes} nodes`, () => {
      const results: RunResult[] = [];
      for (let seed = 1; seed <= 30; seed++) results.push(runSeed({ seed, nodes, steps: 30_000, workarounds: AROUND }));
      expect(describeFailures(results)).toBe('');
      // The runs did something: elections, commits, faults, reads, membership changes.
      const sum = (f: (r: RunResult) => number): number => results.reduce((a, r) => a + f(r), 0);
      expect(sum((r) => r.stats.terms)).toBeGreaterThan(30 * 3);
      expect(sum((r) => r.stats.workload.confirmed)).toBeGreaterThan(30 * 50);
      expect(sum((r) => r.stats.crashes)).toBeGreaterThan(30 * 3);
      expect(sum((r) => r.stats.workload.readsAnswered)).toBeGreaterThan(30 * 10);
      expect(sum((r) => r.stats.workload.confChangesApplied)).toBeGreaterThan(30);
      for (const r of results) expect(r.stats.livenessTicks).toBeGreaterThan(0);
    });
  }

  it('also finds none under the chaos profile', () => {
    const results: RunResult[] = [];
    for (let seed = 1; seed <= 20; seed++) results.push(runSeed({ seed, profile: 'chaos', steps: 30_000, workarounds: AROUND }));
    expect(describeFailures(results)).toBe('');
  });
});

describe('the checkers have teeth', () => {
  const RULE_BROKEN: readonly ViolationKind[] = ['leader-completeness', 'state-machine-safety', 'committed-lost', 'lost-write'];

  it('committing entries of earlier terms by counting replicas (Raft figure 8) is caught', () => {
    const r = firstSafetyFailure(
      { nodes: 3, profile: 'chaos', steps: 40_000, unsafe: { commitOldTermsByCounting: true }, checkPromises: false, workarounds: AROUND },
      60,
    );
    expect(r, 'no violation in 60 seeds').toBeDefined();
    expect(RULE_BROKEN).toContain(r!.violations.find((v) => SAFETY_KINDS.includes(v.kind))!.kind);
  });

  it('acknowledging and voting before persisting is caught by its consequences', () => {
    const r = firstSafetyFailure(
      { nodes: 3, profile: 'chaos', steps: 40_000, unsafe: { ackBeforePersist: true }, checkPromises: false, workarounds: AROUND },
      60,
    );
    expect(r, 'no violation in 60 seeds').toBeDefined();
    const kinds = r!.violations.map((v) => v.kind);
    expect(kinds.some((k) => SAFETY_KINDS.includes(k))).toBe(true);
  });

  it('acknowledging and voting before persisting is caught at once by the durability check', () => {
    const r = runSeed({ seed: 1, unsafe: { ackBeforePersist: true }, workarounds: AROUND });
    expect(r.violations[0]?.kind).toBe('promise-not-durable');
  });
});

describe('determinism', () => {
  it('replays a seed exactly: same trace hash, steps and outcome', () => {
    for (const seed of [3, 4]) {
      const a = runSeed({ seed, steps: 20_000, workarounds: AROUND });
      const b = runSeed({ seed, steps: 20_000, workarounds: AROUND });
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.steps).toBe(a.steps);
      expect(b.stats).toEqual(a.stats);
    }
  });

  it('different seeds give different runs', () => {
    const hashes = new Set([5, 6, 7, 8].map((seed) => runSeed({ seed, steps: 2000, workarounds: AROUND }).traceHash));
    expect(hashes.size).toBe(4);
  });

  it('the trace is a pure function of the seed, whatever ran before', () => {
    const lines: string[] = [];
    const a = runSeed({ seed: 9, steps: 1500, workarounds: AROUND, trace: (l) => lines.push(l) });
    runSeed({ seed: 10, steps: 1500, workarounds: AROUND });
    const again: string[] = [];
    const b = runSeed({ seed: 9, steps: 1500, workarounds: AROUND, trace: (l) => again.push(l) });
    expect(b.traceHash).toBe(a.traceHash);
    expect(again).toEqual(lines);
  });
});

// Open core bugs (none at the moment): each must still reproduce; when one is fixed, remove it from KNOWN_CORE_BUGS.
const knownBugs = KNOWN_CORE_BUGS.length ? describe : describe.skip;
knownBugs('known core bugs', () => {
  if (!KNOWN_CORE_BUGS.length) it('none is open', () => undefined);
  for (const bug of KNOWN_CORE_BUGS) {
    it(`${bug.name} reproduces with seed ${bug.seed}`, () => {
      const r = runSeed({ seed: bug.seed, workarounds: bug.workarounds });
      expect(r.violations.length, `seed ${bug.seed} no longer finds ${bug.name}: remove it from KNOWN_CORE_BUGS`).toBeGreaterThan(0);
    });
  }
});
