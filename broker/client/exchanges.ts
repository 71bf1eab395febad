// Exchanges and transactions in the SDK:
//
//   const x = exchanges(qq);
//   await x.declare('orders', 'topic');
//   await x.bind('orders', { queue: 'eu-orders' }, 'orders.*.eu');
//   await x.publish('orders', 'orders.new.eu', [{ body: 'x' }], { mandatory: true });
//   await x.transaction()
//     .publish('out', [{ body: 'result' }])
//     .ack('in', consumerName, [tag])
//     .commit({ producerId: 'worker-1', sequence: 7 });
//
// A routed publish and a transaction are each applied all or none, in one
// log entry. With a producerId and sequence, the call is retried across
// leader changes and applied once (a retry answers `duplicate`).

import type { Client } from './client.js';
import type { TransactOp } from './exchange-wire.js';
import type { QueueMessageInput } from './messages.js';
import { toWireHeaders, toWireQueueMessage } from './messages.js';
import type { ResponseOf } from './methods.js';
import type { CallOptions } from './signal.js';

export type ExchangeKind = 'direct' | 'topic' | 'fanout' | 'headers';
/** What a binding routes to: exactly one of these. */
export type BindTarget = { readonly queue: string } | { readonly stream: string } | { readonly exchange: string };

export interface ExactlyOnce {
  /** A producer name (as queue names) and its sequence 1, 2, 3...: each (producer, sequence) is applied once. */
  readonly producerId?: string;
  readonly sequence?: number;
}

export interface RoutedPublishOptions extends ExactlyOnce {
  /** Fail (FailedPreconditionError) rather than route a message nowhere. */
  readonly mandatory?: boolean;
}

/** Where a routed publish or one transaction operation landed. */
export interface Landed {
  readonly queues: readonly string[];
  readonly streams: readonly string[];
  readonly unroutable: number;
}


function target(t: BindTarget): { targetKind: string; target: string } {
  if ('queue' in t) return { targetKind: 'TARGET_QUEUE', target: t.queue };
  if ('stream' in t) return { targetKind: 'TARGET_STREAM', target: t.stream };
  return { targetKind: 'TARGET_EXCHANGE', target: t.exchange };
}

const once = (o: ExactlyOnce | undefined) => ({ producerId: o?.producerId ?? '', sequence: o?.producerId ? (o.sequence ?? 1) : 0 });
/** A write with a producer id is deduplicated by the server: safe to retry after an unknown outcome. */
const retryable = (o: (ExactlyOnce & CallOptions) | undefined) => ({ signal: o?.signal, timeoutMs: o?.timeoutMs, idempotent: Boolean(o?.producerId) });

export class Exchanges {
  constructor(private readonly qq: Client) {}

  /** Create an exchange, or confirm it exists with this type and alternate exchange. */
  async declare(name: string, kind: ExchangeKind, o?: { alternateExchange?: string } & CallOptions): Promise<{ created: boolean }> {
    const r = await this.qq.call('DeclareExchange', { name, type: `EXCHANGE_${kind.toUpperCase()}` as never, alternateExchange: o?.alternateExchange ?? '' }, o);
    return { created: r.created };
  }

  /** Delete an exchange; refused while bound unless `force`. */
  async delete(name: string, o?: { force?: boolean } & CallOptions): Promise<{ bindingsRemoved: number }> {
    const r = await this.qq.call('DeleteExchange', { name, force: o?.force ?? false }, o);
    return { bindingsRemoved: r.bindingsRemoved };
  }

  list(o?: CallOptions): Promise<ResponseOf<'ListExchanges'>> {
    return this.qq.call('ListExchanges', {}, o);
  }

  info(name: string, o?: CallOptions): Promise<ResponseOf<'ExchangeInfo'>> {
    return this.qq.call('ExchangeInfo', { name }, o);
  }

  /** Bind a queue, stream or exchange; `args`: a headers exchange's x-match and headers. */
  async bind(exchange: string, to: BindTarget, routingKey = '', args: Readonly<Record<string, string>> = {}, o?: CallOptions): Promise<{ created: boolean }> {
    const r = await this.qq.call('Bind', { exchange, ...target(to), routingKey, arguments: toWireHeaders(args) } as never, o);
    return { created: r.created };
  }

  async unbind(exchange: string, to: BindTarget, routingKey = '', args: Readonly<Record<string, string>> = {}, o?: CallOptions): Promise<void> {
    await this.qq.call('Unbind', { exchange, ...target(to), routingKey, arguments: toWireHeaders(args) } as never, o);
  }

  /** Route messages through `exchange` ('' is the default exchange): they land in every target reached, or nowhere. */
  async publish(exchange: string, routingKey: string, messages: readonly QueueMessageInput[], o?: RoutedPublishOptions & CallOptions): Promise<Landed & { duplicate: boolean }> {
    const r = await this.qq.call('PublishToExchange', { exchange, routingKey, mandatory: o?.mandatory ?? false, messages: messages.map(toWireQueueMessage), ...once(o) }, retryable(o));
    return { queues: r.queues, streams: r.streams, unroutable: r.unroutable, duplicate: r.duplicate };
  }

  /** Start a transaction: operations gathered here, applied all or none by commit(). */
  transaction(): Transaction {
    return new Transaction(this.qq);
  }
}

export class Transaction {
  private readonly ops: TransactOp[] = [];
  constructor(private readonly qq: Client) {}

  /** Publish to a queue. */
  publish(queue: string, messages: readonly QueueMessageInput[]): this {
    this.ops.push({ kind: 'TX_PUBLISH_QUEUE', queue, messages: messages.map(toWireQueueMessage) });
    return this;
  }

  /** Route through an exchange. */
  route(exchange: string, routingKey: string, messages: readonly QueueMessageInput[], o?: { mandatory?: boolean }): this {
    this.ops.push({ kind: 'TX_PUBLISH_EXCHANGE', exchange, routingKey, mandatory: o?.mandatory ?? false, messages: messages.map(toWireQueueMessage) });
    return this;
  }

  /** Append to a stream. */
  append(stream: string, messages: readonly QueueMessageInput[]): this {
    this.ops.push({ kind: 'TX_APPEND_STREAM', stream, messages: messages.map(toWireQueueMessage) });
    return this;
  }

  /** Settle deliveries `consumer` holds: the whole transaction fails if one is no longer held. */
  ack(queue: string, consumer: string, tags: readonly number[]): this {
    this.ops.push({ kind: 'TX_SETTLE', queue, consumer, ack: [...tags] });
    return this;
  }

  requeue(queue: string, consumer: string, tags: readonly number[]): this {
    this.ops.push({ kind: 'TX_SETTLE', queue, consumer, requeue: [...tags] });
    return this;
  }

  reject(queue: string, consumer: string, tags: readonly number[]): this {
    this.ops.push({ kind: 'TX_SETTLE', queue, consumer, reject: [...tags] });
    return this;
  }

  /** Apply every operation, or none. */
  async commit(o?: ExactlyOnce & CallOptions): Promise<{ results: Array<Landed & { settled: number }>; duplicate: boolean }> {
    const r = await this.qq.call('Transact', { ops: this.ops, ...once(o) }, retryable(o));
    return { results: r.results.map((x) => ({ queues: x.queues, streams: x.streams, unroutable: x.unroutable, settled: x.settled })), duplicate: r.duplicate };
  }
}

/** The exchange and transaction calls of a connected client. */
export function exchanges(qq: Client): Exchanges {
  return new Exchanges(qq);
}
