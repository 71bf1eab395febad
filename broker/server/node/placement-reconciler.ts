// The placement reconciler: brings the data groups to what group 0's
// placement says, and keeps leaders spread.
//
// - On every node, for each data group it leads: one Raft membership change
//   at a time towards the placement's members (a new member joins as a
//   learner and is promoted once caught up; a member that left is removed;
//   a leader that must leave hands over first). plan.ts nextConfStep.
// - On the group-0 leader: the placement's members follow the cluster's
//   voters (a node added joins every group, as replication allows; a node
//   removed leaves them), and the preferred leaders are planned again
//   (plan.ts planLeaders) when they are uneven over the live voters; each
//   data group's leader then hands over to its preferred one (node.ts
//   balanceLeaders).
// - `quorumq cluster rebalance` (Rebalance RPC, any node): the same plan
//   now, from every member's own view.
//
// Not thrashing: an uneven plan must persist for HOLD_MS before the
// automatic reconciler acts (a node that restarts within it gets its groups
// back from balanceLeaders, since it is still their preferred leader), and
// two automatic plans are at least COOLDOWN_MS apart; each group hands its
// leadership over at most every 5 s (node.ts). Plans are compare-and-set
// (placement set-leaders names the preferred leader it replaces), so a
// manual plan and the automatic one never undo each other.

import type { Status } from '../../../raft/core/api.js';
import { ConfChangeType } from '../../../raft/core/types.js';
import type { NodeId } from '../../../raft/core/types.js';
import type { RebalanceResponse } from '../../../proto/generated/quorumq/v1/RebalanceResponse.js';
import type { NodeStatusResponse__Output } from '../../../proto/generated/quorumq/v1/NodeStatusResponse.js';
import { commandFor } from '../../machine/envelope.js';
import type { PlacedGroup, PlacementCommand, PlacementReply } from '../../machine/placement/machine.js';
import { PlacementMachine } from '../../machine/placement/machine.js';
import type { ConfView, GroupView, LeaderPlan } from '../../machine/placement/plan.js';
import { desiredMembers, leadersPerNode, nextConfStep, planLeaders } from '../../machine/placement/plan.js';
import { readBarrier } from '../rpc/unary.js';
import { resultError, withDeadline } from '../rpc/status.js';
import { memberViews } from './cluster-status.js';
import type { NodeContext } from './context.js';
import { GROUP } from './context.js';

/** How often the group-0 leader looks at the leaders' balance. */
export const RECONCILE_EVERY_MS = 1000;
/** How long an uneven plan must last before the automatic reconciler records it. */
export const HOLD_MS = 10_000;
/** The least time between two automatic plans. */
export const COOLDOWN_MS = 30_000;
/** Learners within this many entries of the leader's last index are promoted to voters (group 0 and data groups). */
export const PROMOTE_LAG = 64;
/** How long one membership change may take before the reconciler tries again. */
const CHANGE_MS = 10_000;
/** A plan found stale (another got there first) is made again this many times. */
const PLAN_TRIES = 3;

/** A group's membership as the planner sees it, from its host's status (its leader's). */
export function confView(self: NodeId, s: Status): ConfView {
  return { self, voters: s.conf.voters, learners: s.conf.learners, lastIndex: s.lastIndex, peers: s.peers };
}

const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

async function submitPlacement(node: NodeContext, c: PlacementCommand, deadline: number): Promise<PlacementReply> {
  const p = node.machines.get(PlacementMachine);
  const out = await node.writes.submit(commandFor(p, c), deadline);
  return out.reply as PlacementReply;
}

export class PlacementReconciler {
  /** Data groups with a membership change in flight here. */
  private readonly changing = new Set<number>();
  private readonly handedOverAt = new Map<number, number>();
  private membersBusy = false;
  private leadersBusy = false;
  private lastLook = 0;
  private unevenSince: number | undefined;
  private lastPlan = Number.NEGATIVE_INFINITY;

  constructor(
    /** Group 0's context. */
    private readonly node: NodeContext,
    /** A group's replication factor with `voters` voters in the cluster (the placement machine's replicasOf). */
    private readonly replicasOf: (pg: PlacedGroup, voters: number) => number,
  ) {}

  /** Every housekeeping turn (100 ms); a failure is logged and the next turn tries again (it must never end the process). */
  tick(now: number): void {
    try {
      this.turn(now);
    } catch (e) {
      this.node.logger.warn({ err: (e as Error).message }, 'placement reconciler turn failed; trying again next turn');
    }
  }

  private turn(now: number): void {
    const node = this.node;
    if (!node.serving) return;
    this.stepDataGroups(now);
    const s = node.host.status();
    if (s.role !== 'leader' || s.applied < s.commit) {
      this.unevenSince = undefined;
      return;
    }
    this.reconcileMembers(s);
    this.reclaimFromRemoved(now, s);
    if (now - this.lastLook >= RECONCILE_EVERY_MS) {
      this.lastLook = now;
      this.reconcileLeaders(now, s);
    }
  }

  /** One membership step in each data group this node leads and whose last change is applied. */
  private stepDataGroups(now: number): void {
    const placement = this.node.machines.get(PlacementMachine);
    for (const g of this.node.groups.all()) {
      if (g.group === GROUP || !g.host.isLeader || this.changing.has(g.group)) continue;
      const pg = placement.group(g.group);
      const s = g.host.status();
      if (!pg || s.applied < s.commit) continue;
      const step = nextConfStep(confView(this.node.id, s), pg.members, PROMOTE_LAG);
      if (!step) continue;
      const log = this.node.logger;
      if (step.kind === 'hand-over') {
        // At most once per two election timeouts: the transfer either happened or the core gave it up by then.
        if (now - (this.handedOverAt.get(g.group) ?? 0) < 2 * g.host.tickMs * g.host.electionTicks) continue;
        this.handedOverAt.set(g.group, now);
        log.info({ group: g.group, to: step.node }, 'leaving a data group: handing its leadership over first');
        try {
          g.host.transferLeader(step.node);
        } catch (e) {
          log.debug({ group: g.group, err: (e as Error).message }, 'hand-over refused');
        }
        continue;
      }
      const type = step.kind === 'add-learner' ? ConfChangeType.AddLearner : step.kind === 'promote' ? ConfChangeType.AddVoter : ConfChangeType.RemoveNode;
      log.info({ group: g.group, change: step.kind, node: step.node, members: pg.members, conf: s.conf }, 'data group membership change');
      this.changing.add(g.group);
      // The core refuses synchronously while a change (or a new leader's first entry) is not applied yet: a rejection like any other, tried again next turn.
      withDeadline(
        Promise.resolve().then(() => g.host.proposeConfChange({ type, node: step.node })),
        now + CHANGE_MS,
        `group ${g.group}: ${step.kind} ${step.node}`,
      )
        .catch((e: unknown) => log.debug({ group: g.group, err: (e as Error).message }, 'data group membership change failed; retrying'))
        .finally(() => this.changing.delete(g.group));
    }
  }

  /**
   * Group-0 leader: a data group still led by a node removed from the
   * cluster would never remove it (the removed node no longer learns the
   * placement), so this node, a voter of the group, asks for the leadership
   * (the request goes to that leader, which hands over); the new leader then
   * removes the node from the group.
   */
  private reclaimFromRemoved(now: number, s: Status): void {
    for (const g of this.node.groups.all()) {
      if (g.group === GROUP) continue;
      const leader = g.host.currentLeader;
      if (!leader || leader === this.node.id || s.conf.voters.includes(leader) || s.conf.learners.includes(leader)) continue;
      if (!g.host.status().conf.voters.includes(this.node.id)) continue;
      if (now - (this.handedOverAt.get(g.group) ?? 0) < 2 * g.host.tickMs * g.host.electionTicks) continue;
      this.handedOverAt.set(g.group, now);
      this.node.logger.info({ group: g.group, leader }, 'a data group is led by a node no longer in the cluster: taking its leadership over');
      try {
        g.host.transferLeader(this.node.id);
      } catch (e) {
        this.node.logger.debug({ group: g.group, err: (e as Error).message }, 'taking leadership over refused');
      }
    }
  }

  /** Group-0 leader: each placement's members follow the cluster's voters. */
  private reconcileMembers(s: Status): void {
    if (this.membersBusy) return;
    const placement = this.node.machines.get(PlacementMachine);
    const all = placement.all();
    const load = new Map<number, number>();
    for (const pg of all) for (const m of pg.members) load.set(m, (load.get(m) ?? 0) + 1);
    const changes = all.map((pg) => ({ pg, members: desiredMembers(pg.members, s.conf.voters, this.replicasOf(pg, s.conf.voters.length), load) })).filter((c) => !sameSet(c.pg.members, c.members));
    if (!changes.length) return;
    this.membersBusy = true;
    void (async () => {
      for (const { pg, members } of changes) {
        const r = await submitPlacement(this.node, { op: 'set-members', group: pg.group, members }, Date.now() + 5000);
        if (r.ok) this.node.logger.info({ group: pg.group, from: pg.members, to: members }, 'data group members follow the cluster\'s voters');
        else this.node.logger.warn({ group: pg.group, err: r.message }, 'data group members not changed');
      }
    })()
      .catch((e: unknown) => this.node.logger.debug({ err: (e as Error).message }, 'placement members change failed; retrying'))
      .finally(() => (this.membersBusy = false));
  }

  /** Group-0 leader: plan the preferred leaders again if they are uneven over the live voters for HOLD_MS, at most every COOLDOWN_MS. */
  private reconcileLeaders(now: number, s: Status): void {
    if (this.leadersBusy) return;
    const live = s.peers.filter((p) => p.active && s.conf.voters.includes(p.id)).map((p) => p.id);
    const views: GroupView[] = [];
    for (const pg of this.node.machines.get(PlacementMachine).all()) {
      const hs = this.node.groups.get(pg.group)?.host.status();
      const voters = hs ? hs.conf.voters : pg.members;
      // A group still changing members is planned once it is done.
      if (!sameSet(voters, pg.members)) return;
      views.push({ group: pg.group, candidates: pg.members.filter((m) => live.includes(m) && voters.includes(m)), preferred: pg.preferredLeader, leader: hs?.leader ?? 0 });
    }
    const plan = planLeaders(live, views);
    if (!plan.changes.length) {
      this.unevenSince = undefined;
      return;
    }
    this.unevenSince ??= now;
    if (now - this.unevenSince < HOLD_MS || now - this.lastPlan < COOLDOWN_MS) return;
    this.lastPlan = now;
    this.unevenSince = undefined;
    this.leadersBusy = true;
    const before = Object.fromEntries(leadersPerNode(live, views.map((v) => v.preferred)));
    submitPlacement(this.node, { op: 'set-leaders', moves: plan.changes }, Date.now() + 5000)
      .then((r) => {
        if (r.ok) this.node.logger.info({ changes: plan.changes, preferredBefore: before, planned: Object.fromEntries(leadersPerNode(live, plan.leaders.values())) }, 'preferred leaders planned again');
        else this.node.logger.info({ err: r.message }, 'leader plan not recorded');
      })
      .catch((e: unknown) => this.node.logger.debug({ err: (e as Error).message }, 'leader plan failed; retrying later'))
      .finally(() => (this.leadersBusy = false));
  }
}

/** The plan's input from every member's own view: live voters, and per group who may lead it and who leads it. */
function viewsFromMembers(node: NodeContext, self: NodeStatusResponse__Output, views: Map<NodeId, NodeStatusResponse__Output | Error>): { live: number[]; groups: GroupView[] } {
  const voters = self.conf!.voters;
  const live = voters.filter((id) => !(views.get(id) instanceof Error) && views.has(id));
  const groups: GroupView[] = [];
  for (const pg of node.machines.get(PlacementMachine).all()) {
    let leader = 0;
    let term = -1;
    const candidates: number[] = [];
    for (const id of live) {
      const g = (views.get(id) as NodeStatusResponse__Output).groups.find((x) => x.group === pg.group);
      if (!g) continue;
      // A candidate hosts the group as one of its voters (a new member is one once promoted).
      if (pg.members.includes(id) && g.voters.includes(id)) candidates.push(id);
      if (g.role === 'LEADER' && g.term > term) {
        leader = id;
        term = g.term;
      }
    }
    groups.push({ group: pg.group, candidates, preferred: pg.preferredLeader, leader });
  }
  return { live, groups };
}

/**
 * `quorumq cluster rebalance`: plan now, from every member's own view, and
 * record the plan's preferred leaders (group 0). A plan made stale by another
 * (the automatic reconciler's) is made again.
 */
export async function rebalance(node: NodeContext, deadline: number): Promise<RebalanceResponse> {
  for (let attempt = 1; ; attempt++) {
    // The placement as of now: a plan from an old copy would only be refused as stale.
    await readBarrier(node, deadline);
    const { self, views } = await memberViews(node, Math.min(1000, Math.max(100, deadline - Date.now())));
    const { live, groups } = viewsFromMembers(node, self, views);
    const plan: LeaderPlan = planLeaders(live, groups);
    if (plan.changes.length) {
      const r = await submitPlacement(node, { op: 'set-leaders', moves: plan.changes }, deadline);
      if (!r.ok) {
        if (r.code === 'failed-precondition' && attempt < PLAN_TRIES) continue;
        throw resultError(r);
      }
      node.logger.info({ changes: plan.changes, transfers: plan.transfers }, 'rebalance: preferred leaders planned');
    }
    const placement = node.machines.get(PlacementMachine);
    const count = (m: Map<number, number>) => [...m].map(([id, leaders]) => ({ id, leaders }));
    return {
      groups: groups
        .filter((g) => plan.leaders.has(g.group))
        .map((g) => {
          const pg = placement.group(g.group);
          return { group: g.group, queue: pg?.name ?? '', partition: pg?.partition ?? 0, leaderBefore: g.leader, planned: plan.leaders.get(g.group)! };
        }),
      before: count(
        leadersPerNode(
          live,
          groups.map((g) => g.leader),
        ),
      ),
      planned: count(leadersPerNode(live, plan.leaders.values())),
      preferredChanged: plan.changes.length,
      servedBy: node.id,
    };
  }
}
