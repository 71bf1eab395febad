// A node that is not the leader relays writes and membership calls over the
// peer connection (Raft.Forward) with the client's remaining deadline, and
// passes the leader's answer back unchanged: the client neither needs to know
// who leads nor to retry on its own.
//
// When the relay fails, the answer says whether the request certainly did
// not take effect: a connection that was never established (the leader
// refused it, or is gone) carried nothing, so the outcome is 'not-applied';
// a call that broke or timed out after it left may have reached the leader,
// so it is 'unknown'. The leader's own answers carry the leader's outcome.

import * as grpc from '@grpc/grpc-js';
import type { ForwardRequest } from '../../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse__Output } from '../../../proto/generated/quorumq/v1/ForwardResponse.js';
import type { WriteContext } from '../node/context.js';
import { peerAddressOf } from '../node/context.js';
import type { Outcome } from '../rpc/status.js';
import { META_ANSWERED_BY, META_OUTCOME, StatusError, noLeader } from '../rpc/status.js';

/** A forward without a deadline of its own still ends. */
export const FORWARD_CAP_MS = 30_000;

/** How a peer port refuses a call it does not admit (before reading it); the leader's own answers carry META_ANSWERED_BY instead. */
const ADMISSION_REFUSALS = new Set<grpc.status>([grpc.status.PERMISSION_DENIED, grpc.status.UNAUTHENTICATED, grpc.status.FAILED_PRECONDITION, grpc.status.INVALID_ARGUMENT]);

/** grpc-js's words for a call that failed before any connection carried it. */
const NEVER_SENT = /^(No connection established|Call dropped by load balancing policy|Name resolution failed|DNS resolution failed)/;

/** grpc-js appends "Resolution note: <empty>" to some messages: say nothing rather than an empty note. */
export function cleanDetails(details: string): string {
  return details.replace(/[.;,]?\s*Resolution note:\s*$/, '').trim();
}

/** Relay `req` to the leader of `ctx`'s group (the request names that group). */
export function forwardToLeader(ctx: WriteContext, req: ForwardRequest, deadline: number, method: string): Promise<ForwardResponse__Output> {
  const leader = ctx.host.currentLeader;
  if (!leader) return Promise.reject(noLeader(ctx.group));
  const client = ctx.transport.client(leader);
  if (!client) return Promise.reject(new StatusError(grpc.status.UNAVAILABLE, `the leader, node ${leader}, has no known address yet; the request was not sent (not applied); retry shortly`, 'not-applied'));
  ctx.metrics.forwarded.inc({ method });
  return new Promise((resolve, reject) => {
    client.Forward(req, ctx.transport.metadata(), { deadline: Math.min(deadline, Date.now() + FORWARD_CAP_MS) }, (err, res) => {
      if (err) reject(forwardError(ctx, leader, err));
      else resolve(res!);
    });
  });
}

/** Why a forward failed, with its outcome. */
export function forwardError(ctx: WriteContext, leader: number, err: grpc.ServiceError): StatusError {
  if (err.metadata?.get(META_ANSWERED_BY).length) {
    // The leader's own answer: pass it on unchanged, outcome included.
    const o = err.metadata.get(META_OUTCOME)[0];
    return new StatusError(err.code, err.details, o === 'not-applied' || o === 'unknown' ? (o as Outcome) : undefined);
  }
  const details = cleanDetails(err.details ?? String(err.message));
  if (err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new StatusError(err.code, `deadline exceeded while the request was with the leader, node ${leader}: it may or may not have been applied (outcome unknown)`, 'unknown');
  }
  const where = `the leader, node ${leader} at ${peerAddressOf(ctx, leader)}`;
  if (ADMISSION_REFUSALS.has(err.code)) {
    // The leader's peer port refused this node before reading the request
    // (peer-transport.ts admit: e.g. this node was removed from the cluster):
    // nothing was done, and another node may well succeed.
    return new StatusError(grpc.status.UNAVAILABLE, `${where} refused node ${ctx.id}'s forward (${grpc.status[err.code]}: ${details}); nothing was applied; try another node`, 'not-applied');
  }
  if (err.code === grpc.status.UNAVAILABLE && NEVER_SENT.test(details)) {
    return new StatusError(grpc.status.UNAVAILABLE, `cannot connect to ${where} (${details}): the request never left node ${ctx.id}, so it was not applied; retry shortly`, 'not-applied');
  }
  return new StatusError(grpc.status.UNAVAILABLE, `the connection to ${where} failed after the request was sent (${grpc.status[err.code] ?? err.code}: ${details}): it may or may not have been applied (outcome unknown); retry shortly`, 'unknown');
}
