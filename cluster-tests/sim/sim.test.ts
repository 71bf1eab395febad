// The deterministic simulation of the Raft core alone (cluster.ts), as a
// test: healthy runs find nothing, runs with a safety rule switched off find
// what that breaks, and the same seed always replays the same run. The
// simulation of the production host has its own (host-sim.test.ts).

import { describe, expect, it } from 'vitest';
import type { ViolationKind } from './checkers.js';
import { SAFETY_KINDS } from './checkers.js';
import type { RunOptions, RunResult } from './cluster.js';
import { runSeed } from './cluster.js';

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
async function firstSafetyFailure(opts: Omit<RunOptions, 'seed'>, max: number): Promise<RunResult | undefined> {
  for (let seed = 1; seed <= max; seed++) {
    const r = await runSeed({ ...opts, seed });
    if (r.violations.some((v) => SAFETY_KINDS.includes(v.kind))) return r;
  }
  return undefined;
}

describe('simulation of healthy clusters', () => {
  for (const nodes of [3, 5]) {
    it(`finds no violation in 30 seeds of ${nodes} nodes`, async () => {
      const results: RunResult[] = [];
      for (let seed = 1; seed <= 30; seed++) results.push(await runSeed({ seed, nodes, steps: 30_000 }));
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

  it('also finds none under the chaos profile', async () => {
    const results: RunResult[] = [];
    for (let seed = 1; seed <= 20; seed++) results.push(await runSeed({ seed, profile: 'chaos', steps: 30_000 }));
    expect(describeFailures(results)).toBe('');
  });
});

describe('the checkers have teeth', () => {
  const RULE_BROKEN: readonly ViolationKind[] = ['leader-completeness', 'state-machine-safety', 'committed-lost', 'lost-write'];

  it('committing entries of earlier terms by counting replicas (Raft figure 8) is caught', async () => {
    const r = await firstSafetyFailure(
      { nodes: 3, profile: 'chaos', steps: 40_000, unsafe: { commitOldTermsByCounting: true }, checkPromises: false },
      60,
    );
    expect(r, 'no violation in 60 seeds').toBeDefined();
    expect(RULE_BROKEN).toContain(r!.violations.find((v) => SAFETY_KINDS.includes(v.kind))!.kind);
  });

  it('acknowledging and voting before persisting is caught by its consequences', async () => {
    const r = await firstSafetyFailure(
      { nodes: 3, profile: 'chaos', steps: 40_000, unsafe: { ackBeforePersist: true }, checkPromises: false },
      60,
    );
    expect(r, 'no violation in 60 seeds').toBeDefined();
    const kinds = r!.violations.map((v) => v.kind);
    expect(kinds.some((k) => SAFETY_KINDS.includes(k))).toBe(true);
  });

  it('acknowledging and voting before persisting is caught at once by the durability check', async () => {
    const r = await runSeed({ seed: 1, unsafe: { ackBeforePersist: true } });
    expect(r.violations[0]?.kind).toBe('promise-not-durable');
  });
});

describe('determinism', () => {
  it('replays a seed exactly: same trace hash, steps and outcome', async () => {
    for (const seed of [3, 4]) {
      const a = await runSeed({ seed, steps: 20_000 });
      const b = await runSeed({ seed, steps: 20_000 });
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.steps).toBe(a.steps);
      expect(b.stats).toEqual(a.stats);
    }
  });

  it('different seeds give different runs', async () => {
    const hashes = new Set(await Promise.all([5, 6, 7, 8].map(async (seed) => (await runSeed({ seed, steps: 2000 })).traceHash)));
    expect(hashes.size).toBe(4);
  });

  it('the trace is a pure function of the seed, whatever ran before', async () => {
    const lines: string[] = [];
    const a = await runSeed({ seed: 9, steps: 1500, trace: (l) => lines.push(l) });
    await runSeed({ seed: 10, steps: 1500 });
    const again: string[] = [];
    const b = await runSeed({ seed: 9, steps: 1500, trace: (l) => again.push(l) });
    expect(b.traceHash).toBe(a.traceHash);
    expect(again).toEqual(lines);
  });
});
