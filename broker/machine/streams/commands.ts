// Stream commands as the streams machine encodes them (after the machine id
// byte of envelope.ts), and stream messages as they sit inside an append.

import { DecodeError, Reader, Writer } from '../bytes.js';
import { entryCommand } from '../envelope.js';
import { EXCHANGES_MACHINE_ID, writtenMessages } from '../exchanges/commands.js';
import { encodedBytesBound } from '../message-bytes.js';
import type { DiscardPolicy, StreamConfig } from './config.js';

export const STREAMS_MACHINE_ID = 2;
const OP = { declare: 1, delete: 2, append: 3, commitOffset: 4 } as const;

export interface StreamMessage {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

export type StreamCommand =
  | { readonly op: 'declare'; readonly name: string; readonly config: StreamConfig }
  | { readonly op: 'delete'; readonly name: string }
  | {
      readonly op: 'append';
      readonly stream: string;
      /** Empty when the producer is not idempotent. */
      readonly producer: string;
      readonly seq: number;
      readonly messages: readonly StreamMessage[];
    }
  | { readonly op: 'commit-offset'; readonly stream: string; readonly consumer: string; readonly offset: number };

export { messageBytes } from '../message-bytes.js';

/** A stream's settings in binary: shared by the declare command and the machine's snapshot. */
export function writeStreamConfig(w: Writer, c: StreamConfig): Writer {
  return w.u53(c.maxAgeMs).u53(c.maxBytes).u53(c.maxMessages).u53(c.maxMessageBytes).u53(c.dedupWindowMs).u8(c.discard === 'reject' ? 1 : 0);
}

export function readStreamConfig(r: Reader): StreamConfig {
  return {
    maxAgeMs: r.u53(),
    maxBytes: r.u53(),
    maxMessages: r.u53(),
    maxMessageBytes: r.u53(),
    dedupWindowMs: r.u53(),
    discard: (r.u8() === 1 ? 'reject' : 'old') as DiscardPolicy,
  };
}

function writeMessages(w: Writer, ms: readonly StreamMessage[]): void {
  w.u32(ms.length);
  for (const m of ms) {
    w.u32(m.headers.length);
    for (const [k, v] of m.headers) w.str(k).str(v);
    w.bytes(m.body);
  }
}

function readMessages(r: Reader): StreamMessage[] {
  const n = r.u32();
  const out: StreamMessage[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const h = r.u32();
    const headers: [string, string][] = new Array(h);
    for (let j = 0; j < h; j++) headers[j] = [r.str(), r.str()];
    out[i] = { headers, body: r.bytes() };
  }
  return out;
}

/** `machineId`: write it first (the whole command, see Machine.encodeCommandWithId). */
export function encodeStreamCommand(c: StreamCommand, machineId?: number): Uint8Array {
  const w = new Writer(c.op === 'append' ? encodedBytesBound(c.messages, 8, c.stream.length + c.producer.length) : 64);
  if (machineId !== undefined) w.u8(machineId);
  switch (c.op) {
    case 'declare':
      return writeStreamConfig(w.u8(OP.declare).str(c.name), c.config).finish();
    case 'delete':
      return w.u8(OP.delete).str(c.name).finish();
    case 'append':
      w.u8(OP.append).str(c.stream).str(c.producer).u53(c.seq);
      writeMessages(w, c.messages);
      return w.finish();
    case 'commit-offset':
      return w.u8(OP.commitOffset).str(c.stream).str(c.consumer).u53(c.offset).finish();
  }
}

export function decodeStreamCommand(data: Uint8Array): StreamCommand {
  const r = new Reader(data);
  const op = r.u8();
  let c: StreamCommand;
  switch (op) {
    case OP.declare: {
      const name = r.str();
      c = { op: 'declare', name, config: readStreamConfig(r) };
      break;
    }
    case OP.delete:
      c = { op: 'delete', name: r.str() };
      break;
    case OP.append:
      c = { op: 'append', stream: r.str(), producer: r.str(), seq: r.u53(), messages: readMessages(r) };
      break;
    case OP.commitOffset:
      c = { op: 'commit-offset', stream: r.str(), consumer: r.str(), offset: r.u53() };
      break;
    default:
      throw new DecodeError(`unknown stream operation ${op}`);
  }
  r.end();
  return c;
}

/** The messages of an append command (every node decodes them from its own log). */
export function decodeAppendedMessages(payload: Uint8Array): StreamMessage[] {
  const c = decodeStreamCommand(payload);
  if (c.op !== 'append') throw new DecodeError(`the command is a stream ${c.op}, not an append`);
  return c.messages as StreamMessage[];
}

/**
 * The messages of the append at position `part` of a Raft entry's data, or
 * of the exchange write there (a routed publish or a transaction: every
 * message it carries, in slot order; a stream's batch record says from which
 * slot its messages start).
 */
export function appendedMessagesIn(entryData: Uint8Array, part: number): StreamMessage[] {
  const cmd = entryCommand(entryData, part);
  if (cmd[0] === EXCHANGES_MACHINE_ID) return writtenMessages(cmd.subarray(1));
  if (cmd[0] !== STREAMS_MACHINE_ID) throw new DecodeError(`command ${part} of the entry is for machine ${cmd[0]}, not streams`);
  return decodeAppendedMessages(cmd.subarray(1));
}
