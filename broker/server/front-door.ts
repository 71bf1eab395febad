// The Broker service every node serves. Reads are answered here (a
// linearizable read uses a ReadIndex round through the leader, then this
// node's own applied state); writes and membership calls go to the leader
// (leader-calls.ts). Every call is counted and timed by method and status.

import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../raft/core/types.js';
import type { BrokerHandlers } from '../../proto/generated/quorumq/v1/Broker.js';
import { encodeCommand } from '../machine/commands.js';
import { validatePut } from '../machine/kv.js';
import type { NodeContext } from './context.js';
import { clusterStatus } from './cluster-status.js';
import { addNode, removeNode, submitCommand } from './leader-calls.js';
import { unary } from './calls.js';
import { StatusError, noLeader, withDeadline } from './status.js';
import { streamHandlers } from './streams-api.js';

const MEMBERSHIP_CAP_MS = 60_000;

function voterCheck(ctx: NodeContext, id: NodeId): void {
  const conf = ctx.host.status().conf;
  if (conf.learners.includes(id)) throw new StatusError(grpc.status.FAILED_PRECONDITION, `node ${id} is a learner and cannot lead until it is promoted`);
  if (!conf.voters.includes(id)) throw new StatusError(grpc.status.NOT_FOUND, `node ${id} is not a member`);
}

export function brokerHandlers(ctx: NodeContext): BrokerHandlers {
  return {
    ...streamHandlers(ctx),
    Put: unary(ctx, 'Put', async (req, deadline) => {
      const bad = validatePut(req.key, req.value);
      if (bad) throw new StatusError(grpc.status.INVALID_ARGUMENT, bad);
      const out = await submitCommand(ctx, encodeCommand({ machine: 'kv', op: 'put', key: req.key, value: req.value }), deadline, 'Put');
      if (!out.result.ok) {
        throw new StatusError(out.result.code === 'invalid-argument' ? grpc.status.INVALID_ARGUMENT : grpc.status.FAILED_PRECONDITION, out.result.message);
      }
      return { index: out.index, leader: out.leader };
    }),

    Get: unary(ctx, 'Get', async (req, deadline) => {
      if (!req.key) throw new StatusError(grpc.status.INVALID_ARGUMENT, 'key must not be empty');
      if (req.consistency !== 'LOCAL') {
        if (!ctx.host.currentLeader) throw noLeader();
        const left = deadline - Date.now();
        await withDeadline(ctx.host.readBarrier(Math.max(1, left)), deadline, 'the read was confirmed by the leader');
      }
      const v = ctx.machine.kv.get(req.key);
      return {
        found: v !== undefined,
        value: v ? Buffer.from(v.value) : Buffer.alloc(0),
        index: v?.index ?? 0,
        applied: ctx.host.applied,
        servedBy: ctx.id,
      };
    }),

    ClusterStatus: unary(ctx, 'ClusterStatus', async () => clusterStatus(ctx)),

    AddNode: unary(
      ctx,
      'AddNode',
      async (req, deadline) => {
        if (!req.peerAddress) throw new StatusError(grpc.status.INVALID_ARGUMENT, 'peer_address is required (host:port where the new node serves Raft)');
        return addNode(ctx, req.id, req.peerAddress, req.clientAddress, deadline);
      },
      MEMBERSHIP_CAP_MS,
    ),

    RemoveNode: unary(ctx, 'RemoveNode', async (req, deadline) => removeNode(ctx, req.id, deadline), MEMBERSHIP_CAP_MS),

    TransferLeader: unary(
      ctx,
      'TransferLeader',
      async (req, deadline) => {
        voterCheck(ctx, req.id);
        if (ctx.host.currentLeader !== req.id) {
          if (!ctx.host.currentLeader) throw noLeader();
          ctx.host.transferLeader(req.id);
          // The core abandons a transfer after one election timeout; don't wait much longer than a few.
          deadline = Math.min(deadline, Date.now() + 10 * ctx.host.tickMs * ctx.host.electionTicks);
          while (ctx.host.currentLeader !== req.id) {
            if (Date.now() >= deadline) throw new StatusError(grpc.status.DEADLINE_EXCEEDED, `node ${req.id} did not take over before the deadline (it may still be catching up)`);
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        return { leader: req.id, term: ctx.host.status().term };
      },
      MEMBERSHIP_CAP_MS,
    ),
  };
}
