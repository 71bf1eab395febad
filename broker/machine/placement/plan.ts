// Pure planning for the placement reconciler (broker/server/node/placement-reconciler.ts):
// which node should lead each data group so that leaders spread evenly, and
// which single membership step brings a data group's Raft membership to the
// members its placement names. No I/O: fast-checked in plan.test.ts.

/** One data group as the planner sees it. */
export interface GroupView {
  readonly group: number;
  /** Nodes that may lead it now: members that are live cluster voters and voters of the group. */
  readonly candidates: readonly number[];
  readonly preferred: number;
  /** The node leading it now; 0 when none is known. */
  readonly leader: number;
}

export interface LeaderPlan {
  /** The planned leader of every group that has a candidate. */
  readonly leaders: ReadonlyMap<number, number>;
  /** Groups whose preferred leader changes: the placement command to send. */
  readonly changes: ReadonlyArray<{ readonly group: number; readonly from: number; readonly to: number }>;
  /** Groups whose planned leader is not the one leading now: the leadership transfers to come. */
  readonly transfers: number;
}

/** Leaders per node of an assignment, every node in `nodes` listed (0 included). */
export function leadersPerNode(nodes: readonly number[], leaders: Iterable<number>): Map<number, number> {
  const counts = new Map<number, number>(nodes.map((n) => [n, 0]));
  for (const l of leaders) if (counts.has(l)) counts.set(l, counts.get(l)! + 1);
  return counts;
}

/** Max minus min leaders per node (0 for no nodes). */
export function spread(counts: ReadonlyMap<number, number>): number {
  const v = [...counts.values()];
  return v.length ? Math.max(...v) - Math.min(...v) : 0;
}

/**
 * Plan leaders. Start from each group's preferred leader (or, when it cannot
 * lead now, the leader it has, or its least loaded candidate), then move one
 * group at a time from the most loaded node to the least loaded candidate
 * that has at least two fewer, until no such move is left. Each move lowers
 * the sum of squared loads, so balance never gets worse and the loop ends;
 * with every node a candidate everywhere it ends within one leader per node,
 * and since a node that received a group is never loaded enough to give one
 * away, every group moves at most once: the fewest moves from the start.
 * Among equal moves it prefers a group already led by the target (no
 * leadership transfer needed), then the lowest group id (determinism).
 */
export function planLeaders(nodes: readonly number[], groups: readonly GroupView[]): LeaderPlan {
  const live = new Set(nodes);
  const views = [...groups].sort((a, b) => a.group - b.group).map((g) => ({ ...g, candidates: [...new Set(g.candidates.filter((c) => live.has(c)))].sort((a, b) => a - b) }));
  const counts = leadersPerNode(nodes, []);
  const assigned = new Map<number, number>();
  const least = (cands: readonly number[]): number => cands.reduce((best, c) => (counts.get(c)! < counts.get(best)! ? c : best));
  const place = (g: (typeof views)[number], at: number): void => {
    assigned.set(g.group, at);
    counts.set(at, counts.get(at)! + 1);
  };
  // Groups that have a start keep it; those without one fill the least loaded nodes after (filling first could pile them onto a node the others load).
  for (const g of views) {
    if (g.candidates.includes(g.preferred)) place(g, g.preferred);
    else if (g.candidates.includes(g.leader)) place(g, g.leader);
  }
  for (const g of views) if (g.candidates.length && !assigned.has(g.group)) place(g, least(g.candidates));
  for (;;) {
    let best: { g: (typeof views)[number]; to: number; gain: number; free: boolean } | undefined;
    for (const g of views) {
      const from = assigned.get(g.group);
      if (from === undefined) continue;
      for (const to of g.candidates) {
        const gain = counts.get(from)! - counts.get(to)!;
        if (gain < 2) continue;
        const free = g.leader === to;
        if (!best || gain > best.gain || (gain === best.gain && free && !best.free)) best = { g, to, gain, free };
      }
    }
    if (!best) break;
    const from = assigned.get(best.g.group)!;
    counts.set(from, counts.get(from)! - 1);
    counts.set(best.to, counts.get(best.to)! + 1);
    assigned.set(best.g.group, best.to);
  }
  const changes = views.filter((g) => assigned.has(g.group) && assigned.get(g.group) !== g.preferred).map((g) => ({ group: g.group, from: g.preferred, to: assigned.get(g.group)! }));
  const transfers = views.filter((g) => assigned.has(g.group) && assigned.get(g.group) !== g.leader).length;
  return { leaders: assigned, changes, transfers };
}

/** A data group's membership as its leader sees it. */
export interface ConfView {
  readonly self: number;
  readonly voters: readonly number[];
  readonly learners: readonly number[];
  /** The leader's last index, and each peer's match and whether it answered lately. */
  readonly lastIndex: number;
  readonly peers: ReadonlyArray<{ readonly id: number; readonly match: number; readonly active: boolean }>;
}

export type ConfStep =
  | { readonly kind: 'add-learner'; readonly node: number }
  | { readonly kind: 'promote'; readonly node: number }
  | { readonly kind: 'remove'; readonly node: number }
  /** The leader itself must leave: hand leadership to this voter first. */
  | { readonly kind: 'hand-over'; readonly node: number };

/**
 * The one membership change a data group's leader makes next to reach
 * `members` (Raft allows one pending change at a time). A new member joins
 * as a learner and is promoted only once active and within `promoteLag`
 * entries, so the group's quorum never counts a voter that cannot vote yet;
 * members leave after every new one is a voter, one at a time, silent ones
 * first, never the last voter; the leader, when it must leave, first hands over to an active
 * voter that stays.
 */
export function nextConfStep(v: ConfView, members: readonly number[], promoteLag: number): ConfStep | undefined {
  const want = new Set(members);
  const peer = new Map(v.peers.map((p) => [p.id, p]));
  for (const l of v.learners) if (!want.has(l)) return { kind: 'remove', node: l };
  for (const m of [...want].sort((a, b) => a - b)) if (!v.voters.includes(m) && !v.learners.includes(m)) return { kind: 'add-learner', node: m };
  for (const l of v.learners) {
    const p = peer.get(l);
    if (p && p.active && v.lastIndex - p.match <= promoteLag) return { kind: 'promote', node: l };
  }
  if (v.learners.length) return undefined;
  const leaving = v.voters.filter((x) => !want.has(x));
  if (!leaving.length || v.voters.length <= 1) return undefined;
  // Silent voters first: removing one never costs the group a live vote, removing a live one while a silent one stays could.
  const other = leaving.filter((x) => x !== v.self).sort((a, b) => Number(peer.get(a)?.active ?? false) - Number(peer.get(b)?.active ?? false) || a - b)[0];
  if (other !== undefined) return { kind: 'remove', node: other };
  const heir = v.voters
    .filter((x) => x !== v.self && want.has(x))
    .map((x) => peer.get(x))
    .filter((p): p is NonNullable<typeof p> => !!p && p.active)
    .sort((a, b) => b.match - a.match || a.id - b.id)[0];
  return heir ? { kind: 'hand-over', node: heir.id } : undefined;
}

/**
 * The members a group should have given the cluster's voters: with
 * `replicas` undefined (every member, the default), exactly the voters;
 * otherwise the current members that are still voters, topped up with the
 * voters that are members of the fewest groups (lowest id on a tie).
 */
export function desiredMembers(current: readonly number[], voters: readonly number[], replicas: number | undefined, load: ReadonlyMap<number, number>): number[] {
  const sorted = [...new Set(voters)].sort((a, b) => a - b);
  if (replicas === undefined) return sorted;
  const keep = current.filter((m) => sorted.includes(m));
  const extra = sorted.filter((v) => !keep.includes(v)).sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
  return [...keep, ...extra.slice(0, Math.max(0, replicas - keep.length))].sort((a, b) => a - b);
}
