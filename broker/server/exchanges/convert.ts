// Exchange requests as the machine needs them, validated field by field:
// every refusal is an INVALID_ARGUMENT naming the field and the rule, before
// anything is proposed (the machine checks again).

import type { BindRequest__Output } from '../../../proto/generated/quorumq/v1/BindRequest.js';
import type { BindingTarget__Output } from '../../../proto/generated/quorumq/v1/BindingTarget.js';
import type { ExchangeInfoResponse } from '../../../proto/generated/quorumq/v1/ExchangeInfoResponse.js';
import type { ExchangeType as ProtoExchangeType } from '../../../proto/generated/quorumq/v1/ExchangeType.js';
import type { TransactOp__Output } from '../../../proto/generated/quorumq/v1/TransactOp.js';
import type { Binding, ExchangeType, TargetKind, WriteOp } from '../../machine/exchanges/commands.js';
import type { ExchangeInfo } from '../../machine/exchanges/machine.js';
import { validateBinding } from '../../machine/exchanges/machine.js';
import type { QueueMessage } from '../../machine/queues/commands.js';
import { MAX_MESSAGE_BYTES_LIMIT } from '../../machine/queues/config.js';
import { validatePublish } from '../../machine/queues/machine.js';
import { StatusError } from '../rpc/status.js';
import { invalid, safe, toQueueMessages } from '../queues/convert.js';

const TYPES: Record<string, ExchangeType> = { EXCHANGE_DIRECT: 'direct', EXCHANGE_TOPIC: 'topic', EXCHANGE_FANOUT: 'fanout', EXCHANGE_HEADERS: 'headers' };
const TARGETS: Record<string, TargetKind> = { TARGET_QUEUE: 'queue', TARGET_STREAM: 'stream', TARGET_EXCHANGE: 'exchange' };

export function toExchangeType(t: unknown): ExchangeType {
  const type = TYPES[String(t)];
  if (!type) throw invalid(`type must be one of ${Object.keys(TYPES).join(', ')}, got ${String(t)}`);
  return type;
}

export function fromExchangeType(t: ExchangeType): ProtoExchangeType {
  return `EXCHANGE_${t.toUpperCase()}` as ProtoExchangeType;
}

export function toBinding(req: BindRequest__Output): Binding {
  const kind = TARGETS[String(req.targetKind)];
  if (!kind) throw invalid(`target_kind must be one of ${Object.keys(TARGETS).join(', ')}, got ${String(req.targetKind)}`);
  const b: Binding = { source: req.exchange, kind, target: req.target, key: req.routingKey, args: req.arguments.map((h) => [h.key, h.value] as const) };
  const bad = validateBinding(b);
  if (bad) throw invalid(bad);
  return b;
}

export function infoResponse(i: ExchangeInfo, servedBy: number): ExchangeInfoResponse {
  return {
    name: i.name,
    type: fromExchangeType(i.type),
    alternateExchange: i.alternate,
    published: i.stats.published,
    routed: i.stats.routed,
    unroutable: i.stats.unroutable,
    bindings: i.bindings.map((b) => ({ targetKind: `TARGET_${b.kind.toUpperCase()}` as BindingTarget__Output, target: b.target, routingKey: b.key, arguments: b.args.map(([key, value]) => ({ key, value })), matched: b.matched })),
    servedBy,
  };
}

/** Messages of a request, checked as a publish is (the targets' own size limits are checked when applied). */
export function checkedMessages(field: string, ms: Parameters<typeof toQueueMessages>[0], now: number): QueueMessage[] {
  let messages: QueueMessage[];
  try {
    messages = toQueueMessages(ms, now);
  } catch (e) {
    if (e instanceof StatusError && field) throw invalid(`${field}.${e.message}`);
    throw e;
  }
  const bad = validatePublish(messages, MAX_MESSAGE_BYTES_LIMIT);
  if (bad) throw invalid(field ? `${field}: ${bad}` : bad);
  return messages;
}

/** A transaction's operations (a settle op with several outcomes becomes one per outcome). */
/** `now`: the cluster time, for deliver_at_ms (toQueueMessages). */
export function toWriteOps(ops: readonly TransactOp__Output[], now: number): WriteOp[] {
  const out: WriteOp[] = [];
  ops.forEach((o, k) => {
    const f = `ops[${k}]`;
    switch (o.kind) {
      case 'TX_PUBLISH_EXCHANGE':
        out.push({ op: 'route', exchange: o.exchange, key: o.routingKey, mandatory: o.mandatory, messages: checkedMessages(f, o.messages, now) });
        break;
      case 'TX_PUBLISH_QUEUE':
        out.push({ op: 'queue', queue: o.queue, messages: checkedMessages(f, o.messages, now) });
        break;
      case 'TX_APPEND_STREAM':
        out.push({ op: 'stream', stream: o.stream, messages: checkedMessages(f, o.messages, now) });
        break;
      case 'TX_SETTLE': {
        const groups = [
          ['ack', o.ack],
          ['requeue', o.requeue],
          ['reject', o.reject],
        ] as const;
        let any = false;
        for (const [outcome, tags] of groups) {
          if (!tags.length) continue;
          any = true;
          out.push({ op: 'settle', queue: o.queue, consumer: o.consumer, outcome, tags: tags.map((t, i) => safe(`${f}.${outcome}[${i}]`, t)) });
        }
        if (!any) throw invalid(`${f}: a settle names at least one tag in ack, requeue or reject`);
        break;
      }
      default:
        throw invalid(`${f}.kind must be TX_PUBLISH_EXCHANGE, TX_PUBLISH_QUEUE, TX_APPEND_STREAM or TX_SETTLE, got ${String(o.kind)}`);
    }
  });
  return out;
}
