// quorumq exchange declare|delete|list|info, quorumq bind|unbind,
// quorumq publish --exchange X --key K, quorumq tx.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExchangeInfoResponse__Output } from '../../proto/generated/quorumq/v1/ExchangeInfoResponse.js';
import type { ExchangePublishResponse__Output } from '../../proto/generated/quorumq/v1/ExchangePublishResponse.js';
import type { TransactOp } from '../../proto/generated/quorumq/v1/TransactOp.js';
import type { TransactResponse__Output } from '../../proto/generated/quorumq/v1/TransactResponse.js';
import type { BrokerPool } from './client.js';
import type { Out } from './cluster-commands.js';
import type { Flags } from './flags.js';
import { consistency, count, strip } from './flags.js';
import { table } from './output.js';
import { UsageError } from './usage.js';

const str = (flags: Flags, k: string): string | undefined => flags[k] as string | undefined;
const TYPES = ['direct', 'topic', 'fanout', 'headers'];

export async function exchangeCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, name] = args;
  switch (sub) {
    case 'declare': {
      if (!name) throw new UsageError('usage: quorumq exchange declare NAME --type direct|topic|fanout|headers [--alternate EXCHANGE]');
      const type = str(flags, 'type') ?? 'direct';
      if (!TYPES.includes(type)) throw new UsageError(`--type must be one of ${TYPES.join(', ')}, got "${type}"`);
      const alternateExchange = str(flags, 'alternate') ?? '';
      const r = await pool.call<{ created: boolean; index: number }>('DeclareExchange', { name, type: `EXCHANGE_${type.toUpperCase()}`, alternateExchange });
      if (out.json) return out.print(JSON.stringify({ name, type, created: r.created, index: r.index }));
      return out.print(r.created ? `exchange ${name} (${type}) declared` : `exchange ${name} already exists with these settings`);
    }
    case 'delete': {
      if (!name) throw new UsageError('usage: quorumq exchange delete NAME [--force]');
      const r = await pool.call<{ index: number; bindingsRemoved: number }>('DeleteExchange', { name, force: flags.force === true });
      return out.print(out.json ? JSON.stringify({ name, deleted: true, bindingsRemoved: r.bindingsRemoved, index: r.index }) : `exchange ${name} deleted${r.bindingsRemoved ? ` with ${r.bindingsRemoved} bindings` : ''}`);
    }
    case 'list': {
      const r = await pool.call<{ exchanges: ExchangeInfoResponse__Output[] }>('ListExchanges', { consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(r.exchanges));
      return out.print(table(['NAME', 'TYPE', 'BINDINGS', 'PUBLISHED', 'ROUTED', 'UNROUTABLE', 'ALTERNATE'], r.exchanges.map((e) => [e.name || '(default)', typeName(e.type), e.bindings.length, e.published, e.routed, e.unroutable, e.alternateExchange || '-'])));
    }
    case 'info': {
      if (name === undefined) throw new UsageError('usage: quorumq exchange info NAME');
      const e = await pool.call<ExchangeInfoResponse__Output>('ExchangeInfo', { name, consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(strip(e), null, 2));
      out.print(`exchange ${e.name || '(default)'} (${typeName(e.type)}): published ${e.published}, routed ${e.routed}, unroutable ${e.unroutable}; alternate exchange ${e.alternateExchange || 'none'}`);
      if (e.bindings.length) out.print(table(['TARGET', 'KIND', 'KEY', 'ARGUMENTS', 'MATCHED'], e.bindings.map((b) => [b.target, String(b.targetKind).replace('TARGET_', '').toLowerCase(), b.routingKey, b.arguments.map((a) => `${a.key}=${a.value}`).join(',') || '-', b.matched])));
      return out.print(`(served by node ${e.servedBy})`);
    }
    default:
      throw new UsageError(`unknown exchange command "${sub ?? ''}": use declare, delete, list or info`);
  }
}

function typeName(t: unknown): string {
  return String(t).replace('EXCHANGE_', '').toLowerCase();
}

function argsOf(flags: Flags): { key: string; value: string }[] {
  return ((flags.arg as string[] | undefined) ?? []).map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg must be key=value, got "${a}"`);
    return { key: a.slice(0, eq), value: a.slice(eq + 1) };
  });
}

/** quorumq bind|unbind EXCHANGE (--queue Q | --stream S | --exchange X) [--key K] [--arg k=v]... */
export async function bindCommand(pool: BrokerPool, unbind: boolean, args: string[], flags: Flags, out: Out): Promise<void> {
  const [exchange] = args;
  const targets = (['queue', 'stream', 'exchange'] as const).filter((k) => str(flags, k) !== undefined);
  if (!exchange || targets.length !== 1) throw new UsageError(`usage: quorumq ${unbind ? 'unbind' : 'bind'} EXCHANGE (--queue Q | --stream S | --exchange X) [--key K] [--arg k=v]...`);
  const kind = targets[0]!;
  const req = { exchange, targetKind: `TARGET_${kind.toUpperCase()}`, target: str(flags, kind)!, routingKey: str(flags, 'key') ?? '', arguments: argsOf(flags) };
  const r = await pool.call<{ created?: boolean; index: number }>(unbind ? 'Unbind' : 'Bind', req);
  const what = `${kind} ${req.target} ${unbind ? 'from' : 'to'} exchange ${exchange}${req.routingKey ? ` with key "${req.routingKey}"` : ''}`;
  if (out.json) return out.print(JSON.stringify({ exchange, kind, target: req.target, key: req.routingKey, ...(unbind ? { unbound: true } : { created: r.created }), index: r.index }));
  return out.print(unbind ? `unbound ${what}` : r.created ? `bound ${what}` : `already bound: ${what}`);
}

/** quorumq publish --exchange X --key K [MESSAGE...] [--mandatory]: one atomic routed publish (messages as arguments or stdin lines). */
export async function exchangePublishCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out, messageOptions: Record<string, unknown>): Promise<void> {
  const exchange = str(flags, 'exchange') ?? '';
  let bodies = args;
  if (bodies.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('usage: quorumq publish --exchange X --key K [MESSAGE...] [--mandatory] [--header k=v]... [--producer ID [--seq N]] (or messages as stdin lines)');
    bodies = [];
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) bodies.push(line);
  }
  if (bodies.length === 0) throw new UsageError('quorumq publish --exchange: no messages (arguments or stdin lines)');
  const producerId = str(flags, 'producer') ?? '';
  const r = await pool.call<ExchangePublishResponse__Output>('PublishToExchange', {
    exchange,
    routingKey: str(flags, 'key') ?? '',
    mandatory: flags.mandatory === true,
    producerId,
    sequence: producerId ? count('--seq', str(flags, 'seq'), 1) : 0,
    messages: bodies.map((b) => ({ ...messageOptions, body: Buffer.from(b) })),
  });
  if (out.json) return out.print(JSON.stringify({ exchange, key: str(flags, 'key') ?? '', queues: r.queues, streams: r.streams, unroutable: r.unroutable, duplicate: r.duplicate, index: r.index, leader: r.leader }));
  const to = [...r.queues.map((q) => `queue ${q}`), ...r.streams.map((s) => `stream ${s}`)];
  out.print(`published ${bodies.length} message${bodies.length === 1 ? '' : 's'} through exchange ${exchange || '(default)'}${r.duplicate ? ' (duplicate: applied before)' : to.length ? ` to ${to.join(', ')}` : ''}${r.unroutable ? `; ${r.unroutable} routed nowhere` : ''}`);
}

type JsonMessage = string | { body: string; headers?: Record<string, string> };
const toMessages = (ms: unknown, at: string): { body: Buffer; headers: { key: string; value: string }[] }[] => {
  if (!Array.isArray(ms) || ms.length === 0) throw new UsageError(`${at}: "messages" must be a non-empty array of strings or {body, headers}`);
  return (ms as JsonMessage[]).map((m) => (typeof m === 'string' ? { body: Buffer.from(m), headers: [] } : { body: Buffer.from(String(m.body)), headers: Object.entries(m.headers ?? {}).map(([key, value]) => ({ key, value: String(value) })) }));
};

/**
 * One operation of `quorumq tx` input (a JSON array, or one JSON object per line):
 *   {"exchange": X, "key": K, "mandatory": true, "messages": [...]}
 *   {"queue": Q, "messages": [...]}        {"stream": S, "messages": [...]}
 *   {"settle": Q, "consumer": C, "ack": [tags], "requeue": [...], "reject": [...]}
 */
export function txOp(o: Record<string, unknown>, at: string): TransactOp {
  if (typeof o.settle === 'string') return { kind: 'TX_SETTLE', queue: o.settle, consumer: String(o.consumer ?? ''), ack: (o.ack as number[]) ?? [], requeue: (o.requeue as number[]) ?? [], reject: (o.reject as number[]) ?? [] };
  if (typeof o.exchange === 'string') return { kind: 'TX_PUBLISH_EXCHANGE', exchange: o.exchange, routingKey: String(o.key ?? ''), mandatory: o.mandatory === true, messages: toMessages(o.messages, at) };
  if (typeof o.queue === 'string') return { kind: 'TX_PUBLISH_QUEUE', queue: o.queue, messages: toMessages(o.messages, at) };
  if (typeof o.stream === 'string') return { kind: 'TX_APPEND_STREAM', stream: o.stream, messages: toMessages(o.messages, at) };
  throw new UsageError(`${at}: an operation names "exchange", "queue", "stream" or "settle"`);
}

export function parseTx(text: string): TransactOp[] {
  const t = text.trim();
  let items: unknown[];
  try {
    items = t.startsWith('[') ? (JSON.parse(t) as unknown[]) : t.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch (e) {
    throw new UsageError(`tx: the operations are not JSON (an array, or one object per line): ${(e as Error).message}`);
  }
  return items.map((o, i) => txOp(o as Record<string, unknown>, `operation ${i}`));
}

/** quorumq tx [FILE|-] [--producer ID [--seq N]]: the operations applied all or none. */
export async function txCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [file] = args;
  if (!file && process.stdin.isTTY) throw new UsageError('usage: quorumq tx [FILE|-] [--producer ID [--seq N]]  (operations as JSON; see quorumq help)');
  const ops = parseTx(readFileSync(!file || file === '-' ? 0 : file, 'utf8'));
  const producerId = str(flags, 'producer') ?? '';
  const r = await pool.call<TransactResponse__Output>('Transact', { ops, producerId, sequence: producerId ? count('--seq', str(flags, 'seq'), 1) : 0 });
  if (out.json) return out.print(JSON.stringify({ results: r.results, duplicate: r.duplicate, index: r.index, leader: r.leader }));
  if (r.duplicate) return out.print('transaction applied before (duplicate): nothing applied again');
  out.print(`transaction of ${ops.length} operations applied at index ${r.index}`);
  r.results.forEach((x, i) => out.print(`  ${i}: ${x.settled ? `settled ${x.settled}` : [...x.queues.map((q) => `queue ${q}`), ...x.streams.map((s) => `stream ${s}`)].join(', ') || 'nowhere'}${x.unroutable ? ` (${x.unroutable} unroutable)` : ''}`));
}
