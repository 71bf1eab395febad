// A RemoteSeat learns a group's leader from its members' NodeStatus answers.
// The peer transport here is a scripted stand-in: each member's answer is
// what the test says it is at the moment it is asked, which is what the seat
// is about (whom it believes, when it asks again).

import { describe, expect, it } from 'vitest';
import type { NodeStatusResponse__Output } from '../../../proto/generated/quorumq/v1/NodeStatusResponse.js';
import type { NodeContext } from './context.js';
import { RemoteSeat } from './remote-groups.js';

type View = { leader: number; term: number; role: 'LEADER' | 'FOLLOWER' } | 'down';

function node(views: Map<number, View>, asked: number[]): { ctx: NodeContext; stop: () => void } {
  const stops: Array<() => void> = [];
  const ctx = {
    id: 9,
    host: { tickMs: 5, electionTicks: 10 },
    logger: { debug: () => undefined },
    onStop: (fn: () => void) => stops.push(fn),
    transport: {
      metadata: () => undefined,
      client: (id: number) => ({
        NodeStatus: (req: { group: number }, _md: unknown, _o: unknown, cb: (err: unknown, res?: Partial<NodeStatusResponse__Output>) => void) => {
          asked.push(id);
          const v = views.get(id) ?? 'down';
          setImmediate(() => (v === 'down' ? cb({ code: 14, details: 'No connection established' }) : cb(null, { id, groups: [{ group: req.group, leader: v.leader, term: v.term, role: v.role, commit: 0, applied: 0, lastIndex: 0, voters: [] }] })));
        },
      }),
    },
  } as unknown as NodeContext;
  return { ctx, stop: () => stops.forEach((f) => f()) };
}

describe('a seat on a group this node is not a member of', () => {
  it('takes the leader the members name in the highest term, and tells the write path', async () => {
    const views = new Map<number, View>([
      [2, { leader: 3, term: 4, role: 'FOLLOWER' }],
      [3, { leader: 4, term: 5, role: 'FOLLOWER' }],
      [4, 'down'],
    ]);
    const { ctx, stop } = node(views, []);
    const seat = new RemoteSeat(ctx, 7, () => [2, 3, 4]);
    const told: number[] = [];
    seat.onLeader = (l) => told.push(l);
    expect(await seat.leaderBy(Date.now() + 2000)).toBe(4);
    expect(seat.currentLeader).toBe(4);
    expect(told).toEqual([4]);
    expect(seat.isLeader).toBe(false);
    expect(() => seat.proposeBatch()).toThrow(/not the leader/);
    stop();
  });

  it('after the leader refuses, does not believe members still naming it until an election could have replaced it, then takes the new one', async () => {
    const views = new Map<number, View>([
      [2, { leader: 2, term: 3, role: 'LEADER' }],
      [3, { leader: 2, term: 3, role: 'FOLLOWER' }],
    ]);
    const asked: number[] = [];
    const { ctx, stop } = node(views, asked);
    const seat = new RemoteSeat(ctx, 7, () => [2, 3]);
    expect(await seat.leaderBy(Date.now() + 2000)).toBe(2);
    // Another node's refusal of a leader the seat no longer holds changes nothing.
    seat.refused(3);
    expect(seat.currentLeader).toBe(2);
    views.set(2, 'down');
    seat.refused(2);
    // Node 3 names node 2 still: not taken while an election (tickMs * electionTicks = 50 ms) could not have replaced it...
    const again = seat.leaderBy(Date.now() + 5000);
    await new Promise((r) => setTimeout(r, 20));
    expect(seat.currentLeader).toBe(0);
    // ...and taken after that, as the members insist.
    expect(await again).toBe(2);
    const asks = asked.length;
    expect(asks).toBeGreaterThan(4);
    // Refused again; this time node 3 won an election: taken at once.
    views.set(3, { leader: 3, term: 4, role: 'LEADER' });
    seat.refused(2);
    expect(await seat.leaderBy(Date.now() + 5000)).toBe(3);
    stop();
  });

  it('with no member naming a leader, a wait ends with UNAVAILABLE (not applied) naming the group and its members', async () => {
    const { ctx, stop } = node(new Map([[2, { leader: 0, term: 1, role: 'FOLLOWER' }]]), []);
    const seat = new RemoteSeat(ctx, 7, () => [2, 3]);
    await expect(seat.leaderBy(Date.now() + 150)).rejects.toMatchObject({ code: 14, outcome: 'not-applied', message: expect.stringMatching(/no member of group 7 \(nodes 2, 3\) names a leader/) });
    stop();
  });
});
