// The leader's side of Raft.Forward: writes a follower relayed (added to the
// leader's own write turn, one outcome each) and membership calls.

import * as grpc from '@grpc/grpc-js';
import type { ForwardRequest__Output } from '../../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse } from '../../../proto/generated/quorumq/v1/ForwardResponse.js';
import { StatusError, toServiceError } from '../rpc/status.js';
import { FORWARD_CAP_MS } from '../writes/forward.js';
import type { NodeContext } from './context.js';
import { addNodeHere, removeNodeHere } from './membership.js';

export function forwardHandler(ctx: NodeContext) {
  return (call: grpc.ServerUnaryCall<ForwardRequest__Output, ForwardResponse>, callback: grpc.sendUnaryData<ForwardResponse>): void => {
    const who = ctx.transport.admitCall(call.metadata);
    if ('error' in who) {
      callback(who.error);
      return;
    }
    const d = call.getDeadline();
    const deadline = Math.min(d instanceof Date ? d.getTime() : d, Date.now() + FORWARD_CAP_MS);
    const run = async (): Promise<ForwardResponse> => {
      if (!ctx.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is shutting down; retry shortly`);
      if (!ctx.host.isLeader) {
        const l = ctx.host.currentLeader;
        throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; retry`);
      }
      const req = call.request;
      if (req.addNode) return { addNode: await addNodeHere(ctx, req.addNode.id, req.addNode.peerAddress, req.addNode.clientAddress, deadline), leader: ctx.id };
      if (req.removeNode) return { removeNode: await removeNodeHere(ctx, req.removeNode.id, deadline), leader: ctx.id };
      if (req.commands.length > 0) return { results: await ctx.writes.submitForwarded(req.commands, deadline), leader: ctx.id };
      throw new StatusError(grpc.status.INVALID_ARGUMENT, 'forwarded request carries nothing to do');
    };
    run().then(
      (res) => callback(null, res),
      (e: unknown) => callback(toServiceError(e, ctx.id)),
    );
  };
}
