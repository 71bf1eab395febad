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
import { ClusterMachine } from '../../machine/cluster/machine.js';
import { parseAddress } from './config.js';
import type { NodeId } from '../../../raft/core/types.js';

/**
 * Why a follower's forwarded commands must not be proposed, or undefined.
 * Every command must decode as its machine's (what the front door builds),
 * and the only address-book change a member forwards is registering its own
 * addresses (membership.ts: housekeeping); adding and removing members go
 * through AddNode / RemoveNode, which check their arguments here on the leader.
 */
function checkForwarded(ctx: NodeContext, from: NodeId, commands: readonly Uint8Array[]): string | undefined {
  const book = ctx.machines.get(ClusterMachine);
  for (let i = 0; i < commands.length; i++) {
    const cmd = commands[i]!;
    const bad = ctx.machines.checkCommand(cmd);
    if (bad) return `forwarded command ${i}: ${bad}`;
    if (cmd[0] === book.id) {
      const c = book.decodeCommand(cmd.subarray(1));
      if (c.op !== 'set-member' || c.id !== from) return `forwarded command ${i}: node ${from} may only register its own addresses, not ${c.op} node ${c.id}`;
      try {
        parseAddress('peer address', c.peerAddress);
        if (c.clientAddress) parseAddress('client address', c.clientAddress);
      } catch (e) {
        return `forwarded command ${i}: ${(e as Error).message}`;
      }
    }
  }
  return undefined;
}

/** `node` is group 0's context; a forward names its group, and is answered by that group's leader here. */
export function forwardHandler(node: NodeContext) {
  return (call: grpc.ServerUnaryCall<ForwardRequest__Output, ForwardResponse>, callback: grpc.sendUnaryData<ForwardResponse>): void => {
    const who = node.transport.admitCall(call);
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
      const ctx = node.groups.get(call.request.group ?? 0);
      if (!ctx) throw new StatusError(grpc.status.UNAVAILABLE, `node ${node.id} does not host group ${call.request.group} (yet); nothing was proposed (not applied); retry shortly`, 'not-applied');
      if (!ctx.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is shutting down; nothing was proposed (not applied); retry shortly`, 'not-applied');
      if (!ctx.host.isLeader) {
        const l = ctx.host.currentLeader;
        throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; nothing was proposed (not applied); retry`, 'not-applied');
      }
      const req = call.request;
      if ((req.addNode || req.removeNode) && ctx.group !== 0) throw new StatusError(grpc.status.INVALID_ARGUMENT, `membership changes go to group 0, not group ${ctx.group}`);
      if (req.addNode) return { addNode: await addNodeHere(ctx, req.addNode.id, req.addNode.peerAddress, req.addNode.clientAddress, deadline), leader: ctx.id };
      if (req.removeNode) return { removeNode: await removeNodeHere(ctx, req.removeNode.id, deadline), leader: ctx.id };
      if (req.commands.length > 0) {
        const bad = checkForwarded(ctx, who.from, req.commands);
        if (bad) {
          ctx.transport.countRejectedCall(who.from, bad);
          throw new StatusError(grpc.status.INVALID_ARGUMENT, bad);
        }
        const deadlines = req.commands.map((_, i) => Math.min(deadline, Number(req.deadlines[i] ?? 0) || Number.POSITIVE_INFINITY));
        return { results: await ctx.writes.submitForwarded(req.commands, deadlines, () => cancelled), leader: ctx.id };
      }
      throw new StatusError(grpc.status.INVALID_ARGUMENT, 'forwarded request carries nothing to do');
    };
    run().then(
      (res) => callback(null, res),
      (e: unknown) => callback(toServiceError(e, node.id)),
    );
  };
}
