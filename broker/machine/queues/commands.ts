// Queue commands as the queues machine encodes them (after the machine id
// byte of envelope.ts), and published messages as they sit in a publish.

import { DecodeError, Reader, Writer } from '../bytes.js';
import { entryCommand } from '../envelope.js';
import { EXCHANGES_MACHINE_ID, writtenMessagesWithKeys } from '../exchanges/commands.js';
import { encodedBytesBound } from '../message-bytes.js';
import type { QueueMessage, SettleOutcome } from '../message.js';
import type { QueueConfig } from './config.js';
import { readQueueConfig, writeQueueConfig } from './config.js';

export const QUEUES_MACHINE_ID = 3;

export type { QueueMessage, SettleOutcome } from '../message.js';
const OUTCOMES: readonly SettleOutcome[] = ['ack', 'requeue', 'reject'];

export type QueueCommand =
  | { readonly op: 'declare'; readonly name: string; readonly config: QueueConfig }
  | { readonly op: 'delete'; readonly name: string }
  | { readonly op: 'purge'; readonly name: string }
  /** With a producer (not empty), each sequence is stored once: a retry answers what the first try got. */
  | { readonly op: 'publish'; readonly queue: string; readonly producer: string; readonly seq: number; readonly messages: readonly QueueMessage[] }
  /** A consumer attached to `node` takes deliveries while it has fewer than `prefetch` unsettled; higher `priority` first (0-255). */
  | { readonly op: 'subscribe'; readonly queue: string; readonly consumer: string; readonly node: number; readonly prefetch: number; readonly priority: number }
  /**
   * A Get (the pull form) by pull consumer `consumer` on `node` (created on
   * first use): up to `max` deliveries, waiting up to `waitMs`; `request`
   * names this Get (a retry of it grants nothing twice). Between Gets the
   * consumer keeps its deliveries for `leaseMs` after its last Get or settle.
   * `maxBytes` (0: none): the grant ends once the message bytes given reach
   * it, so the Get's answer fits a client's receive limit.
   */
  | { readonly op: 'pull'; readonly queue: string; readonly consumer: string; readonly node: number; readonly max: number; readonly waitMs: number; readonly leaseMs: number; readonly request: number; readonly priority: number; readonly maxBytes: number }
  | { readonly op: 'prefetch'; readonly queue: string; readonly consumer: string; readonly prefetch: number }
  /** `delayMs` applies to 'requeue': redelivered no sooner than that. */
  | { readonly op: 'settle'; readonly queue: string; readonly consumer: string; readonly outcome: SettleOutcome; readonly delayMs: number; readonly tags: readonly number[] }
  | { readonly op: 'cancel'; readonly queue: string; readonly consumer: string }
  /** Every consumer attached to `node` is gone (the node left or restarted): their deliveries return. */
  | { readonly op: 'node-down'; readonly node: number }
  /**
   * A schedule: the template `message` (kept in this command's log entry) is
   * published to the queue at `firstAt` (leader time; 0: one interval after
   * this applies) and every `everyMs` after, once per due time. With `cron`
   * (everyMs 0) the due times are the expression's, in UTC (see cron.ts): the
   * first at or after `firstAt`, or after this applies.
   */
  | { readonly op: 'schedule-add'; readonly queue: string; readonly name: string; readonly everyMs: number; readonly firstAt: number; readonly message: QueueMessage; readonly cron?: string }
  | { readonly op: 'schedule-remove'; readonly queue: string; readonly name: string }
  | { readonly op: 'dlq-replay'; readonly queue: string; readonly max: number }
  | { readonly op: 'dlq-purge'; readonly queue: string };

const OP = { declare: 1, delete: 2, purge: 3, publish: 4, subscribe: 5, prefetch: 6, settle: 7, cancel: 8, 'node-down': 9, 'dlq-replay': 10, 'dlq-purge': 11, pull: 12, 'schedule-add': 13, 'schedule-remove': 14 } as const;

export { messageBytes } from '../message-bytes.js';

/** The message ids and groups of a publish, as the writer may need them (see encodedBytesBound). */
function idBytes(ms: readonly QueueMessage[]): number {
  let n = 0;
  for (const m of ms) n += 3 * (m.id.length + m.group.length);
  return n;
}

function writeMessage(w: Writer, m: QueueMessage): void {
  w.u8(m.priority).u53(m.ttlMs).u53(m.delayMs).str(m.id).str(m.group).u32(m.headers.length);
  for (const [k, v] of m.headers) w.str(k).str(v);
  w.bytes(m.body);
}

function readMessage(r: Reader): QueueMessage {
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

/** `machineId`: write it first (the whole command, see Machine.encodeCommandWithId). */
export function encodeQueueCommand(c: QueueCommand, machineId?: number): Uint8Array {
  const w = new Writer(c.op === 'publish' ? encodedBytesBound(c.messages, 40, c.queue.length + c.producer.length) + idBytes(c.messages) : 64);
  if (machineId !== undefined) w.u8(machineId);
  w.u8(OP[c.op]);
  switch (c.op) {
    case 'declare':
      return writeQueueConfig(w.str(c.name), c.config).finish();
    case 'delete':
    case 'purge':
      return w.str(c.name).finish();
    case 'publish':
      w.str(c.queue).str(c.producer).u53(c.seq).u32(c.messages.length);
      for (const m of c.messages) writeMessage(w, m);
      return w.finish();
    case 'subscribe':
      return w.str(c.queue).str(c.consumer).u32(c.node).u32(c.prefetch).u8(c.priority).finish();
    case 'prefetch':
      return w.str(c.queue).str(c.consumer).u32(c.prefetch).finish();
    case 'pull':
      return w.str(c.queue).str(c.consumer).u32(c.node).u32(c.max).u53(c.waitMs).u53(c.leaseMs).u53(c.request).u8(c.priority).u53(c.maxBytes).finish();
    case 'settle':
      w.str(c.queue).str(c.consumer).u8(OUTCOMES.indexOf(c.outcome)).u53(c.delayMs).u32(c.tags.length);
      for (const t of c.tags) w.u53(t);
      return w.finish();
    case 'cancel':
      return w.str(c.queue).str(c.consumer).finish();
    case 'node-down':
      return w.u32(c.node).finish();
    case 'dlq-replay':
      return w.str(c.queue).u32(c.max).finish();
    case 'dlq-purge':
      return w.str(c.queue).finish();
    case 'schedule-add':
      w.str(c.queue).str(c.name).u53(c.everyMs).u53(c.firstAt);
      writeMessage(w, c.message);
      // Last, and only when set: entries written before cron existed read the same.
      if (c.cron) w.str(c.cron);
      return w.finish();
    case 'schedule-remove':
      return w.str(c.queue).str(c.name).finish();
  }
}

export function decodeQueueCommand(data: Uint8Array): QueueCommand {
  const r = new Reader(data);
  const op = r.u8();
  let c: QueueCommand;
  switch (op) {
    case OP.declare: {
      const name = r.str();
      c = { op: 'declare', name, config: readQueueConfig(r, 'when-present') };
      break;
    }
    case OP.delete:
      c = { op: 'delete', name: r.str() };
      break;
    case OP.purge:
      c = { op: 'purge', name: r.str() };
      break;
    case OP.publish: {
      const queue = r.str();
      const producer = r.str();
      const seq = r.u53();
      const n = r.u32();
      const messages: QueueMessage[] = [];
      for (let i = 0; i < n; i++) messages.push(readMessage(r));
      c = { op: 'publish', queue, producer, seq, messages };
      break;
    }
    case OP.subscribe:
      // The priority came later: a subscribe written before it has none (0).
      c = { op: 'subscribe', queue: r.str(), consumer: r.str(), node: r.u32(), prefetch: r.u32(), priority: 0 };
      if (!r.done) c = { ...c, priority: r.u8() };
      break;
    case OP.prefetch:
      c = { op: 'prefetch', queue: r.str(), consumer: r.str(), prefetch: r.u32() };
      break;
    case OP.pull:
      // The byte budget came later: a pull written before it has none (0).
      c = { op: 'pull', queue: r.str(), consumer: r.str(), node: r.u32(), max: r.u32(), waitMs: r.u53(), leaseMs: r.u53(), request: r.u53(), priority: r.u8(), maxBytes: 0 };
      if (!r.done) c = { ...c, maxBytes: r.u53() };
      break;
    case OP.settle: {
      const queue = r.str();
      const consumer = r.str();
      const outcome = OUTCOMES[r.u8()];
      if (!outcome) throw new DecodeError('unknown settle outcome');
      const delayMs = r.u53();
      const n = r.u32();
      const tags: number[] = [];
      for (let i = 0; i < n; i++) tags.push(r.u53());
      c = { op: 'settle', queue, consumer, outcome, delayMs, tags };
      break;
    }
    case OP.cancel:
      c = { op: 'cancel', queue: r.str(), consumer: r.str() };
      break;
    case OP['node-down']:
      c = { op: 'node-down', node: r.u32() };
      break;
    case OP['dlq-replay']:
      c = { op: 'dlq-replay', queue: r.str(), max: r.u32() };
      break;
    case OP['dlq-purge']:
      c = { op: 'dlq-purge', queue: r.str() };
      break;
    case OP['schedule-add']:
      c = { op: 'schedule-add', queue: r.str(), name: r.str(), everyMs: r.u53(), firstAt: r.u53(), message: readMessage(r) };
      if (!r.done) c = { ...c, cron: r.str() };
      break;
    case OP['schedule-remove']:
      c = { op: 'schedule-remove', queue: r.str(), name: r.str() };
      break;
    default:
      throw new DecodeError(`unknown queue operation ${op}`);
  }
  r.end();
  return c;
}

/**
 * The message at `slot` of the publish at position `part` of a Raft entry
 * (how a node reads a delivery's body from its own log), or the template of
 * the schedule added there (slot 0), which every message it publishes shares,
 * or a message of an exchange write (a routed publish or a transaction).
 */
export function publishedMessageIn(entryData: Uint8Array, part: number, slot: number): QueueMessage {
  return publishedMessagesIn(entryData, part)(slot);
}

/**
 * The messages of command `part` of an entry, decoded once, by slot. A
 * consumer's deliveries often come from one publish of hundreds of messages:
 * decoding the whole command for each of them cost O(n²) (an SDK-batched
 * queue was consumed at ~2 400 msg/s against ~19 000 for one message per
 * publish), so readers take the command's messages once and index them.
 */
export function publishedMessagesIn(entryData: Uint8Array, part: number): (slot: number) => QueueMessage {
  const cmd = entryCommand(entryData, part);
  if (cmd[0] === EXCHANGES_MACHINE_ID) {
    // A routed publish or a transaction: slots number the messages across the whole write.
    const ms = writtenMessagesWithKeys(cmd.subarray(1));
    return (slot) => {
      const m = ms[slot];
      if (!m) throw new DecodeError(`the exchange write holds no message at ${slot}`);
      return m;
    };
  }
  if (cmd[0] !== QUEUES_MACHINE_ID) throw new DecodeError(`command ${part} of the entry is for machine ${cmd[0]}, not queues`);
  const c = decodeQueueCommand(cmd.subarray(1));
  if (c.op === 'schedule-add') {
    return (slot) => {
      if (slot !== 0) throw new DecodeError(`a schedule holds one message, not one at ${slot}`);
      return c.message;
    };
  }
  if (c.op !== 'publish') throw new DecodeError(`command ${part} of the entry is a queue ${c.op}, not a publish`);
  return (slot) => {
    const m = c.messages[slot];
    if (!m) throw new DecodeError(`the publish holds ${c.messages.length} messages, not one at ${slot}`);
    return m;
  };
}
