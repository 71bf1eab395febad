// Writes and membership calls run on the leader. A node that is not the
// leader relays them over the peer connection (Raft.Forward) with the
// client's remaining deadline, and passes the leader's answer back unchanged:
// the client neither needs to know who leads nor to retry on its own.

import * as grpc from '@grpc/grpc-js';
import { ConfChangeType } from '../../raft/core/types.js';
import type { ForwardRequest, ForwardRequest__Output } from '../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse, ForwardResponse__Output } from '../../proto/generated/quorumq/v1/ForwardResponse.js';
import type { AddNodeResponse } from '../../proto/generated/quorumq/v1/AddNodeResponse.js';
import { decodeResult, encodeCommand, encodeResult } from '../machine/commands.js';
import { proposeForwardedBatch, stampAppendTime } from './leader-propose.js';
import type { WriteOutcome } from './leader-propose.js';
import { ConfigError, parseAddress } from './config.js';
import type { NodeContext } from './context.js';
import { GROUP, peerAddressOf } from './context.js';
import { META_ANSWERED_BY, StatusError, noLeader, toServiceError, withDeadline } from './status.js';

export type { WriteOutcome };

/** Propose on this node, which must lead. */
async function proposeHere(ctx: NodeContext, command: Uint8Array, deadline: number): Promise<WriteOutcome> {
  // Stream appends carry the leader's clock, whoever took the request.
  stampAppendTime(command, Date.now());
  const applied = await withDeadline(ctx.host.propose(command), deadline, 'the write was applied; its outcome is unknown');
  const result = applied.result ?? { ok: true, index: applied.index };
  return { result, index: applied.index, leader: ctx.id };
}

/** Relay to the leader over the peer connection. */
export function forwardToLeader(ctx: NodeContext, req: ForwardRequest, deadline: number, method: string): Promise<ForwardResponse__Output> {
  const leader = ctx.host.currentLeader;
  if (!leader) return Promise.reject(noLeader(GROUP));
  const client = ctx.transport.client(leader);
  if (!client) return Promise.reject(new StatusError(grpc.status.UNAVAILABLE, `the leader, node ${leader}, has no known address yet; retry shortly`));
  ctx.metrics.forwarded.inc({ method });
  return new Promise((resolve, reject) => {
    client.Forward(req, ctx.transport.metadata(), { deadline: Number.isFinite(deadline) ? deadline : Date.now() + 30_000 }, (err, res) => {
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

/** Apply an encoded command through the leader: here if we lead, else forwarded. */
export async function submitCommand(ctx: NodeContext, command: Uint8Array, deadline: number, method: string): Promise<WriteOutcome> {
  if (ctx.host.isLeader) return proposeHere(ctx, command, deadline);
  const res = await forwardToLeader(ctx, { group: GROUP, command: Buffer.from(command) }, deadline, method);
  return { result: decodeResult(res.result), index: res.index, leader: res.leader };
}

function membership(ctx: NodeContext): AddNodeResponse {
  const c = ctx.host.status().conf;
  return { voters: [...c.voters], learners: [...c.learners] };
}

async function until(cond: () => boolean, deadline: number, what: string): Promise<void> {
  while (!cond()) {
    if (Date.now() >= deadline) throw new StatusError(grpc.status.DEADLINE_EXCEEDED, what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Add a node as a learner; the promoter makes it a voter once it caught up. Leader only. */
async function addNodeHere(ctx: NodeContext, id: number, peer: string, client: string, deadline: number): Promise<AddNodeResponse> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 0xffff_ffff) throw new StatusError(grpc.status.INVALID_ARGUMENT, `node id must be a positive integer, got ${id}`);
  let peerAddress: string;
  let clientAddress = '';
  try {
    peerAddress = parseAddress('peer address', peer);
    if (client) clientAddress = parseAddress('client address', client);
  } catch (e) {
    throw new StatusError(grpc.status.INVALID_ARGUMENT, e instanceof ConfigError ? e.message : String(e));
  }
  const conf = ctx.host.status().conf;
  if (conf.voters.includes(id)) throw new StatusError(grpc.status.ALREADY_EXISTS, `node ${id} is already a voter`);
  if (!conf.learners.includes(id)) {
    // The address book entry first, so every node can reach the member the moment it joins.
    await proposeHere(ctx, encodeCommand({ machine: 'cluster', op: 'set-member', id, peerAddress, clientAddress }), deadline);
    await withDeadline(ctx.host.proposeConfChange({ type: ConfChangeType.AddLearner, node: id }), deadline, `node ${id} was added as a learner; its outcome is unknown`);
  }
  await until(
    () => ctx.host.status().conf.voters.includes(id),
    deadline,
    `node ${id} is a learner and still catching up; it becomes a voter automatically once it has caught up`,
  );
  return membership(ctx);
}

async function removeNodeHere(ctx: NodeContext, id: number, deadline: number): Promise<AddNodeResponse> {
  const conf = ctx.host.status().conf;
  if (!conf.voters.includes(id) && !conf.learners.includes(id)) throw new StatusError(grpc.status.NOT_FOUND, `node ${id} is not a member`);
  await withDeadline(ctx.host.proposeConfChange({ type: ConfChangeType.RemoveNode, node: id }), deadline, `node ${id} was removed; its outcome is unknown`);
  // Drop its address too; if this node just removed itself it no longer leads, and the entry stays (harmless).
  if (ctx.host.isLeader) await proposeHere(ctx, encodeCommand({ machine: 'cluster', op: 'remove-member', id }), deadline).catch(() => undefined);
  return membership(ctx);
}

export async function addNode(ctx: NodeContext, id: number, peer: string, client: string, deadline: number): Promise<AddNodeResponse> {
  if (ctx.host.isLeader) return addNodeHere(ctx, id, peer, client, deadline);
  const res = await forwardToLeader(ctx, { group: GROUP, addNode: { id, peerAddress: peer, clientAddress: client } }, deadline, 'AddNode');
  return res.addNode ?? { voters: [], learners: [] };
}

export async function removeNode(ctx: NodeContext, id: number, deadline: number): Promise<AddNodeResponse> {
  if (ctx.host.isLeader) return removeNodeHere(ctx, id, deadline);
  const res = await forwardToLeader(ctx, { group: GROUP, removeNode: { id } }, deadline, 'RemoveNode');
  return res.removeNode ?? { voters: [], learners: [] };
}

/** The Raft.Forward handler: the leader's side of forwarding. */
export function forwardHandler(ctx: NodeContext) {
  return (call: grpc.ServerUnaryCall<ForwardRequest__Output, ForwardResponse>, callback: grpc.sendUnaryData<ForwardResponse>): void => {
    const who = ctx.transport.admitCall(call.metadata);
    if ('error' in who) {
      callback(who.error);
      return;
    }
    const d = call.getDeadline();
    const deadline = Math.min(d instanceof Date ? d.getTime() : d, Date.now() + 30_000);
    const run = async (): Promise<ForwardResponse> => {
      if (!ctx.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is shutting down; retry shortly`);
      if (!ctx.host.isLeader) {
        const l = ctx.host.currentLeader;
        throw new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; retry`);
      }
      if (call.request.addNode) {
        const a = call.request.addNode;
        return { addNode: await addNodeHere(ctx, a.id, a.peerAddress, a.clientAddress, deadline), leader: ctx.id };
      }
      if (call.request.removeNode) return { removeNode: await removeNodeHere(ctx, call.request.removeNode.id, deadline), leader: ctx.id };
      if (call.request.commands.length > 0) return { results: await proposeForwardedBatch(ctx, call.request.commands), leader: ctx.id };
      if (!call.request.command || call.request.command.byteLength === 0) throw new StatusError(grpc.status.INVALID_ARGUMENT, 'forwarded request carries nothing to do');
      const out = await proposeHere(ctx, call.request.command, deadline);
      return { result: Buffer.from(encodeResult(out.result)), index: out.index, leader: out.leader };
    };
    run().then(
      (res) => callback(null, res),
      (e: unknown) => callback(toServiceError(e, ctx.id)),
    );
  };
}
