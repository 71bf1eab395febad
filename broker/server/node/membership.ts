// Membership calls run on the leader: add a node (its address first, then as
// a learner; the housekeeper promotes it once caught up), remove one. A node
// that is not the leader forwards them (writes/forward.ts).

import * as grpc from '@grpc/grpc-js';
import { ConfChangeType } from '../../../raft/core/types.js';
import type { AddNodeResponse } from '../../../proto/generated/quorumq/v1/AddNodeResponse.js';
import type { ClusterCommand } from '../../machine/cluster/machine.js';
import { ClusterMachine } from '../../machine/cluster/machine.js';
import { commandFor } from '../../machine/envelope.js';
import { resultError, StatusError, withDeadline } from '../rpc/status.js';
import { forwardToLeader } from '../writes/forward.js';
import { ConfigError, parseAddress } from './config.js';
import type { NodeContext } from './context.js';
import { GROUP } from './context.js';

/** Apply an address-book change through the leader (here, or forwarded by the write path). */
export async function updateAddressBook(ctx: NodeContext, c: ClusterCommand, deadline: number): Promise<number> {
  const book = ctx.machines.get(ClusterMachine);
  const out = await withDeadline(ctx.writes.submit(commandFor(book, c), deadline), deadline, 'the address book change was applied');
  if (!out.reply.ok) throw resultError(out.reply);
  return out.index;
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
export async function addNodeHere(ctx: NodeContext, id: number, peer: string, client: string, deadline: number): Promise<AddNodeResponse> {
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
    await updateAddressBook(ctx, { op: 'set-member', id, peerAddress, clientAddress }, deadline);
    await withDeadline(ctx.host.proposeConfChange({ type: ConfChangeType.AddLearner, node: id }), deadline, `node ${id} was added as a learner`);
  }
  await until(
    () => ctx.host.status().conf.voters.includes(id),
    deadline,
    `node ${id} is a learner and still catching up; it becomes a voter automatically once it has caught up`,
  );
  return membership(ctx);
}

export async function removeNodeHere(ctx: NodeContext, id: number, deadline: number): Promise<AddNodeResponse> {
  const conf = ctx.host.status().conf;
  if (!conf.voters.includes(id) && !conf.learners.includes(id)) throw new StatusError(grpc.status.NOT_FOUND, `node ${id} is not a member`);
  await withDeadline(ctx.host.proposeConfChange({ type: ConfChangeType.RemoveNode, node: id }), deadline, `node ${id} was removed`);
  // Drop its address too; if this node just removed itself it no longer leads, and the entry stays (harmless).
  if (ctx.host.isLeader) await updateAddressBook(ctx, { op: 'remove-member', id }, deadline).catch(() => undefined);
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
