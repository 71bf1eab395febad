// The Broker service's stream calls. Writes (declare, delete, append, commit
// offset) go to the leader through the node's write path (one entry per
// event-loop turn); reads, subscriptions and info are served by this node from
// its applied state and its own log (stream-reader.ts), after a ReadIndex
// round when linearizable. Requests are validated here before anything is
// proposed, so garbage never reaches the log; the machine checks again.

import * as grpc from '@grpc/grpc-js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { AppendRequest__Output } from '../../../proto/generated/quorumq/v1/AppendRequest.js';
import type { AppendResponse } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { StreamInfoResponse } from '../../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { StreamMessage as ProtoMessage } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import type { StreamSettings, StreamSettings__Output } from '../../../proto/generated/quorumq/v1/StreamSettings.js';
import type { SubscribeRequest__Output } from '../../../proto/generated/quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse } from '../../../proto/generated/quorumq/v1/SubscribeResponse.js';
import { machineCommand } from '../../machine/envelope.js';
import type { StreamConfig } from '../../machine/streams/config.js';
import { DEFAULT_STREAM_CONFIG, MAX_MESSAGE_BYTES_LIMIT, validateConfig, validateName } from '../../machine/streams/config.js';
import type { StreamCommand, StreamMessage } from '../../machine/streams/commands.js';
import type { StreamEffect, StreamInfo, StreamResult } from '../../machine/streams/machine.js';
import { StreamsMachine, validateMessages } from '../../machine/streams/machine.js';
import { clusterStatus } from '../node/cluster-status.js';
import type { NodeContext, WriteOutcome } from '../node/context.js';
import type { Feed } from '../rpc/credit-stream.js';
import { serveWithCredit } from '../rpc/credit-stream.js';
import { OrderedResponses } from '../rpc/ordered-responses.js';
import { consistency, enumValue, invalidArgument, uint } from '../rpc/fields.js';
import { StatusError, outcomeOf, resultError, toServiceError, toStatus, withDeadline } from '../rpc/status.js';
import { notServing, readBarrier, unary } from '../rpc/unary.js';
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
const SUBSCRIBE_BATCH_BYTES = 1 << 20;
const SUBSCRIBE_BATCH_MESSAGES = 1000;

const invalid = invalidArgument;

const DISCARD = ['DISCARD_OLD', 'DISCARD_REJECT'] as const;
const START = ['START_AT_OFFSET', 'START_FIRST', 'START_NEW', 'START_AT_TIMESTAMP', 'START_AT_CONSUMER'] as const;

function checkName(kind: string, name: string): void {
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

function infoResponse(ctx: NodeContext, i: StreamInfo): StreamInfoResponse {
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

export function toProtoMessage(r: ReadMessage): ProtoMessage {
  const b = r.message.body;
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    headers: r.message.headers.map(([key, value]) => ({ key, value })),
    body: Buffer.from(b.buffer, b.byteOffset, b.byteLength),
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
  return machineCommand(streams.id, streams.encodeCommand(cmd));
}

function appendResponse(out: WriteOutcome, requestId: number): AppendResponse {
  const s = out.reply as StreamResult;
  if (!s.ok) throw resultError(s);
  if (s.kind !== 'appended') throw new StatusError(grpc.status.INTERNAL, 'the leader answered an append with something else');
  return { firstOffset: s.firstOffset, count: s.count, timestamp: s.timestamp, duplicate: s.duplicate, requestId, index: out.index, leader: out.leader };
}

/** Where a subscription starts, from its first request. */
function startOffset(streams: StreamsMachine, first: SubscribeRequest__Output, info: StreamInfo): number {
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
      return uint('offset', first.offset);
  }
}

// ---- handlers ---------------------------------------------------------------------

export function streamsService(ctx: NodeContext): Pick<
  BrokerHandlers,
  'DeclareStream' | 'DeleteStream' | 'ListStreams' | 'StreamInfo' | 'Append' | 'AppendStream' | 'Read' | 'Subscribe' | 'CommitOffset' | 'GetOffset'
> {
  const streams = ctx.machines.get(StreamsMachine);
  const reader = new StreamReader(streams, ctx.log);
  // Batches the machine decoded while applying them go to the read cache.
  ctx.machines.attach(streams.id, (effects) => {
    for (const f of effects as StreamEffect[]) if (f.kind === 'appended') reader.appended(f.index, f.part, f.messages);
  });
  ctx.machines.whenRestored(() => reader.cache.clear());

  /** Propose a small (non-append) stream command through the leader. */
  const write = async (cmd: StreamCommand, deadline: number): Promise<{ reply: Exclude<StreamResult, { ok: false }>; index: number }> => {
    const out = await withDeadline(ctx.writes.submit(machineCommand(streams.id, streams.encodeCommand(cmd)), deadline), deadline, `the stream ${cmd.op} was applied`);
    const reply = out.reply as StreamResult;
    if (!reply.ok) throw resultError(reply);
    return { reply, index: out.index };
  };

  return {
    DeclareStream: unary(ctx, 'DeclareStream', async (req, deadline) => {
      checkName('stream', req.name);
      const config = toConfig(req.settings);
      const bad = validateConfig(config);
      if (bad) throw invalid(bad);
      const out = await write({ op: 'declare', name: req.name, config }, deadline);
      return { created: out.reply.kind === 'declared' && out.reply.created, index: out.index };
    }),

    DeleteStream: unary(ctx, 'DeleteStream', async (req, deadline) => {
      checkName('stream', req.name);
      const out = await write({ op: 'delete', name: req.name }, deadline);
      return { index: out.index };
    }),

    ListStreams: unary(ctx, 'ListStreams', async (req, deadline) => {
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      return { streams: streams.names().map((n) => infoResponse(ctx, streams.info(n)!)), servedBy: ctx.id };
    }),

    StreamInfo: unary(ctx, 'StreamInfo', async (req, deadline) => {
      checkName('stream', req.name);
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      const i = streams.info(req.name);
      if (!i) throw new StatusError(grpc.status.NOT_FOUND, `stream "${req.name}" does not exist`);
      const res = infoResponse(ctx, i);
      const cs = await clusterStatus(ctx, Math.max(50, Math.min(1000, deadline - Date.now() - 50)));
      const next = i.lastOffset + 1;
      res.nodes = (cs.members ?? []).map((m) => ({
        id: m.id,
        reachable: m.reachable ?? false,
        appliedOffset: m.reachable ? Math.min(next, streams.nextOffsetAt(req.name, Number(m.applied)) ?? 0) : 0,
        replicatedOffset: cs.leader && Number(m.match) > 0 ? Math.min(next, streams.nextOffsetAt(req.name, Number(m.match)) ?? 0) : 0,
      }));
      return res;
    }),

    Append: unary(ctx, 'Append', async (req, deadline) => {
      const cmd = prepareAppend(ctx, req);
      return appendResponse(await withDeadline(ctx.writes.submit(cmd, deadline, { idempotent: !!req.producerId }), deadline, 'the append was confirmed'), req.requestId);
    }),

    AppendStream: (call) => {
      ctx.metrics.requests.inc({ method: 'AppendStream', code: 'started' });
      if (!ctx.serving) {
        call.emit('error', toServiceError(notServing(ctx), ctx.id));
        return;
      }
      // Answers go out in request order, one per request.
      const responses = new OrderedResponses<AppendResponse>(call, APPEND_STREAM_WINDOW);
      call.on('data', (req: AppendRequest__Output) => {
        const answer = responses.reserve();
        const fail = (e: unknown): void => {
          const s = toStatus(e);
          answer({ requestId: req.requestId, errorCode: s.code, errorMessage: s.details, errorOutcome: outcomeOf(s) });
        };
        let cmd: Uint8Array;
        try {
          cmd = prepareAppend(ctx, req);
        } catch (e) {
          fail(e);
          return;
        }
        ctx.writes.submit(cmd, undefined, { idempotent: !!req.producerId }).then((out) => {
          try {
            answer(appendResponse(out, req.requestId));
          } catch (e) {
            fail(e);
          }
        }, fail);
      });
    },

    Read: unary(ctx, 'Read', async (req, deadline) => {
      checkName('stream', req.stream);
      const from = uint('from_offset', req.fromOffset);
      // Limits on one answer are ceilings the server may lower (see the proto): above its maximum, served at it.
      const maxMessages = Math.min(uint('max_messages', req.maxMessages) || READ_DEFAULT_MESSAGES, READ_MAX_MESSAGES);
      const maxBytes = Math.min(uint('max_bytes', req.maxBytes) || READ_DEFAULT_BYTES, READ_MAX_BYTES);
      const waitMs = Math.min(uint('wait_ms', req.waitMs), READ_MAX_WAIT_MS);
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      // Answer a little before the deadline so an empty long-poll ends OK rather than DEADLINE_EXCEEDED.
      const waitUntil = Math.min(Date.now() + waitMs, deadline - 100);
      for (;;) {
        const r = await reader.read(req.stream, from, maxMessages, maxBytes);
        if (r.messages.length > 0 || Date.now() >= waitUntil) {
          const i = streams.info(req.stream);
          return {
            messages: r.messages.map(toProtoMessage),
            nextOffset: r.next,
            firstOffset: i?.firstOffset ?? 0,
            endOffset: (i?.lastOffset ?? -1) + 1,
            servedBy: ctx.id,
          };
        }
        await ctx.applied.next(waitUntil - Date.now());
      }
    }),

    Subscribe: (call) =>
      serveWithCredit(ctx, 'Subscribe', call, async (first: SubscribeRequest__Output): Promise<Feed<SubscribeResponse>> => {
        const name = first.stream;
        checkName('stream', name);
        // Every field of the first request is checked before the stream is looked at.
        enumValue('start', first.start, START);
        uint('offset', first.offset);
        uint('timestamp', first.timestamp);
        if (consistency(first.consistency) !== 'LOCAL') await readBarrier(ctx, Date.now() + 10_000);
        const info = streams.info(name);
        if (!info) throw new StatusError(grpc.status.NOT_FOUND, `stream "${name}" does not exist`);
        const createdAt = info.createdAt;
        let next = startOffset(streams, first, info);
        return {
          pull: async (credit) => {
            const cur = streams.info(name);
            if (!cur || cur.createdAt !== createdAt) return { end: { messages: [], ended: `stream "${name}" was deleted` } };
            const r = await reader.read(name, next, Math.min(credit, SUBSCRIBE_BATCH_MESSAGES), SUBSCRIBE_BATCH_BYTES);
            if (r.messages.length === 0) return { wait: true };
            next = r.next;
            return { response: { messages: r.messages.map(toProtoMessage) }, used: r.messages.length };
          },
        };
      }),

    CommitOffset: unary(ctx, 'CommitOffset', async (req, deadline) => {
      checkName('stream', req.stream);
      checkName('consumer', req.consumer);
      const offset = uint('offset', req.offset);
      const out = await write({ op: 'commit-offset', stream: req.stream, consumer: req.consumer, offset }, deadline);
      return { index: out.index };
    }),

    GetOffset: unary(ctx, 'GetOffset', async (req, deadline) => {
      checkName('stream', req.stream);
      checkName('consumer', req.consumer);
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      if (!streams.has(req.stream)) throw new StatusError(grpc.status.NOT_FOUND, `stream "${req.stream}" does not exist`);
      const o = streams.consumerOffset(req.stream, req.consumer);
      return { found: o !== undefined, offset: o ?? 0 };
    }),
  };
}

