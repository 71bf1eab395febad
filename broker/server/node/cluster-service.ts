// The Broker service's cluster calls: status (fanned out to every member),
// membership changes and leadership transfer (through the leader), and
// rebalancing the data groups' leaders (placement-reconciler.ts).

import * as grpc from '@grpc/grpc-js';
import { NotLeaderError } from '../../../raft/core/errors.js';
import type { NodeId } from '../../../raft/core/types.js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import { invalidArgument, uint } from '../rpc/fields.js';
import { StatusError } from '../rpc/status.js';
import { unary } from '../rpc/unary.js';
import { clusterStatus } from './cluster-status.js';
import type { NodeContext } from './context.js';
import { addNode, removeNode } from './membership.js';
import { rebalance } from './placement-reconciler.js';

const MEMBERSHIP_CAP_MS = 60_000;

/** A node id: a positive integer below 2^32. */
function nodeId(v: number): NodeId {
  const id = uint('id', v);
  if (id === 0 || id > 0xffff_ffff) throw invalidArgument(`id must be a node id from 1 to ${0xffff_ffff}, got ${id}`);
  return id;
}

function voterCheck(ctx: NodeContext, id: NodeId): void {
  const conf = ctx.host.status().conf;
  if (conf.learners.includes(id)) throw new StatusError(grpc.status.FAILED_PRECONDITION, `node ${id} is a learner and cannot lead until it is promoted`);
  if (!conf.voters.includes(id)) throw new StatusError(grpc.status.NOT_FOUND, `node ${id} is not a member`);
}

/**
 * Hand leadership to `id` and wait until it leads. The request goes to
 * whoever leads now; when leadership lands elsewhere (a concurrent transfer,
 * an election) or the core abandons the transfer (after one election
 * timeout), it is asked again of the leader then known, so the call ends when
 * the target leads, not when its deadline passes.
 */
async function transferTo(ctx: NodeContext, id: NodeId, deadline: number): Promise<{ leader: number; term: number }> {
  const electionMs = ctx.host.tickMs * ctx.host.electionTicks;
  const until = Math.min(deadline, Date.now() + 10 * electionMs);
  let askedOf = 0;
  let askedAt = 0;
  while (ctx.host.currentLeader !== id) {
    const now = Date.now();
    if (now >= until) throw new StatusError(grpc.status.DEADLINE_EXCEEDED, `node ${id} did not take over before the deadline (it may still be catching up); leadership is unchanged unless the call's answer was lost`);
    const leader = ctx.host.currentLeader;
    if (leader && (leader !== askedOf || now - askedAt > electionMs)) {
      try {
        ctx.host.transferLeader(id);
      } catch (e) {
        if (!(e instanceof NotLeaderError)) throw e;
      }
      askedOf = leader;
      askedAt = now;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { leader: id, term: ctx.host.status().term };
}

export function clusterService(ctx: NodeContext): Pick<BrokerHandlers, 'ClusterStatus' | 'AddNode' | 'RemoveNode' | 'TransferLeader' | 'Rebalance'> {
  let transfers: Promise<unknown> = Promise.resolve();
  return {
    ClusterStatus: unary(ctx, 'ClusterStatus', async () => clusterStatus(ctx)),

    AddNode: unary(
      ctx,
      'AddNode',
      async (req, deadline) => {
        const id = nodeId(req.id);
        if (!req.peerAddress) throw new StatusError(grpc.status.INVALID_ARGUMENT, 'peer_address is required (host:port where the new node serves Raft)');
        return addNode(ctx, id, req.peerAddress, req.clientAddress, deadline);
      },
      MEMBERSHIP_CAP_MS,
    ),

    RemoveNode: unary(ctx, 'RemoveNode', async (req, deadline) => removeNode(ctx, nodeId(req.id), deadline), MEMBERSHIP_CAP_MS),

    // Plans from every member's view and records the plan in group 0 (forwarded there by the write path): any node can serve it.
    Rebalance: unary(ctx, 'Rebalance', async (_req, deadline) => rebalance(ctx, deadline), MEMBERSHIP_CAP_MS),

    TransferLeader: unary(
      ctx,
      'TransferLeader',
      async (req, deadline) => {
        const id = nodeId(req.id);
        voterCheck(ctx, id);
        // One transfer at a time from this node: two at once would send two voters campaigning against each other.
        const turn = transfers.then(() => transferTo(ctx, id, deadline));
        transfers = turn.catch(() => undefined);
        return turn;
      },
      MEMBERSHIP_CAP_MS,
    ),
  };
}
