// ClusterStatus: every member's own view (Raft.NodeStatus over the peer
// connection, in parallel, with a short deadline) merged with the leader's
// view of each follower's progress. A member that does not answer is listed
// as unreachable rather than failing the call.

import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../../raft/core/types.js';
import type { ClusterStatusResponse } from '../../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { MemberStatus } from '../../../proto/generated/quorumq/v1/MemberStatus.js';
import type { NodeStatusRequest__Output } from '../../../proto/generated/quorumq/v1/NodeStatusRequest.js';
import type { NodeStatusResponse, NodeStatusResponse__Output } from '../../../proto/generated/quorumq/v1/NodeStatusResponse.js';
import type { Role__Output } from '../../../proto/generated/quorumq/v1/Role.js';
import type { NodeContext } from './context.js';
import { clientAddressOf, peerAddressOf } from './context.js';
import type { GroupSummary } from '../../../proto/generated/quorumq/v1/GroupSummary.js';
import type { NodeGroupStatus__Output } from '../../../proto/generated/quorumq/v1/NodeGroupStatus.js';
import { PlacementMachine } from '../../machine/placement/machine.js';

const ROLE: Record<string, Role__Output> = { follower: 'FOLLOWER', 'pre-candidate': 'PRE_CANDIDATE', candidate: 'CANDIDATE', leader: 'LEADER' };

/** This node's own view; with `group` (a data group), only that group's in `groups`. */
export function selfStatus(ctx: NodeContext, group = 0): NodeStatusResponse__Output {
  const s = ctx.host.status();
  return {
    id: s.id,
    role: ROLE[s.role] ?? 'ROLE_UNKNOWN',
    term: s.term,
    leader: s.leader,
    commit: s.commit,
    applied: s.applied,
    lastIndex: s.lastIndex,
    conf: { voters: [...s.conf.voters], learners: [...s.conf.learners] },
    progress: s.peers.map((p) => ({ id: p.id, match: p.match, next: p.next, learner: p.learner, active: p.active })),
    clientAddress: ctx.config.clientAddress,
    peerAddress: ctx.config.peerAddress,
    groups: ctx.groups
      .all()
      .filter((g) => g.group !== 0 && (group === 0 || g.group === group))
      .map((g) => {
        const gs = g.host.status();
        return { group: g.group, role: ROLE[gs.role] ?? 'ROLE_UNKNOWN', term: gs.term, leader: gs.leader, commit: gs.commit, applied: gs.applied, lastIndex: gs.lastIndex, voters: [...gs.conf.voters] };
      }),
  };
}

/**
 * Every data group as its leader sees it: the member that says it leads in
 * the highest term; with none, the answering node's own view.
 */
function groupSummaries(ctx: NodeContext, views: Iterable<NodeStatusResponse__Output | Error>): GroupSummary[] {
  const placed = ctx.machines.get(PlacementMachine).all();
  const best = new Map<number, NodeGroupStatus__Output>();
  const mine = new Map<number, NodeGroupStatus__Output>();
  for (const v of views) {
    if (v instanceof Error) continue;
    for (const g of v.groups) {
      if (v.id === ctx.id) mine.set(g.group, g);
      if (g.role !== 'LEADER') continue;
      const b = best.get(g.group);
      if (!b || g.term > b.term) best.set(g.group, g);
    }
  }
  return placed.map((p) => {
    const v = best.get(p.group) ?? mine.get(p.group);
    return {
      group: p.group,
      leader: v?.leader ?? 0,
      members: [...p.members],
      preferredLeader: p.preferredLeader,
      term: v?.term ?? 0,
      commit: v?.commit ?? 0,
      applied: v?.applied ?? 0,
      queue: p.name,
      partition: p.partition,
      voters: [...(v?.voters ?? [])],
      kind: p.kind,
    };
  });
}

export function nodeStatusHandler(ctx: NodeContext) {
  return (call: grpc.ServerUnaryCall<NodeStatusRequest__Output, NodeStatusResponse>, callback: grpc.sendUnaryData<NodeStatusResponse>): void => {
    const who = ctx.transport.admitCall(call);
    if ('error' in who) callback(who.error);
    else callback(null, selfStatus(ctx, call.request.group ?? 0));
  };
}

function ask(ctx: Pick<NodeContext, 'transport'>, id: NodeId, timeoutMs: number, group = 0): Promise<NodeStatusResponse__Output> {
  const client = ctx.transport.client(id);
  if (!client) return Promise.reject(new Error('address unknown'));
  return new Promise((resolve, reject) => {
    client.NodeStatus({ group }, ctx.transport.metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(new Error((err.details || grpc.status[err.code]).split('. ')[0]));
      else resolve(res!);
    });
  });
}

/**
 * Who leads data group `group`, as its `members` say (asked in parallel): the
 * one that says it leads in the highest term, else the leader named in the
 * highest term; 0 when none answers with one (an election is on, or every
 * member is cut off from this node).
 */
export async function groupLeader(ctx: Pick<NodeContext, 'transport'>, group: number, members: readonly NodeId[], timeoutMs: number): Promise<{ leader: NodeId; term: number }> {
  const views = await Promise.all(members.map((id) => ask(ctx, id, timeoutMs, group).catch(() => undefined)));
  let best: { leader: NodeId; term: number; says: boolean } = { leader: 0, term: 0, says: false };
  for (const v of views) {
    const g = v?.groups.find((x) => x.group === group);
    if (!g || !g.leader) continue;
    const says = g.role === 'LEADER';
    if (g.term > best.term || (g.term === best.term && says && !best.says)) best = { leader: g.leader, term: g.term, says };
  }
  return { leader: best.leader, term: best.term };
}

/** Every member's own view (this node's first), or the error reaching it; also used by the rebalance planner. */
export async function memberViews(ctx: NodeContext, timeoutMs = 1000): Promise<{ self: NodeStatusResponse__Output; ids: NodeId[]; views: Map<NodeId, NodeStatusResponse__Output | Error> }> {
  const self = selfStatus(ctx);
  const conf = self.conf!;
  const ids = [...new Set([...conf.voters, ...conf.learners])].sort((a, b) => a - b);
  const views = new Map<NodeId, NodeStatusResponse__Output | Error>();
  await Promise.all(
    ids.map(async (id) => {
      if (id === ctx.id) views.set(id, self);
      else views.set(id, await ask(ctx, id, timeoutMs).catch((e: Error) => e));
    }),
  );
  return { self, ids, views };
}

export async function clusterStatus(ctx: NodeContext, timeoutMs = 1000): Promise<ClusterStatusResponse> {
  const { self, ids, views } = await memberViews(ctx, timeoutMs);
  const conf = self.conf!;
  // The leader: the one that says it leads in the highest term, else whom we believe leads.
  let leaderView: NodeStatusResponse__Output | undefined;
  for (const v of views.values()) {
    if (v instanceof Error || v.role !== 'LEADER') continue;
    if (!leaderView || v.term > leaderView.term) leaderView = v;
  }
  const leader = leaderView?.id ?? self.leader;
  const progress = new Map((leaderView?.progress ?? []).map((p) => [p.id, p]));
  const members: MemberStatus[] = ids.map((id) => {
    const v = views.get(id)!;
    const voter = conf.voters.includes(id);
    const p = progress.get(id);
    const base: MemberStatus = {
      id,
      peerAddress: peerAddressOf(ctx, id) ?? '',
      clientAddress: clientAddressOf(ctx, id),
      voter,
      match: p?.match ?? 0,
      lag: p && leaderView ? Math.max(0, leaderView.lastIndex - p.match) : 0,
      active: p?.active ?? false,
    };
    if (v instanceof Error) return { ...base, role: 'ROLE_UNKNOWN', reachable: false, error: v.message };
    const leading = (v.role === 'LEADER' ? 1 : 0) + v.groups.filter((g) => g.role === 'LEADER').length;
    return {
      ...base,
      clientAddress: v.clientAddress || base.clientAddress,
      role: !voter && v.role !== 'LEADER' ? 'LEARNER' : v.role,
      reachable: true,
      term: v.term,
      commit: v.commit,
      applied: v.applied,
      lastIndex: v.lastIndex,
      groups: 1 + v.groups.length,
      leading,
    };
  });
  return {
    leader,
    term: leaderView?.term ?? self.term,
    commit: leaderView?.commit ?? self.commit,
    members,
    servedBy: ctx.id,
    clusterId: ctx.config.clusterId,
    groups: groupSummaries(ctx, views.values()),
  };
}
