// Several Raft groups under the nemesis (a partitioned queue: one group per
// partition, leaders spread over the nodes). Two pure readings of a run:
//
// - Leader changes per group, from the `leaders` samples the run recorded
//   (ClusterStatus about once a second): which nodes led each group in turn.
// - The isolation figure: while ONE node was cut off from its peers, each
//   partition's probe publisher (one publish at a time, with a deadline, to
//   the connected nodes only) either kept being served or waited for its
//   group to elect a new leader. Per partition: the share of tries that
//   succeeded during the cut, and the longest stretch without a confirmed
//   publish. A partition led by a connected node should show only the gap
//   of its probe's own round trips; the one led by the cut node about an
//   election timeout.

import type { HistoryEvent } from './history.js';

export interface GroupLeaders {
  readonly group: number;
  /** The queue partition the group serves, -1 for group 0 (metadata) and others. */
  readonly partition: number;
  /** The leaders in turn (consecutive samples of one leader, or of none, count once). */
  readonly leaders: readonly number[];
  /** Changes of leader between two known leaders (a leaderless stretch in between included). */
  readonly changes: number;
  /** Samples that showed no leader. */
  readonly leaderless: number;
}

export function leaderChanges(history: readonly HistoryEvent[]): GroupLeaders[] {
  const by = new Map<number, { partition: number; leaders: number[]; leaderless: number }>();
  for (const e of history) {
    if (e.type !== 'leaders') continue;
    for (const [group, leader, partition] of e.groups) {
      const g = by.get(group) ?? { partition, leaders: [], leaderless: 0 };
      by.set(group, g);
      if (!leader) g.leaderless++;
      else if (g.leaders.at(-1) !== leader) g.leaders.push(leader);
    }
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([group, g]) => ({ group, partition: g.partition, leaders: g.leaders, changes: Math.max(0, g.leaders.length - 1), leaderless: g.leaderless }));
}

/** `leaders: group 0 n1>n3 (1 change); group 1 (partition 0) n2 (0 changes); ...` */
export function leadersLine(gs: readonly GroupLeaders[]): string {
  if (!gs.length) return 'leaders: no samples';
  return `leaders: ${gs
    .map((g) => `group ${g.group}${g.partition >= 0 ? ` (partition ${g.partition})` : ''} ${g.leaders.map((l) => `n${l}`).join('>') || 'none'} (${g.changes} change${g.changes === 1 ? '' : 's'}${g.leaderless ? `, ${g.leaderless} leaderless samples` : ''})`)
    .join('; ')}`;
}

/** One probe publish: its partition, when it was sent and answered, and whether it was confirmed. */
export interface ProbeTry {
  readonly partition: number;
  readonly sentAt: number;
  readonly doneAt: number;
  readonly ok: boolean;
  /** A confirmed try: the leader that applied it, as the answer says (0: not said). */
  readonly leader?: number;
}

export interface IsolationCut {
  /** The node (id) cut off from its peers, from `from` to `to` (ms). */
  readonly node: number;
  readonly from: number;
  readonly to: number;
  /** Per partition: its group and the node that led it when the cut began. */
  readonly partitions: ReadonlyArray<{ readonly partition: number; readonly group: number; readonly leader: number }>;
}

export interface PartitionIsolation {
  readonly partition: number;
  readonly group: number;
  readonly leader: number;
  readonly leaderCut: boolean;
  /** Tries sent during the cut, and how many were confirmed. */
  readonly tries: number;
  readonly ok: number;
  readonly okRate: number;
  /**
   * The longest stretch without a confirmed publish: from the cut's start,
   * between confirmations during it, and up to the first confirmation at or
   * after its end (the cut's end when there is none).
   */
  readonly maxGapMs: number;
  /**
   * From the cut's start to the first confirmation (of a try sent after it)
   * that a leader other than the one at the cut applied: the failover as the
   * answers show it, a figure that a loaded machine's slow round trips do not
   * blur the way they blur gaps. Undefined: no other leader answered.
   */
  readonly newLeaderAfterMs?: number;
  readonly newLeader?: number;
}

export function isolationFigures(tries: readonly ProbeTry[], cut: IsolationCut): PartitionIsolation[] {
  return cut.partitions.map(({ partition, group, leader }) => {
    const mine = tries.filter((t) => t.partition === partition);
    const during = mine.filter((t) => t.sentAt >= cut.from && t.sentAt < cut.to);
    const oks = mine.filter((t) => t.ok).map((t) => t.doneAt).sort((a, b) => a - b);
    const points = [cut.from, ...oks.filter((t) => t > cut.from && t < cut.to), oks.find((t) => t >= cut.to) ?? cut.to];
    let maxGapMs = 0;
    for (let i = 1; i < points.length; i++) maxGapMs = Math.max(maxGapMs, points[i]! - points[i - 1]!);
    const ok = during.filter((t) => t.ok).length;
    const moved = mine.filter((t) => t.ok && t.sentAt >= cut.from && t.leader && t.leader !== leader).sort((a, b) => a.doneAt - b.doneAt)[0];
    return {
      partition, group, leader, leaderCut: leader === cut.node, tries: during.length, ok, okRate: during.length ? ok / during.length : 0, maxGapMs,
      ...(moved ? { newLeaderAfterMs: moved.doneAt - cut.from, newLeader: moved.leader! } : {}),
    };
  });
}

/** `isolation: node 2 cut off for 8000 ms; partition 1 (group 3, leader cut) gap 1610 ms ok 12/19; partitions 0, 2 (leaders connected) gap 41 / 38 ms ok 180/180, 176/176` */
export function isolationLine(figs: readonly PartitionIsolation[], cut: IsolationCut): string {
  const one = (f: PartitionIsolation): string =>
    `partition ${f.partition} (group ${f.group}, leader n${f.leader}${f.leaderCut ? ', cut' : ''}) gap ${f.maxGapMs} ms ok ${f.ok}/${f.tries}, ${f.newLeader ? `served by n${f.newLeader} ${f.newLeaderAfterMs} ms after the cut` : 'leader kept'}`;
  const cutOnes = figs.filter((f) => f.leaderCut);
  const rest = figs.filter((f) => !f.leaderCut);
  return `isolation: node ${cut.node} cut off for ${cut.to - cut.from} ms; leader cut: ${cutOnes.map(one).join(', ') || 'none'}; leader connected: ${rest.map(one).join(', ') || 'none'}`;
}
