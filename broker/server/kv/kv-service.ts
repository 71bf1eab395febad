// The Broker service's key-value calls: Put through the leader, Get from this
// node's applied state (after a ReadIndex round unless LOCAL).

import * as grpc from '@grpc/grpc-js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import { commandFor } from '../../machine/envelope.js';
import { KvMachine, validatePut } from '../../machine/kv/machine.js';
import type { NodeContext } from '../node/context.js';
import { consistency } from '../rpc/fields.js';
import { StatusError, resultError, withDeadline } from '../rpc/status.js';
import { readBarrier, unary } from '../rpc/unary.js';

export function kvService(ctx: NodeContext): Pick<BrokerHandlers, 'Put' | 'Get'> {
  const kv = ctx.machines.get(KvMachine);
  return {
    Put: unary(ctx, 'Put', async (req, deadline) => {
      const bad = validatePut(req.key, req.value);
      if (bad) throw new StatusError(grpc.status.INVALID_ARGUMENT, bad);
      const cmd = commandFor(kv, { op: 'put', key: req.key, value: req.value });
      const out = await withDeadline(ctx.writes.submit(cmd, deadline), deadline, 'the write was applied');
      if (!out.reply.ok) throw resultError(out.reply);
      return { index: out.index, leader: out.leader };
    }),

    Get: unary(ctx, 'Get', async (req, deadline) => {
      if (!req.key) throw new StatusError(grpc.status.INVALID_ARGUMENT, 'key must not be empty');
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      const v = kv.get(req.key);
      return {
        found: v !== undefined,
        value: v ? Buffer.from(v.value) : Buffer.alloc(0),
        index: v?.index ?? 0,
        applied: ctx.host.applied,
        servedBy: ctx.id,
      };
    }),
  };
}
