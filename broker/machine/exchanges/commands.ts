// Exchange commands as the exchanges machine encodes them (after the machine
// id byte of envelope.ts). A 'write' carries the messages of every operation
// in it; message `slot`s number them across the whole command, in order, and
// a queue or stream that stores one records (index, part, slot): the body
// stays here, in the log (see carriedMessages).

import { DecodeError, Reader, Writer } from '../bytes.js';
import { encodedBytesBound } from '../message-bytes.js';
import type { QueueMessage, SettleOutcome } from '../message.js';

export type { QueueMessage, SettleOutcome } from '../message.js';

export const EXCHANGES_MACHINE_ID = 4;

export const EXCHANGE_TYPES = ['direct', 'topic', 'fanout', 'headers'] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];
export const TARGET_KINDS = ['queue', 'stream', 'exchange'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
const OUTCOMES: readonly SettleOutcome[] = ['ack', 'requeue', 'reject'];

/** Messages from exchange `source` whose key (and headers) match go to `target`. */
export interface Binding {
  readonly source: string;
  readonly kind: TargetKind;
  readonly target: string;
  readonly key: string;
  /** The headers exchange's arguments (x-match and the headers to compare); others keep them for the record. */
  readonly args: ReadonlyArray<readonly [string, string]>;
}

/** One operation of an atomic write. */
export type WriteOp =
  /** Route each message through `exchange` ('' is the default exchange) by `key` and its headers. */
  | { readonly op: 'route'; readonly exchange: string; readonly key: string; readonly mandatory: boolean; readonly messages: readonly QueueMessage[] }
  | { readonly op: 'queue'; readonly queue: string; readonly messages: readonly QueueMessage[] }
  | { readonly op: 'stream'; readonly stream: string; readonly messages: readonly QueueMessage[] }
  /** Settle deliveries `tags` that `consumer` of `queue` holds. */
  | { readonly op: 'settle'; readonly queue: string; readonly consumer: string; readonly outcome: SettleOutcome; readonly tags: readonly number[] };

export type ExchangeCommand =
  | { readonly op: 'declare'; readonly name: string; readonly type: ExchangeType; readonly alternate: string }
  | { readonly op: 'delete'; readonly name: string; readonly force: boolean }
  | { readonly op: 'bind'; readonly binding: Binding }
  | { readonly op: 'unbind'; readonly binding: Binding }
  /**
   * Every operation applied, or none. With a producer (not empty), each
   * sequence is applied once: a retry answers as the first try did.
   */
  | { readonly op: 'write'; readonly producer: string; readonly seq: number; readonly ops: readonly WriteOp[] };

const OP = { declare: 1, delete: 2, bind: 3, unbind: 4, write: 5 } as const;
const WOP = { route: 1, queue: 2, stream: 3, settle: 4 } as const;

export function writeMessage(w: Writer, m: QueueMessage): void {
  w.u8(m.priority).u53(m.ttlMs).u53(m.delayMs).str(m.id).str(m.group).u32(m.headers.length);
  for (const [k, v] of m.headers) w.str(k).str(v);
  w.bytes(m.body);
}

export function readMessage(r: Reader): QueueMessage {
  const priority = r.u8();
  const ttlMs = r.u53();
  const delayMs = r.u53();
  const id = r.str();
  const group = r.str();
  const h = r.u32();
  const headers: [string, string][] = new Array(h);
  for (let j = 0; j < h; j++) headers[j] = [r.str(), r.str()];
  return { priority, ttlMs, delayMs, id, group, headers, body: r.bytes() };
}

function writeMessages(w: Writer, ms: readonly QueueMessage[]): void {
  w.u32(ms.length);
  for (const m of ms) writeMessage(w, m);
}

function readMessages(r: Reader): QueueMessage[] {
  const n = r.u32();
  const out: QueueMessage[] = [];
  for (let i = 0; i < n; i++) out.push(readMessage(r));
  return out;
}

export function writeBinding(w: Writer, b: Binding): Writer {
  w.str(b.source).u8(TARGET_KINDS.indexOf(b.kind)).str(b.target).str(b.key).u32(b.args.length);
  for (const [k, v] of b.args) w.str(k).str(v);
  return w;
}

export function readBinding(r: Reader): Binding {
  const source = r.str();
  const kind = TARGET_KINDS[r.u8()];
  if (!kind) throw new DecodeError('unknown binding target kind');
  const target = r.str();
  const key = r.str();
  const n = r.u32();
  const args: [string, string][] = [];
  for (let i = 0; i < n; i++) args.push([r.str(), r.str()]);
  return { source, kind, target, key, args };
}

/** Every message of an operation list, in slot order. */
export function opMessages(ops: readonly WriteOp[]): QueueMessage[] {
  const out: QueueMessage[] = [];
  for (const o of ops) if (o.op !== 'settle') for (const m of o.messages) out.push(m);
  return out;
}

export function encodeExchangeCommand(c: ExchangeCommand): Uint8Array {
  let size = 256;
  if (c.op === 'write') {
    const ms = opMessages(c.ops);
    let strings = c.producer.length;
    for (const m of ms) strings += m.id.length + m.group.length;
    for (const o of c.ops) strings += o.op === 'route' ? o.exchange.length + o.key.length : o.op === 'queue' ? o.queue.length : o.op === 'stream' ? o.stream.length : o.queue.length + o.consumer.length + 8 * o.tags.length;
    size = encodedBytesBound(ms, 40, strings) + 16 * c.ops.length;
  }
  const w = new Writer(size).u8(OP[c.op]);
  switch (c.op) {
    case 'declare':
      return w.str(c.name).u8(EXCHANGE_TYPES.indexOf(c.type)).str(c.alternate).finish();
    case 'delete':
      return w.str(c.name).u8(c.force ? 1 : 0).finish();
    case 'bind':
    case 'unbind':
      return writeBinding(w, c.binding).finish();
    case 'write':
      w.str(c.producer).u53(c.seq).u32(c.ops.length);
      for (const o of c.ops) {
        w.u8(WOP[o.op]);
        switch (o.op) {
          case 'route':
            w.str(o.exchange).str(o.key).u8(o.mandatory ? 1 : 0);
            writeMessages(w, o.messages);
            break;
          case 'queue':
            writeMessages(w.str(o.queue), o.messages);
            break;
          case 'stream':
            writeMessages(w.str(o.stream), o.messages);
            break;
          case 'settle':
            w.str(o.queue).str(o.consumer).u8(OUTCOMES.indexOf(o.outcome)).u32(o.tags.length);
            for (const t of o.tags) w.u53(t);
            break;
        }
      }
      return w.finish();
  }
}

export function decodeExchangeCommand(data: Uint8Array): ExchangeCommand {
  const r = new Reader(data);
  const op = r.u8();
  let c: ExchangeCommand;
  switch (op) {
    case OP.declare: {
      const name = r.str();
      const type = EXCHANGE_TYPES[r.u8()];
      if (!type) throw new DecodeError('unknown exchange type');
      c = { op: 'declare', name, type, alternate: r.str() };
      break;
    }
    case OP.delete:
      c = { op: 'delete', name: r.str(), force: r.u8() === 1 };
      break;
    case OP.bind:
      c = { op: 'bind', binding: readBinding(r) };
      break;
    case OP.unbind:
      c = { op: 'unbind', binding: readBinding(r) };
      break;
    case OP.write: {
      const producer = r.str();
      const seq = r.u53();
      const n = r.u32();
      const ops: WriteOp[] = [];
      for (let i = 0; i < n; i++) {
        const k = r.u8();
        if (k === WOP.route) ops.push({ op: 'route', exchange: r.str(), key: r.str(), mandatory: r.u8() === 1, messages: readMessages(r) });
        else if (k === WOP.queue) ops.push({ op: 'queue', queue: r.str(), messages: readMessages(r) });
        else if (k === WOP.stream) ops.push({ op: 'stream', stream: r.str(), messages: readMessages(r) });
        else if (k === WOP.settle) {
          const queue = r.str();
          const consumer = r.str();
          const outcome = OUTCOMES[r.u8()];
          if (!outcome) throw new DecodeError('unknown settle outcome');
          const nt = r.u32();
          const tags: number[] = [];
          for (let j = 0; j < nt; j++) tags.push(r.u53());
          ops.push({ op: 'settle', queue, consumer, outcome, tags });
        } else throw new DecodeError(`unknown write operation ${k}`);
      }
      c = { op: 'write', producer, seq, ops };
      break;
    }
    default:
      throw new DecodeError(`unknown exchange operation ${op}`);
  }
  r.end();
  return c;
}

/**
 * The messages of a write, in slot order, as a consumer receives them: a
 * routed one carries its routing key in an `x-routing-key` header. Decoded
 * once for all of them (readers index into it).
 */
export function writtenMessagesWithKeys(payload: Uint8Array): QueueMessage[] {
  const c = decodeExchangeCommand(payload);
  if (c.op !== 'write') throw new DecodeError(`the command is an exchange ${c.op}, not a write`);
  const out: QueueMessage[] = [];
  for (const o of c.ops) {
    if (o.op === 'settle') continue;
    for (const m of o.messages) out.push(o.op === 'route' ? { ...m, headers: [...m.headers, ['x-routing-key', o.key]] } : m);
  }
  return out;
}

/** The messages a write command (its payload after the machine byte) carries, in slot order. */
export function writtenMessages(payload: Uint8Array): QueueMessage[] {
  const c = decodeExchangeCommand(payload);
  if (c.op !== 'write') throw new DecodeError(`the command is an exchange ${c.op}, not a write`);
  return opMessages(c.ops);
}
