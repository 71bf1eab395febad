import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfView, GroupView } from './plan.js';
import { desiredMembers, leadersPerNode, nextConfStep, planLeaders, spread } from './plan.js';

/** A cluster: live nodes 1..n, groups each with some candidates, a preferred leader and a current leader (0: none). */
const cluster = (full: boolean) =>
  fc.integer({ min: 1, max: 6 }).chain((n) => {
    const nodes = Array.from({ length: n }, (_, i) => i + 1);
    const node = fc.integer({ min: 1, max: n + 1 }); // n + 1: a node that is gone
    const group = fc.record({
      candidates: full ? fc.constant(nodes) : fc.subarray(nodes, { minLength: 0 }),
      preferred: node,
      leader: fc.oneof(node, fc.constant(0)),
    });
    return fc.record({ nodes: fc.constant(nodes), groups: fc.array(group, { maxLength: 24 }).map((gs) => gs.map((g, i): GroupView => ({ ...g, group: i + 1 }))) });
  });

/** The start the planner describes: preferred if it can lead, else the leader, else none yet (filled by least loaded). */
const startOf = (g: GroupView): number | undefined => (g.candidates.includes(g.preferred) ? g.preferred : g.candidates.includes(g.leader) ? g.leader : undefined);

/** The fewest changes from `start` counts to any assignment within one per node (every node a candidate of every group). */
function fewestMoves(counts: number[], total: number): number {
  const n = counts.length;
  const base = Math.floor(total / n);
  const extra = total % n;
  // The `extra` most loaded nodes keep base + 1, the rest base: what is above that must move.
  return [...counts].sort((a, b) => b - a).reduce((sum, c, i) => sum + Math.max(0, c - (base + (i < extra ? 1 : 0))), 0);
}

describe('the leader planner', () => {
  it('with every node a candidate: ends within one leader per node, never worse than the preferred or current leaders, with the fewest changes', () => {
    fc.assert(
      fc.property(cluster(true), ({ nodes, groups }) => {
        const plan = planLeaders(nodes, groups);
        const after = leadersPerNode(nodes, plan.leaders.values());
        expect(spread(after)).toBeLessThanOrEqual(1);
        expect(plan.leaders.size).toBe(groups.length);
        if (groups.every((g) => nodes.includes(g.preferred))) expect(spread(after)).toBeLessThanOrEqual(spread(leadersPerNode(nodes, groups.map((g) => g.preferred))));
        const led = groups.filter((g) => nodes.includes(g.leader));
        if (led.length === groups.length) expect(spread(after)).toBeLessThanOrEqual(spread(leadersPerNode(nodes, led.map((g) => g.leader))));
        // Fewest changes: groups with a start (preferred or leader) that move away from it are exactly what balance needs.
        // Groups without one are placed on the least loaded node first, so they are counted in the start as placed there.
        const start = new Map<number, number>();
        const startCounts = leadersPerNode(nodes, []);
        for (const g of groups) {
          const s = startOf(g);
          if (s !== undefined) {
            start.set(g.group, s);
            startCounts.set(s, startCounts.get(s)! + 1);
          }
        }
        const movedFromStart = groups.filter((g) => start.has(g.group) && plan.leaders.get(g.group) !== start.get(g.group)).length;
        const unplaced = groups.length - start.size;
        // Filling the unplaced ones onto the least loaded nodes can only lower what must move; never more than from the start alone.
        expect(movedFromStart).toBeLessThanOrEqual(fewestMoves([...startCounts.values()], start.size));
        if (unplaced === 0) expect(movedFromStart).toBe(fewestMoves([...startCounts.values()], groups.length));
        // The placement command holds exactly the groups whose preferred leader changes.
        for (const c of plan.changes) expect(plan.leaders.get(c.group)).toBe(c.to);
        expect(plan.changes.length).toBe(groups.filter((g) => plan.leaders.get(g.group) !== g.preferred).length);
        expect(plan.transfers).toBe(groups.filter((g) => plan.leaders.get(g.group) !== g.leader).length);
      }),
      { numRuns: 500 },
    );
  });

  it('with some candidates per group: plans only candidates, never worse than the start, and leaves no single move that would improve balance', () => {
    fc.assert(
      fc.property(cluster(false), ({ nodes, groups }) => {
        const plan = planLeaders(nodes, groups);
        for (const g of groups) {
          if (!g.candidates.length) expect(plan.leaders.has(g.group)).toBe(false);
          else expect(g.candidates).toContain(plan.leaders.get(g.group));
        }
        const after = leadersPerNode(nodes, plan.leaders.values());
        const sq = (m: Map<number, number>): number => [...m.values()].reduce((s, c) => s + c * c, 0);
        const startCounts = leadersPerNode(
          nodes,
          groups.map(startOf).filter((s): s is number => s !== undefined),
        );
        // Groups without a start add at most what they would add anywhere; compare on the groups that had one.
        if (groups.every((g) => !g.candidates.length || startOf(g) !== undefined)) expect(sq(after)).toBeLessThanOrEqual(sq(startCounts));
        for (const g of groups) {
          const at = plan.leaders.get(g.group);
          if (at === undefined) continue;
          for (const c of g.candidates) expect(after.get(at)! - after.get(c)!).toBeLessThan(2);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('spreads 3 groups piled on two nodes back to one each, moving only the group whose preferred leader returned', () => {
    const groups: GroupView[] = [
      { group: 1, candidates: [1, 2, 3], preferred: 1, leader: 1 },
      { group: 2, candidates: [1, 2, 3], preferred: 2, leader: 2 },
      { group: 3, candidates: [1, 2, 3], preferred: 3, leader: 1 },
    ];
    const plan = planLeaders([1, 2, 3], groups);
    expect([...plan.leaders]).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(plan.changes).toEqual([]);
    expect(plan.transfers).toBe(1);
    // Node 3 gone: its group's preferred leader moves to where the group is led.
    expect(planLeaders([1, 2], groups).changes).toEqual([{ group: 3, from: 3, to: 1 }]);
    // A fourth node: three groups over four nodes is already within one, nothing moves.
    expect(planLeaders([1, 2, 3, 4], groups).changes).toEqual([]);
  });
});

/** Run the membership steps against a simulated group until none is left; every learner catches up on the next step. */
function converge(start: { voters: number[]; learners: number[] }, self: number, members: number[], dead: Set<number>) {
  let voters = [...start.voters];
  let learners = [...start.learners];
  let leader = self;
  const steps: string[] = [];
  for (let i = 0; i < 50; i++) {
    const v: ConfView = {
      self: leader,
      voters,
      learners,
      lastIndex: 100,
      peers: [...voters, ...learners].map((id) => ({ id, match: dead.has(id) ? 0 : 100, active: !dead.has(id) })),
    };
    const step = nextConfStep(v, members, 10);
    if (!step) return { voters, learners, leader, steps };
    steps.push(`${step.kind} ${step.node}`);
    // Safety: a majority of the voters after the step is alive, if it was before.
    const aliveBefore = voters.filter((x) => !dead.has(x)).length * 2 > voters.length;
    if (step.kind === 'add-learner') learners = [...learners, step.node];
    if (step.kind === 'promote') {
      expect(dead.has(step.node)).toBe(false);
      learners = learners.filter((x) => x !== step.node);
      voters = [...voters, step.node].sort((a, b) => a - b);
    }
    if (step.kind === 'remove') {
      expect(step.node).not.toBe(leader);
      voters = voters.filter((x) => x !== step.node);
      learners = learners.filter((x) => x !== step.node);
      expect(voters.length).toBeGreaterThan(0);
    }
    if (step.kind === 'hand-over') {
      expect(members).toContain(step.node);
      expect(dead.has(step.node)).toBe(false);
      leader = step.node;
    }
    if (aliveBefore) expect(voters.filter((x) => !dead.has(x)).length * 2).toBeGreaterThan(voters.length);
  }
  throw new Error(`no convergence: ${steps.join(', ')}`);
}

describe('the membership step planner', () => {
  it('brings any group to its members one change at a time, keeping a live majority, and never removing the leader before it handed over', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 1 }),
        (voters, members, deadList) => {
          const self = voters[0]!;
          const dead = new Set(deadList.filter((d) => d !== self && !members.includes(d)));
          // The model: the end state is exactly `members` as voters, led by one of them.
          const end = converge({ voters: [...voters].sort((a, b) => a - b), learners: [] }, self, members, dead);
          expect(end.learners).toEqual([]);
          expect(end.voters).toEqual([...members].sort((a, b) => a - b));
          expect(members).toContain(end.leader);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adds a new node as a learner, promotes it once caught up, and removes a gone node', () => {
    const v = (learners: number[], match: number): ConfView => ({ self: 1, voters: [1, 2, 3], learners, lastIndex: 500, peers: [1, 2, 3, ...learners].map((id) => ({ id, match: id === 4 ? match : 500, active: true })) });
    expect(nextConfStep(v([], 0), [1, 2, 3, 4], 64)).toEqual({ kind: 'add-learner', node: 4 });
    expect(nextConfStep(v([4], 10), [1, 2, 3, 4], 64)).toBeUndefined();
    expect(nextConfStep(v([4], 450), [1, 2, 3, 4], 64)).toEqual({ kind: 'promote', node: 4 });
    expect(nextConfStep(v([], 0), [1, 2], 64)).toEqual({ kind: 'remove', node: 3 });
    expect(nextConfStep(v([], 0), [2, 3], 64)).toEqual({ kind: 'hand-over', node: 2 });
  });

  it('desired members: every voter by default; with a replica count, keeps members that stay and tops up with the least loaded voters', () => {
    expect(desiredMembers([1, 2, 3], [1, 2, 3, 4], undefined, new Map())).toEqual([1, 2, 3, 4]);
    expect(desiredMembers([1, 2, 3], [1, 2, 4], undefined, new Map())).toEqual([1, 2, 4]);
    expect(desiredMembers([1, 2, 3], [1, 2, 3, 4, 5], 3, new Map())).toEqual([1, 2, 3]);
    expect(desiredMembers([1, 2, 3], [1, 3, 4, 5], 3, new Map([[4, 2], [5, 1]]))).toEqual([1, 3, 5]);
  });
});
