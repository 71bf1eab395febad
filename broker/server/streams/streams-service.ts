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
import type { SubscribeRequest__Output } from '../../../proto/generated/quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse } from '../../../proto/generated/quorumq/v1/SubscribeResponse.js';
import type { StreamCommand } from '../../machine/streams/commands.js';
import { validateConfig } from '../../machine/streams/config.js';
import { clusterStatus } from '../node/cluster-status.js';
import type { NodeContext } from '../node/context.js';
import type { Feed } from '../rpc/credit-stream.js';
import { serveWithCredit } from '../rpc/credit-stream.js';
import { OrderedResponses } from '../rpc/ordered-responses.js';
import { consistency, enumValue, uint } from '../rpc/fields.js';
import { StatusError, outcomeOf, toServiceError, toStatus, withDeadline } from '../rpc/status.js';
import { notServing, readBarrier, unary } from '../rpc/unary.js';
import { PartitionedStreams } from './partitioned.js';
import {
  APPEND_STREAM_WINDOW,
  START,
  SUBSCRIBE_BATCH_BYTES,
  SUBSCRIBE_BATCH_MESSAGES,
  appendResponse,
  checkName,
  infoResponse,
  invalid,
  prepareAppend,
  readLimits,
  startOffset,
  streamGroup,
  streamWrite,
  toConfig,
  toProtoMessage,
} from './stream-group.js';

// ---- handlers ---------------------------------------------------------------------

export function streamsService(ctx: NodeContext): Pick<
  BrokerHandlers,
  'DeclareStream' | 'DeleteStream' | 'ListStreams' | 'StreamInfo' | 'Append' | 'AppendStream' | 'Read' | 'Subscribe' | 'CommitOffset' | 'GetOffset'
> {
  const group0 = streamGroup(ctx);
  const { streams, reader } = group0;
  const write = (cmd: StreamCommand, deadline: number): ReturnType<typeof streamWrite> => streamWrite(group0, cmd, deadline);
  // Streams declared with partitions live in data groups (partitioned.ts); every call checks the name's placement first.
  const partitioned = new PartitionedStreams(ctx);

  /** An append's answer, whichever kind of stream it names (a partitioned one goes to its key's partition). */
  const appendOnce = (req: AppendRequest__Output, deadline: number | undefined): Promise<AppendResponse> => {
    const placed = req.stream ? partitioned.placed(req.stream) : undefined;
    if (placed) return partitioned.append(req, placed, deadline);
    const cmd = prepareAppend(ctx, req);
    return ctx.writes.submit(cmd, deadline, { idempotent: !!req.producerId }).then((out) => appendResponse(out, req.requestId));
  };

  return {
    DeclareStream: unary(ctx, 'DeclareStream', async (req, deadline) => {
      checkName('stream', req.name);
      const config = toConfig(req.settings);
      const bad = validateConfig(config);
      if (bad) throw invalid(bad);
      const partitions = uint('partitions', req.partitions);
      if (partitions) return partitioned.declare(req.name, partitions, config, deadline);
      const placed = partitioned.placed(req.name);
      if (placed) throw new StatusError(grpc.status.FAILED_PRECONDITION, `stream "${req.name}" is partitioned (${placed.length} partitions); declare it with partitions ${placed.length}`);
      const out = await write({ op: 'declare', name: req.name, config }, deadline);
      return { created: out.reply.kind === 'declared' && out.reply.created, index: out.index };
    }),

    DeleteStream: unary(ctx, 'DeleteStream', async (req, deadline) => {
      checkName('stream', req.name);
      const placed = partitioned.placed(req.name);
      if (placed) return { index: await partitioned.delete(req.name, placed, deadline) };
      const out = await write({ op: 'delete', name: req.name }, deadline);
      return { index: out.index };
    }),

    ListStreams: unary(ctx, 'ListStreams', async (req, deadline) => {
      const local = consistency(req.consistency) === 'LOCAL';
      if (!local) await readBarrier(ctx, deadline);
      const ordinary = streams.names().map((n) => infoResponse(ctx, streams.info(n)!));
      // One list sorted by name (code points, as the machine sorts its names), partitioned streams among the others.
      const all = [...ordinary, ...(await partitioned.list(local, deadline))].sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
      return { streams: all, servedBy: ctx.id };
    }),

    StreamInfo: unary(ctx, 'StreamInfo', async (req, deadline) => {
      checkName('stream', req.name);
      const placed = partitioned.placed(req.name);
      if (placed) {
        const pi = await partitioned.info(req.name, placed, consistency(req.consistency) === 'LOCAL', deadline);
        if (!pi) throw new StatusError(grpc.status.NOT_FOUND, `stream "${req.name}" does not exist`);
        return pi;
      }
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

    Append: unary(ctx, 'Append', async (req, deadline) => withDeadline(appendOnce(req, deadline), deadline, 'the append was confirmed')),

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
        let answered: Promise<AppendResponse>;
        try {
          answered = appendOnce(req, undefined);
        } catch (e) {
          fail(e);
          return;
        }
        answered.then(answer, fail);
      });
    },

    Read: unary(ctx, 'Read', async (req, deadline) => {
      checkName('stream', req.stream);
      const from = uint('from_offset', req.fromOffset);
      const { maxMessages, maxBytes, waitMs } = readLimits(req);
      const placed = partitioned.placed(req.stream);
      if (placed) return partitioned.read(req, placed, deadline);
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      // Answer a little before the deadline so an empty long-poll ends OK rather than DEADLINE_EXCEEDED.
      const waitUntil = Math.min(Date.now() + waitMs, deadline - 100);
      for (;;) {
        const r = await reader.read(req.stream, from, maxMessages, maxBytes);
        if (r.messages.length > 0 || Date.now() >= waitUntil) {
          const i = streams.info(req.stream);
          return {
            messages: r.messages.map((m) => toProtoMessage(m)),
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
        const placed = partitioned.placed(name);
        if (placed) return partitioned.subscribe(first, placed);
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
            return { response: { messages: r.messages.map((m) => toProtoMessage(m)) }, used: r.messages.length };
          },
        };
      }),

    CommitOffset: unary(ctx, 'CommitOffset', async (req, deadline) => {
      checkName('stream', req.stream);
      checkName('consumer', req.consumer);
      const offset = uint('offset', req.offset);
      const placed = partitioned.placed(req.stream);
      if (placed) return { index: await partitioned.commitOffset(req.stream, req.consumer, offset, uint('partition', req.partition), placed, deadline) };
      const out = await write({ op: 'commit-offset', stream: req.stream, consumer: req.consumer, offset }, deadline);
      return { index: out.index };
    }),

    GetOffset: unary(ctx, 'GetOffset', async (req, deadline) => {
      checkName('stream', req.stream);
      checkName('consumer', req.consumer);
      const placed = partitioned.placed(req.stream);
      if (placed) return partitioned.getOffset(req.stream, req.consumer, uint('partition', req.partition), placed, consistency(req.consistency) === 'LOCAL', deadline);
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      if (!streams.has(req.stream)) throw new StatusError(grpc.status.NOT_FOUND, `stream "${req.stream}" does not exist`);
      const o = streams.consumerOffset(req.stream, req.consumer);
      return { found: o !== undefined, offset: o ?? 0 };
    }),
  };
}

