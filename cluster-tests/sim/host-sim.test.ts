// The deterministic simulation of the production host (host-cluster.ts), as
// a test: healthy runs of ReplicaHost with the real machines find nothing
// and do real work (snapshots, checkpoints, restarts, appends read back);
// each bug planted in the host is found; and a seed replays exactly.

import { describe, expect, it } from 'vitest';
import { SAFETY_KINDS } from './checkers.js';
import type { HostRunOptions, HostRunResult } from './host-cluster.js';
import { runHostSeed } from './host-cluster.js';

function describeFailures(rs: readonly HostRunResult[]): string {
  return rs
    .filter((r) => r.violations.length)
    .map((r) => `seed ${r.seed} (${r.settings}): ${r.violations.map((v) => `${v.kind} at step ${v.step}: ${v.message}`).join('; ')}`)
    .join('\n');
}

/** Run seeds from 1 until one finds a violation of a safety property; undefined after `max` seeds. */
async function firstSafetyFailure(opts: Omit<HostRunOptions, 'seed'>, max: number): Promise<HostRunResult | undefined> {
  for (let seed = 1; seed <= max; seed++) {
    const r = await runHostSeed({ ...opts, seed });
    if (r.violations.some((v) => SAFETY_KINDS.includes(v.kind))) return r;
  }
  return undefined;
}

describe('simulation of the production host', () => {
  it('finds no violation in 16 seeds of 3 and 5 nodes, and the runs exercise the host', { timeout: 300_000 }, async () => {
    const results: HostRunResult[] = [];
    for (let seed = 1; seed <= 16; seed++) results.push(await runHostSeed({ seed, nodes: seed % 2 ? 3 : 5, steps: 8000 }));
    expect(describeFailures(results)).toBe('');
    const sum = (f: (r: HostRunResult) => number): number => results.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.stats.terms)).toBeGreaterThan(16 * 3);
    expect(sum((r) => r.stats.crashes)).toBeGreaterThan(16 * 2);
    expect(sum((r) => r.stats.workload.appendsConfirmed)).toBeGreaterThan(16 * 20);
    expect(sum((r) => r.stats.workload.duplicates)).toBeGreaterThan(0);
    expect(sum((r) => r.stats.workload.readsAnswered)).toBeGreaterThan(16 * 5);
    expect(sum((r) => r.stats.snapshots)).toBeGreaterThan(16);
    expect(sum((r) => r.stats.checkpoints)).toBeGreaterThan(16);
    expect(sum((r) => r.stats.restarts)).toBeGreaterThan(16);
    expect(sum((r) => r.stats.installs)).toBeGreaterThan(0);
    expect(sum((r) => r.stats.claims)).toBeGreaterThan(16 * 20);
    // Every member checked every confirmed append: read back, or found dropped by retention.
    for (const r of results) expect(r.stats.appendsRead + r.stats.appendsDropped).toBeGreaterThanOrEqual(r.stats.workload.appendsConfirmed * 2);
    expect(sum((r) => r.stats.appendsRead)).toBeGreaterThan(16 * 20);
    for (const r of results) expect(r.stats.livenessTicks).toBeGreaterThan(0);
    // Quiescence is on in most seeds: idle groups go quiet (each such run ends with an idle phase that must), and quiet followers wake for dead leaders.
    const quiet = results.filter((r) => r.settings.includes('quiesce=true'));
    expect(quiet.length).toBeGreaterThan(8);
    for (const r of quiet) expect(r.stats.quiets).toBeGreaterThanOrEqual(r.nodes);
    expect(sum((r) => r.stats.silenceWakes)).toBeGreaterThan(0);
  });

  it('also finds none under the chaos profile', { timeout: 300_000 }, async () => {
    const results: HostRunResult[] = [];
    for (let seed = 1; seed <= 8; seed++) results.push(await runHostSeed({ seed, profile: 'chaos', steps: 8000 }));
    expect(describeFailures(results)).toBe('');
  });
});

describe('the host checks have teeth', () => {
  it('a leader applying (and confirming) entries before a majority has them durably is caught', { timeout: 300_000 }, async () => {
    const r = await firstSafetyFailure({ nodes: 3, profile: 'chaos', steps: 6000, hostUnsafe: { applyUncommitted: true } }, 10);
    expect(r, 'no violation in 10 seeds').toBeDefined();
    const kinds = r!.violations.map((v) => v.kind);
    expect(kinds.some((k) => ['lost-write', 'machine-divergence', 'snapshot-replay', 'unreadable-append', 'state-machine-safety'].includes(k))).toBe(true);
  });

  it('snapshots that drop live indexes (compacting entries a stream still reads) are caught', { timeout: 300_000 }, async () => {
    const r = await firstSafetyFailure({ steps: 8000, hostUnsafe: { ignoreLiveIndexes: true } }, 10);
    expect(r, 'no violation in 10 seeds').toBeDefined();
    expect(r!.violations.map((v) => v.kind)).toContain('unreadable-append');
  });

  it('a quiet follower that never wakes when its leader dies is caught', { timeout: 300_000 }, async () => {
    let found: HostRunResult | undefined;
    for (let seed = 1; seed <= 10 && !found; seed++) {
      const r = await runHostSeed({ seed, steps: 8000, quiesce: true, hostUnsafe: { ignoreLeaderSilence: true } });
      if (r.violations.length) found = r;
    }
    expect(found, 'no violation in 10 seeds').toBeDefined();
    expect(found!.violations.map((v) => v.kind)).toContain('quiet-follower-stuck');
    // The same seed without the bug is clean.
    const clean = await runHostSeed({ seed: found!.seed, steps: 8000, quiesce: true });
    expect(describeFailures([clean])).toBe('');
  });

  it('a restart that restores its checkpoint but resumes from the snapshot (entries applied twice) is caught by the machine checks', { timeout: 300_000 }, async () => {
    const r = await firstSafetyFailure({ steps: 8000, hostUnsafe: { restartAtSnapshotIndex: true } }, 10);
    expect(r, 'no violation in 10 seeds').toBeDefined();
    expect(r!.violations.map((v) => v.kind)).toContain('machine-divergence');
  });
});

describe('determinism of the host simulation', () => {
  it('replays a seed exactly: same trace hash, steps and outcome', { timeout: 120_000 }, async () => {
    for (const seed of [3, 4]) {
      const a = await runHostSeed({ seed, steps: 6000 });
      const b = await runHostSeed({ seed, steps: 6000 });
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.steps).toBe(a.steps);
      expect(b.stats).toEqual(a.stats);
    }
  });

  it('the trace is a pure function of the seed, whatever ran before', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const a = await runHostSeed({ seed: 9, steps: 1500, trace: (l) => lines.push(l) });
    await runHostSeed({ seed: 10, steps: 1500 });
    const again: string[] = [];
    const b = await runHostSeed({ seed: 9, steps: 1500, trace: (l) => again.push(l) });
    expect(b.traceHash).toBe(a.traceHash);
    expect(again).toEqual(lines);
    const other = await runHostSeed({ seed: 11, steps: 1500 });
    expect(other.traceHash).not.toBe(a.traceHash);
  });
});
