// Appends to one stream that arrive in one event-loop turn (the pipelined
// requests of an AppendStream call, concurrent unary Appends) become one Raft
// entry: one entry can carry many messages for one stream, and the machine
// gives an entry contiguous offsets, so each request's share is known from the
// entry's first offset and the counts before it. Per Raft entry the cluster
// pays a proposal, a log key and its checksum, an AppendEntries entry on every
// peer link, a decode and an apply on every node — paid once instead of once
// per request.
//
// Works on encoded commands, without decoding the messages (layout in
// broker/machine/streams/commands.ts: version, machine, op, stream (u32 length
// + bytes), producer (u32 length + bytes), seq (8), time (8), message count
// (u32), messages). Only appends without a producer id are merged (an
// idempotent producer's sequence numbers are per request), and only while the
// merged batch stays within the per-request limits and cannot be refused or
// trimmed where its parts would not have been: streams with the reject
// discard policy are never merged, and with a message or byte limit a merged
// batch stays within it.

import type { CommandResult } from '../machine/commands.js';
import { MAX_BATCH_BYTES, MAX_BATCH_MESSAGES } from '../machine/streams/config.js';
import type { StreamConfig } from '../machine/streams/config.js';

const VERSION = 1;
const STREAMS_MACHINE = 2;
const OP_APPEND = 3;

export interface ParsedAppend {
  /** The stream name's bytes, as a latin1 string (a map key). */
  readonly key: string;
  readonly stream: Uint8Array;
  readonly count: number;
  /** Where the messages start (after the count). */
  readonly messagesAt: number;
}

/** An encoded append without a producer id, or undefined for anything else. */
export function parseMergeable(cmd: Uint8Array): ParsedAppend | undefined {
  if (cmd.byteLength < 3 || cmd[0] !== VERSION || cmd[1] !== STREAMS_MACHINE || cmd[2] !== OP_APPEND) return undefined;
  const v = new DataView(cmd.buffer, cmd.byteOffset, cmd.byteLength);
  let o = 3;
  if (o + 4 > cmd.byteLength) return undefined;
  const sl = v.getUint32(o);
  o += 4;
  if (o + sl + 4 > cmd.byteLength) return undefined;
  const stream = cmd.subarray(o, o + sl);
  o += sl;
  if (v.getUint32(o) !== 0) return undefined; // an idempotent producer: never merged
  o += 4 + 8 + 8;
  if (o + 4 > cmd.byteLength) return undefined;
  const count = v.getUint32(o);
  o += 4;
  let key = '';
  for (let i = 0; i < stream.length; i++) key += String.fromCharCode(stream[i]!);
  return { key, stream, count, messagesAt: o };
}

/**
 * A merged entry stays under this many bytes: merging pays off for many small
 * appends, and larger entries only lengthen each write and AppendEntries (a
 * turn's 32 pipelined 256 KiB appends would otherwise make one 8 MiB entry).
 */
export const MERGE_MAX_BYTES = 1 << 20;

/** Whether appends to a stream with this config may be merged, and the merged batch's limits. */
export function mergeLimits(config: StreamConfig | undefined): { messages: number; bytes: number } | undefined {
  if (!config || config.discard === 'reject') return undefined;
  return {
    messages: config.maxMessages > 0 ? Math.min(MAX_BATCH_MESSAGES, config.maxMessages) : MAX_BATCH_MESSAGES,
    // Encoded bytes (with length prefixes) overstate the stream's count of message bytes: a safe bound.
    bytes: Math.min(MERGE_MAX_BYTES, MAX_BATCH_BYTES, config.maxBytes > 0 ? config.maxBytes : MAX_BATCH_BYTES),
  };
}

/** One append command holding every part's messages, in order (time 0: the leader stamps it). */
export function mergeAppends(parts: ReadonlyArray<{ cmd: Uint8Array; parsed: ParsedAppend }>): Uint8Array {
  const first = parts[0]!.parsed;
  const head = 3 + 4 + first.stream.length + 4 + 8 + 8 + 4;
  let size = head;
  let count = 0;
  for (const p of parts) {
    size += p.cmd.byteLength - p.parsed.messagesAt;
    count += p.parsed.count;
  }
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = VERSION;
  out[1] = STREAMS_MACHINE;
  out[2] = OP_APPEND;
  v.setUint32(3, first.stream.length);
  out.set(first.stream, 7);
  let o = 7 + first.stream.length;
  v.setUint32(o, 0); // producer: none
  o += 4;
  v.setFloat64(o, 0); // seq
  o += 8;
  v.setFloat64(o, 0); // time
  o += 8;
  v.setUint32(o, count);
  o += 4;
  for (const p of parts) {
    out.set(p.cmd.subarray(p.parsed.messagesAt), o);
    o += p.cmd.byteLength - p.parsed.messagesAt;
  }
  return out;
}

/** Each part's share of a merged append's result: its own offsets and count; errors go to every part. */
export function splitResult(r: CommandResult, counts: readonly number[]): CommandResult[] {
  if (!r.ok || !r.stream || r.stream.kind !== 'appended') return counts.map(() => r);
  const s = r.stream;
  let at = s.firstOffset;
  return counts.map((count) => {
    const part: CommandResult = { ok: true, index: r.index, stream: { ...s, firstOffset: at, count } };
    at += count;
    return part;
  });
}

/** Encoded size of a part's messages (what it adds to a merged command). */
export function partBytes(cmd: Uint8Array, parsed: ParsedAppend): number {
  return cmd.byteLength - parsed.messagesAt;
}
