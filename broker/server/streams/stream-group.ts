// What every stream call does in one group, whichever group it is: the
// metadata group's streams, or one partition of a partitioned stream (a data
// group: partitioned.ts). Conversions between the proto and the machine,
// request checks, the group's reader and its write path.

import * as grpc from '@grpc/grpc-js';
import type { AppendRequest__Output } from '../../../proto/generated/quorumq/v1/AppendRequest.js';
import type { AppendResponse } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { StreamInfoResponse } from '../../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { StreamMessage as ProtoMessage } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import type { StreamSettings, StreamSettings__Output } from '../../../proto/generated/quorumq/v1/StreamSettings.js';
import type { SubscribeRequest__Output } from '../../../proto/generated/quorumq/v1/SubscribeRequest.js';
import { commandFor } from '../../machine/envelope.js';
import type { StreamConfig } from '../../machine/streams/config.js';
import { DEFAULT_STREAM_CONFIG, MAX_MESSAGE_BYTES_LIMIT, validateName } from '../../machine/streams/config.js';
import type { StreamCommand, StreamMessage } from '../../machine/streams/commands.js';
import type { StreamEffect, StreamInfo, StreamResult } from '../../machine/streams/machine.js';
import { StreamsMachine, validateMessages } from '../../machine/streams/machine.js';
import type { NodeContext, WriteOutcome } from '../node/context.js';
import { enumValue, invalidArgument, uint } from '../rpc/fields.js';
import { StatusError, resultError, withDeadline } from '../rpc/status.js';
import type { ReadRequest__Output } from '../../../proto/generated/quorumq/v1/ReadRequest.js';
import type { ReadMessage } from './stream-reader.js';
import { StreamReader } from './stream-reader.js';

export const READ_DEFAULT_MESSAGES = 100;
export const READ_MAX_MESSAGES = 10_000;
export const READ_DEFAULT_BYTES = 1 << 20;
/** Under gRPC's default 4 MiB receive limit, with room for the response's own framing. */
export const READ_MAX_BYTES = (4 << 20) - (64 << 10);
export const READ_MAX_WAIT_MS = 60_000;
/** Unconfirmed requests per AppendStream call before the server stops reading it. */
export const APPEND_STREAM_WINDOW = 1024;
/** Bytes a subscription sends per response at most (credit permitting). */
export const SUBSCRIBE_BATCH_BYTES = 1 << 20;
export const SUBSCRIBE_BATCH_MESSAGES = 1000;

export const invalid = invalidArgument;

const DISCARD = ['DISCARD_OLD', 'DISCARD_REJECT'] as const;
export const START = ['START_AT_OFFSET', 'START_FIRST', 'START_NEW', 'START_AT_TIMESTAMP', 'START_AT_CONSUMER'] as const;

export function checkName(kind: string, name: string): void {
  const bad = validateName(kind, name);
  if (bad) throw invalid(bad);
}

// ---- conversions ------------------------------------------------------------------

/**
 * A declaration's settings, checked field by field (proto names) before
 * anything is proposed: a stored setting is refused outside its range, never
 * adjusted. 0 picks the default where the proto says so.
 */
export function toConfig(s: StreamSettings__Output | null | undefined): StreamConfig {
  const c: StreamConfig = {
    maxAgeMs: uint('settings.max_age_ms', s?.maxAgeMs),
    maxBytes: uint('settings.max_bytes', s?.maxBytes),
    maxMessages: uint('settings.max_messages', s?.maxMessages),
    maxMessageBytes: uint('settings.max_message_bytes', s?.maxMessageBytes) || DEFAULT_STREAM_CONFIG.maxMessageBytes,
    dedupWindowMs: uint('settings.dedup_window_ms', s?.dedupWindowMs) || DEFAULT_STREAM_CONFIG.dedupWindowMs,
    discard: enumValue('settings.discard', s?.discard, DISCARD) === 'DISCARD_REJECT' ? 'reject' : 'old',
  };
  if (c.maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) throw invalid(`settings.max_message_bytes must be at most ${MAX_MESSAGE_BYTES_LIMIT} (8 MiB), got ${c.maxMessageBytes}`);
  if (c.maxBytes > 0 && c.maxBytes < c.maxMessageBytes) throw invalid(`settings.max_bytes (${c.maxBytes}) must be 0 or at least settings.max_message_bytes (${c.maxMessageBytes})`);
  return c;
}

export function fromConfig(c: StreamConfig): StreamSettings {
  return {
    maxAgeMs: c.maxAgeMs,
    maxBytes: c.maxBytes,
    maxMessages: c.maxMessages,
    maxMessageBytes: c.maxMessageBytes,
    dedupWindowMs: c.dedupWindowMs,
    discard: c.discard === 'reject' ? 'DISCARD_REJECT' : 'DISCARD_OLD',
  };
}

export function infoResponse(ctx: NodeContext, i: StreamInfo): StreamInfoResponse {
  return {
    name: i.name,
    settings: fromConfig(i.config),
    firstOffset: i.firstOffset,
    lastOffset: Math.max(0, i.lastOffset),
    nextOffset: i.lastOffset + 1,
    messageCount: i.messages,
    bytes: i.bytes,
    consumers: i.consumers,
    producers: i.producers,
    createdIndex: i.createdAt,
    nodes: [],
    servedBy: ctx.id,
  };
}

/** A message read, as sent; `partition` is the partition of a partitioned stream it was read from (0 on others). */
export function toProtoMessage(r: ReadMessage, partition = 0): ProtoMessage {
  const b = r.message.body;
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    headers: r.message.headers.map(([key, value]) => ({ key, value })),
    body: Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    partition,
  };
}

/** Validate an append request and encode its command (time is stamped on the leader). Throws a StatusError. */
export function prepareAppend(ctx: NodeContext, req: AppendRequest__Output): Uint8Array {
  checkName('stream', req.stream);
  const sequence = uint('sequence', req.sequence);
  uint('request_id', req.requestId);
  if (req.producerId) checkName('producer', req.producerId);
  else if (sequence !== 0) throw invalid('sequence is set but producer_id is empty: a sequence belongs to an idempotent producer');
  const messages: StreamMessage[] = new Array(req.messages.length);
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i]!;
    const headers: [string, string][] = new Array(m.headers.length);
    for (let j = 0; j < m.headers.length; j++) headers[j] = [m.headers[j]!.key, m.headers[j]!.value];
    messages[i] = { headers, body: m.body };
  }
  const streams = ctx.machines.get(StreamsMachine);
  const info = streams.info(req.stream);
  const bad = validateMessages(messages, info?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
  if (bad) throw invalid(bad);
  // The leader's applied state holds every declaration confirmed to anyone: a miss is final.
  if (!info && ctx.host.isLeader) throw new StatusError(grpc.status.NOT_FOUND, `stream "${req.stream}" does not exist`);
  const cmd: StreamCommand = { op: 'append', stream: req.stream, producer: req.producerId, seq: req.producerId ? sequence : 0, messages };
  return commandFor(streams, cmd);
}

export function appendResponse(out: WriteOutcome, requestId: number, partition = 0): AppendResponse {
  const s = out.reply as StreamResult;
  if (!s.ok) throw resultError(s);
  if (s.kind !== 'appended') throw new StatusError(grpc.status.INTERNAL, 'the leader answered an append with something else');
  return { firstOffset: s.firstOffset, count: s.count, timestamp: s.timestamp, duplicate: s.duplicate, requestId, index: out.index, leader: out.leader, partition };
}

/**
 * Where a subscription starts, from its first request (in one partition of
 * a partitioned stream: `offset` is then that partition's start offset, and a
 * named consumer's offset is the one it committed there).
 */
export function startOffset(streams: StreamsMachine, first: SubscribeRequest__Output, info: StreamInfo, offset = first.offset): number {
  const name = first.stream;
  switch (enumValue('start', first.start, START)) {
    case 'START_FIRST':
      return info.firstOffset;
    case 'START_NEW':
      return info.lastOffset + 1;
    case 'START_AT_TIMESTAMP':
      return streams.offsetAtTime(name, uint('timestamp', first.timestamp)) ?? info.firstOffset;
    case 'START_AT_CONSUMER':
      checkName('consumer', first.consumer);
      return Math.max(info.firstOffset, streams.consumerOffset(name, first.consumer) ?? info.firstOffset);
    case 'START_AT_OFFSET':
      return uint('offset', offset);
  }
}

/** Read limits of a Read request: ceilings the server may lower (see the proto): above its maximum, served at it. */
export function readLimits(req: ReadRequest__Output): { maxMessages: number; maxBytes: number; waitMs: number } {
  return {
    maxMessages: Math.min(uint('max_messages', req.maxMessages) || READ_DEFAULT_MESSAGES, READ_MAX_MESSAGES),
    maxBytes: Math.min(uint('max_bytes', req.maxBytes) || READ_DEFAULT_BYTES, READ_MAX_BYTES),
    waitMs: Math.min(uint('wait_ms', req.waitMs), READ_MAX_WAIT_MS),
  };
}

/** One group's streams on this node: the metadata group's, or a partition's of a partitioned stream. */
export interface StreamGroup {
  readonly ctx: NodeContext;
  readonly streams: StreamsMachine;
  readonly reader: StreamReader;
}

/** A group's streams machine with its reader, whose cache takes the batches the machine decoded while applying them. */
export function streamGroup(ctx: NodeContext): StreamGroup {
  const streams = ctx.machines.get(StreamsMachine);
  const reader = new StreamReader(streams, ctx.log);
  ctx.machines.attach(streams.id, (effects) => {
    for (const f of effects as StreamEffect[]) if (f.kind === 'appended') reader.appended(f.index, f.part, f.messages);
  });
  ctx.machines.whenRestored(() => reader.cache.clear());
  return { ctx, streams, reader };
}

/** Propose a small (non-append) stream command through the group's leader. */
export async function streamWrite(g: StreamGroup, cmd: StreamCommand, deadline: number): Promise<{ reply: Exclude<StreamResult, { ok: false }>; index: number }> {
  const out = await withDeadline(g.ctx.writes.submit(commandFor(g.streams, cmd), deadline), deadline, `the stream ${cmd.op} was applied`);
  const reply = out.reply as StreamResult;
  if (!reply.ok) throw resultError(reply);
  return { reply, index: out.index };
}

