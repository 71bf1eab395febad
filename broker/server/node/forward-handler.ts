// The leader's side of Raft.Forward: writes a follower relayed (added to the
// leader's own write turn, one outcome each) and membership calls.

import * as grpc from '@grpc/grpc-js';
import type { ForwardRequest__Output } from '../../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse } from '../../../proto/generated/quorumq/v1/ForwardResponse.js';
import { StatusError, toServiceError } from '../rpc/status.js';
import { answerBy } from '../rpc/unary.js';
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
    // The call's deadline is relative (grpc-timeout), so it counts from arrival: a request
    // held up on the way (a cut link, TCP retransmission) would get its full time again.
    // Each command's absolute deadline bounds it too.
    const deadline = answerBy(Math.min(d instanceof Date ? d.getTime() : d, Date.now() + FORWARD_CAP_MS));
    let cancelled = false;
    call.on('cancelled', () => {
      cancelled = true;
    });
    const run = async (): Promise<ForwardResponse> => {
      if (!ctx.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is shutting down; nothing was proposed (not applied); retry shortly`, 'not-applied');
      if (!ctx.host.isLeader) {
        const l = ctx.host.currentLeader;
        throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; nothing was proposed (not applied); retry`, 'not-applied');
      }
      const req = call.request;
      if (req.addNode) return { addNode: await addNodeHere(ctx, req.addNode.id, req.addNode.peerAddress, req.addNode.clientAddress, deadline), leader: ctx.id };
      if (req.removeNode) return { removeNode: await removeNodeHere(ctx, req.removeNode.id, deadline), leader: ctx.id };
      if (req.commands.length > 0) {
        const deadlines = req.commands.map((_, i) => Math.min(deadline, Number(req.deadlines[i] ?? 0) || Number.POSITIVE_INFINITY));
        return { results: await ctx.writes.submitForwarded(req.commands, deadlines, () => cancelled), leader: ctx.id };
      }
      throw new StatusError(grpc.status.INVALID_ARGUMENT, 'forwarded request carries nothing to do');
    };
    run().then(
      (res) => callback(null, res),
      (e: unknown) => callback(toServiceError(e, ctx.id)),
    );
  };
}
