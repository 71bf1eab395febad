// A node that is not the leader relays writes and membership calls over the
// peer connection (Raft.Forward) with the client's remaining deadline, and
// passes the leader's answer back unchanged: the client neither needs to know
// who leads nor to retry on its own.

import * as grpc from '@grpc/grpc-js';
import type { ForwardRequest } from '../../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse__Output } from '../../../proto/generated/quorumq/v1/ForwardResponse.js';
import type { NodeContext } from '../node/context.js';
import { GROUP, peerAddressOf } from '../node/context.js';
import { META_ANSWERED_BY, StatusError, noLeader } from '../rpc/status.js';

/** A forward without a deadline of its own still ends. */
export const FORWARD_CAP_MS = 30_000;

export function forwardToLeader(ctx: NodeContext, req: ForwardRequest, deadline: number, method: string): Promise<ForwardResponse__Output> {
  const leader = ctx.host.currentLeader;
  if (!leader) return Promise.reject(noLeader(GROUP));
  const client = ctx.transport.client(leader);
  if (!client) return Promise.reject(new StatusError(grpc.status.UNAVAILABLE, `the leader, node ${leader}, has no known address yet; retry shortly`));
  ctx.metrics.forwarded.inc({ method });
  return new Promise((resolve, reject) => {
    client.Forward(req, ctx.transport.metadata(), { deadline: Math.min(deadline, Date.now() + FORWARD_CAP_MS) }, (err, res) => {
      if (err) {
        if (err.metadata?.get(META_ANSWERED_BY).length) {
          // The leader's own answer: pass it on unchanged.
          reject(new StatusError(err.code, err.details));
        } else if (err.code === grpc.status.DEADLINE_EXCEEDED) {
          reject(new StatusError(err.code, `deadline exceeded while the leader, node ${leader}, handled the request; its outcome is unknown`));
        } else {
          // The call failed on the way: if it reached the leader at all, we cannot tell.
          reject(new StatusError(grpc.status.UNAVAILABLE, `cannot reach the leader, node ${leader} at ${peerAddressOf(ctx, leader)}: ${err.details} (if the request got there, its outcome is unknown); retry shortly`));
        }
      } else resolve(res!);
    });
  });
}
