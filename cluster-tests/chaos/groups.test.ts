// The isolation figure and the leader changes are computed from what the run
// recorded, not assumed: planted probe histories give the gaps and rates
// below, and planted leader samples the changes.

import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history.js';
import { isolationFigures, isolationLine, leaderChanges, leadersLine } from './groups.js';
import type { IsolationCut, ProbeTry } from './groups.js';

/**
 * A probe that tries every `everyMs` from `from` to `to`, each answered after
 * `rttMs` by the leader `leaderAt(t)`, failing while `down(t)` (answered at the
 * try's deadline `deadlineMs`).
 */
function probe(partition: number, from: number, to: number, everyMs: number, rttMs: number, down: (t: number) => boolean, deadlineMs = 1000, leaderAt: (t: number) => number = () => partition + 1): ProbeTry[] {
  const out: ProbeTry[] = [];
  for (let t = from; t < to; ) {
    const bad = down(t);
    const doneAt = t + (bad ? deadlineMs : rttMs);
    out.push({ partition, sentAt: t, doneAt, ok: !bad, ...(bad ? {} : { leader: leaderAt(t) }) });
    t = doneAt + everyMs;
  }
  return out;
}

describe('isolation figures', () => {
  const cut: IsolationCut = { node: 2, from: 10_000, to: 18_000, partitions: [{ partition: 0, group: 1, leader: 1 }, { partition: 1, group: 2, leader: 2 }, { partition: 2, group: 3, leader: 3 }] };

  it('gives the cut leader\'s partition its failover gap and the others their round trips', () => {
    const tries = [
      ...probe(0, 8000, 20_000, 10, 5, () => false),
      // The cut node's partition: tries from the cut until a new leader at 11 600 fail at their 1 s deadline.
      ...probe(1, 8000, 20_000, 10, 5, (t) => t >= 10_000 && t < 11_600, 1000, (t) => (t < 10_000 || t > 15_000 ? 2 : 3)),
      // A connected leader, with one forward glitch of 120 ms just after the cut.
      ...probe(2, 8000, 20_000, 10, 5, (t) => t >= 10_000 && t < 10_015, 120),
    ];
    const f = isolationFigures(tries, cut);
    expect(f.map((x) => [x.partition, x.leaderCut])).toEqual([[0, false], [1, true], [2, false]]);
    // Partition 0: confirmations every 15 ms.
    expect(f[0]!.maxGapMs).toBeLessThanOrEqual(15);
    expect(f[0]!.okRate).toBe(1);
    // Partition 1: the tries sent at 10 000 (first at or after the cut), 11 010 and 12 020 (the first after the election) fail or succeed: the gap runs from the cut to the first confirmation after the new leader.
    const p1 = tries.filter((t) => t.partition === 1);
    const firstOk = p1.find((t) => t.ok && t.sentAt >= 11_600)!.doneAt;
    expect(f[1]!.maxGapMs).toBe(firstOk - 10_000);
    expect(f[1]!.maxGapMs).toBeGreaterThan(1600);
    expect(f[1]!.ok).toBe(f[1]!.tries - p1.filter((t) => !t.ok).length);
    expect(f[1]!.okRate).toBeLessThan(1);
    // Its first confirmation after the cut came from node 3: the failover as the answers show it.
    expect(f[1]).toMatchObject({ newLeader: 3, newLeaderAfterMs: firstOk - 10_000 });
    expect(f[0]!.newLeader).toBeUndefined();
    // Partition 2: the glitch, then round trips again.
    expect(f[2]!.maxGapMs).toBeGreaterThanOrEqual(120);
    expect(f[2]!.maxGapMs).toBeLessThan(200);
    expect(isolationLine(f, cut)).toMatch(/^isolation: node 2 cut off for 8000 ms; leader cut: partition 1 \(group 2, leader n2, cut\) gap \d+ ms ok \d+\/\d+, served by n3 \d+ ms after the cut; leader connected: partition 0 \(group 1, leader n1\) gap \d+ ms ok \d+\/\d+, leader kept, partition 2 /);
  });

  it('counts a partition that never recovered during the cut up to its first confirmation after it, or to the cut\'s end', () => {
    const tries = [...probe(1, 8000, 20_000, 10, 5, (t) => t >= 10_000 && t < 18_500)];
    const f = isolationFigures(tries, cut);
    const after = tries.find((t) => t.ok && t.sentAt >= 18_000)!.doneAt;
    expect(f[1]!.maxGapMs).toBe(after - 10_000);
    expect(f[1]!.ok).toBe(0);
    // No probe at all for partition 0: the whole cut is one gap, and no try.
    expect(f[0]).toMatchObject({ maxGapMs: 8000, tries: 0, ok: 0, okRate: 0 });
  });
});

describe('leader changes per group', () => {
  it('counts changes between known leaders, once per stretch, and leaderless samples', () => {
    const s = (time: number, groups: Array<[number, number, number]>): HistoryEvent => ({ type: 'leaders', time, groups });
    const h: HistoryEvent[] = [
      s(1, [[0, 1, -1], [1, 1, 0], [2, 2, 1]]),
      s(2, [[0, 1, -1], [1, 0, 0], [2, 2, 1]]),
      s(3, [[0, 1, -1], [1, 3, 0], [2, 2, 1]]),
      s(4, [[0, 3, -1], [1, 3, 0], [2, 0, 1]]),
      s(5, [[0, 3, -1], [1, 1, 0], [2, 2, 1]]),
    ];
    const g = leaderChanges(h);
    expect(g).toEqual([
      { group: 0, partition: -1, leaders: [1, 3], changes: 1, leaderless: 0 },
      { group: 1, partition: 0, leaders: [1, 3, 1], changes: 2, leaderless: 1 },
      { group: 2, partition: 1, leaders: [2], changes: 0, leaderless: 1 },
    ]);
    expect(leadersLine(g)).toBe('leaders: group 0 n1>n3 (1 change); group 1 (partition 0) n1>n3>n1 (2 changes, 1 leaderless samples); group 2 (partition 1) n2 (0 changes, 1 leaderless samples)');
  });
});
