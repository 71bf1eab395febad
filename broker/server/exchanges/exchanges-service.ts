// The Broker service's exchange calls: declare, delete, bind and unbind,
// publishes routed through an exchange and transactions go to the leader
// through the node's write path as one exchanges-machine command each;
// listings and info are served from this node's applied state. Requests are
// validated here before anything is proposed; the machine checks again.

import * as grpc from '@grpc/grpc-js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { ExchangeCommand, WriteOp } from '../../machine/exchanges/commands.js';
import type { ExchangeReply } from '../../machine/exchanges/machine.js';
import { DEFAULT_EXCHANGE, ExchangesMachine, validateWrite } from '../../machine/exchanges/machine.js';
import { commandFor } from '../../machine/envelope.js';
import { QueuesMachine } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { checkName, clusterNow, invalid, safe } from '../queues/convert.js';
import { StatusError, resultError } from '../rpc/status.js';
import { readBarrier, unary } from '../rpc/unary.js';
import { checkedMessages, infoResponse, toBinding, toExchangeType, toWriteOps } from './convert.js';

type Ok = Exclude<ExchangeReply, { ok: false }>;

/** Per-exchange routing stats in /metrics, read from this node's applied state at scrape time. */
function registerExchangeMetrics(ctx: NodeContext, exchanges: ExchangesMachine): void {
  for (const f of ['published', 'routed', 'unroutable'] as const) {
    ctx.metrics.addGauge({
      name: `quorumq_exchange_${f}_total`,
      help: `Per exchange: messages ${f} (this node's applied state)`,
      labelNames: ['exchange'],
      collect() {
        this.reset();
        for (const n of exchanges.names()) this.set({ exchange: n || '(default)' }, exchanges.info(n)!.stats[f]);
      },
    });
  }
}

/**
 * Whether applying `c` twice has the effect of applying it once (the write
 * path may then re-send it to a new leader): declares and binds (a second is
 * answered as existing) and writes with a producer (deduplicated by sequence).
 */
function idempotent(c: ExchangeCommand): boolean {
  return c.op === 'declare' || c.op === 'bind' || (c.op === 'write' && c.producer !== '');
}

export function exchangesService(ctx: NodeContext): Pick<BrokerHandlers, 'DeclareExchange' | 'DeleteExchange' | 'ListExchanges' | 'ExchangeInfo' | 'Bind' | 'Unbind' | 'PublishToExchange' | 'Transact'> {
  const exchanges = ctx.machines.get(ExchangesMachine);
  const queues = ctx.machines.get(QueuesMachine);
  registerExchangeMetrics(ctx, exchanges);

  const propose = async (c: ExchangeCommand, deadline: number): Promise<{ reply: Ok; index: number; leader: number }> => {
    const out = await ctx.writes.submit(commandFor(exchanges, c), deadline, { idempotent: idempotent(c) });
    const reply = out.reply as ExchangeReply;
    if (!reply.ok) throw resultError(reply);
    return { reply, index: out.index, leader: out.leader };
  };

  /** Validate a write, check the node's memory watermark, propose it. */
  const write = async (ops: WriteOp[], producerId: string, sequence: number, deadline: number) => {
    if (producerId) checkName('producer', producerId);
    const seq = producerId ? safe('sequence', sequence) : 0;
    const bad = validateWrite(ops, producerId);
    if (bad) throw invalid(bad);
    const limit = ctx.config.maxQueuedBytes;
    if (limit > 0 && ops.some((o) => o.op !== 'settle')) {
      const held = queues.heldBytes();
      if (held > limit) throw new StatusError(grpc.status.RESOURCE_EXHAUSTED, `node ${ctx.id}'s queues hold ${held} message bytes, above its limit of ${limit} (--max-queued-bytes); nothing was published; retry once consumers have caught up`);
    }
    const out = await propose({ op: 'write', producer: producerId, seq, ops }, deadline);
    if (out.reply.kind !== 'written') throw new StatusError(grpc.status.INTERNAL, 'the leader answered a write with something else');
    return { r: out.reply, index: out.index, leader: out.leader };
  };

  const existing = (name: string) => {
    const i = exchanges.info(name);
    if (!i) throw new StatusError(grpc.status.NOT_FOUND, `exchange "${name}" does not exist`);
    return i;
  };

  return {
    DeclareExchange: unary(ctx, 'DeclareExchange', async (req, deadline) => {
      checkName('exchange', req.name);
      if (req.alternateExchange) checkName('alternate_exchange', req.alternateExchange);
      const out = await propose({ op: 'declare', name: req.name, type: toExchangeType(req.type), alternate: req.alternateExchange }, deadline);
      return { created: out.reply.kind === 'declared' && out.reply.created, index: out.index };
    }),

    DeleteExchange: unary(ctx, 'DeleteExchange', async (req, deadline) => {
      checkName('exchange', req.name);
      const out = await propose({ op: 'delete', name: req.name, force: req.force }, deadline);
      return { index: out.index, bindingsRemoved: out.reply.kind === 'deleted' ? out.reply.bindings : 0 };
    }),

    ListExchanges: unary(ctx, 'ListExchanges', async (req, deadline) => {
      if (req.consistency !== 'LOCAL') await readBarrier(ctx, deadline);
      return { exchanges: exchanges.names().map((n) => infoResponse(exchanges.info(n)!, ctx.id)), servedBy: ctx.id };
    }),

    ExchangeInfo: unary(ctx, 'ExchangeInfo', async (req, deadline) => {
      if (req.name !== DEFAULT_EXCHANGE) checkName('exchange', req.name);
      if (req.consistency !== 'LOCAL') await readBarrier(ctx, deadline);
      return infoResponse(existing(req.name), ctx.id);
    }),

    Bind: unary(ctx, 'Bind', async (req, deadline) => {
      const out = await propose({ op: 'bind', binding: toBinding(req) }, deadline);
      return { created: out.reply.kind === 'bound' && out.reply.created, index: out.index };
    }),

    Unbind: unary(ctx, 'Unbind', async (req, deadline) => {
      const out = await propose({ op: 'unbind', binding: toBinding(req) }, deadline);
      return { index: out.index };
    }),

    PublishToExchange: unary(ctx, 'PublishToExchange', async (req, deadline) => {
      if (req.exchange !== DEFAULT_EXCHANGE) checkName('exchange', req.exchange);
      const messages = checkedMessages('', req.messages, clusterNow(ctx));
      const { r, index, leader } = await write([{ op: 'route', exchange: req.exchange, key: req.routingKey, mandatory: req.mandatory, messages }], req.producerId, req.sequence, deadline);
      const o = r.ops[0];
      return { queues: [...(o?.queues ?? [])], streams: [...(o?.streams ?? [])], unroutable: o?.unroutable ?? 0, index, leader, duplicate: r.duplicate };
    }),

    Transact: unary(ctx, 'Transact', async (req, deadline) => {
      const { r, index, leader } = await write(toWriteOps(req.ops, clusterNow(ctx)), req.producerId, req.sequence, deadline);
      return { results: r.ops.map((o) => ({ queues: [...o.queues], streams: [...o.streams], unroutable: o.unroutable, settled: o.settled })), index, leader, duplicate: r.duplicate };
    }),
  };
}
