// The Broker service's cluster calls: status (fanned out to every member),
// membership changes and leadership transfer (through the leader).

import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../../raft/core/types.js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import { invalidArgument, uint } from '../rpc/fields.js';
import { StatusError, noLeader } from '../rpc/status.js';
import { unary } from '../rpc/unary.js';
import { clusterStatus } from './cluster-status.js';
import type { NodeContext } from './context.js';
import { addNode, removeNode } from './membership.js';

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

export function clusterService(ctx: NodeContext): Pick<BrokerHandlers, 'ClusterStatus' | 'AddNode' | 'RemoveNode' | 'TransferLeader'> {
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

    TransferLeader: unary(
      ctx,
      'TransferLeader',
      async (req, deadline) => {
        const id = nodeId(req.id);
        voterCheck(ctx, id);
        if (ctx.host.currentLeader !== id) {
          if (!ctx.host.currentLeader) throw noLeader();
          ctx.host.transferLeader(id);
          // The core abandons a transfer after one election timeout; don't wait much longer than a few.
          deadline = Math.min(deadline, Date.now() + 10 * ctx.host.tickMs * ctx.host.electionTicks);
          while (ctx.host.currentLeader !== id) {
            if (Date.now() >= deadline) throw new StatusError(grpc.status.DEADLINE_EXCEEDED, `node ${id} did not take over before the deadline (it may still be catching up)`);
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        return { leader: id, term: ctx.host.status().term };
      },
      MEMBERSHIP_CAP_MS,
    ),
  };
}
