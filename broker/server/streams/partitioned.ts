// Partitioned streams: one name, N Raft groups (placement/ in group 0 says
// which; node/partitions.ts finds them and routes, as for partitioned
// queues). Declaring one places it in group 0, then declares the stream in
// every partition's own streams machine with the same settings, so
// retention, limits and the dedup window hold per partition.
//
// An append goes to the partition of its key (the request's key, else its
// producer id: a consistent hash), round robin without either, through that
// group's write path (which forwards to that group's leader); it answers the
// partition and the partition's offset. Offsets are per partition: a read or
// a subscription names the partitions it wants (all by default) and one start
// per partition, and keeps each partition's order. Info and listings show the
// stream once, with per-partition figures beside their sums.

import * as grpc from '@grpc/grpc-js';
import type { AppendRequest__Output } from '../../../proto/generated/quorumq/v1/AppendRequest.js';
import type { AppendResponse } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ReadRequest__Output } from '../../../proto/generated/quorumq/v1/ReadRequest.js';
import type { ReadResponse } from '../../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse } from '../../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { SubscribeRequest__Output } from '../../../proto/generated/quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse } from '../../../proto/generated/quorumq/v1/SubscribeResponse.js';
import type { StreamMessage as ProtoMessage } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import type { PlacedGroup } from '../../machine/placement/machine.js';
import { MAX_PARTITIONS } from '../../machine/placement/machine.js';
import type { StreamConfig } from '../../machine/streams/config.js';
import { StreamsMachine } from '../../machine/streams/machine.js';
import { AnyApplied } from '../node/apply-signal.js';
import type { NodeContext } from '../node/context.js';
import { PlacedPartitions, acrossPartitions } from '../node/partitions.js';
import type { Feed } from '../rpc/credit-stream.js';
import { consistency, uint } from '../rpc/fields.js';
import { retryUnavailable } from '../rpc/retry.js';
import { StatusError } from '../rpc/status.js';
import { readBarrier } from '../rpc/unary.js';
import type { StreamGroup } from './stream-group.js';
import { SUBSCRIBE_BATCH_BYTES, SUBSCRIBE_BATCH_MESSAGES, appendResponse, checkName, fromConfig, invalid, prepareAppend, readLimits, startOffset, streamGroup, streamWrite, toProtoMessage } from './stream-group.js';

/** Which partitions a read or subscription covers, and where each starts: checked against the stream's partition count. */
export function partitionSelection(
  field: { partitions: string; offsets: string },
  partitions: readonly number[],
  offsets: readonly number[],
  fallback: number,
  count: number,
): { partitions: number[]; offsets: number[] } {
  const ps = partitions.length ? partitions.map((p, i) => uint(`${field.partitions}[${i}]`, p)) : Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < ps.length; i++) {
    if (ps[i]! >= count) throw invalid(`${field.partitions}[${i}] is ${ps[i]}: the stream has ${count} partitions (0 to ${count - 1})`);
    if (ps.indexOf(ps[i]!) !== i) throw invalid(`${field.partitions}[${i}] names partition ${ps[i]} a second time`);
  }
  if (offsets.length && offsets.length !== ps.length) throw invalid(`${field.offsets} must hold one offset per partition read (${ps.length}), or none; got ${offsets.length}`);
  const os = offsets.length ? offsets.map((o, i) => uint(`${field.offsets}[${i}]`, o)) : ps.map(() => fallback);
  return { partitions: ps, offsets: os };
}

/** `total` dealt over `n` parts, each at least one: the read budget of each partition read. */
export function shares(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.floor(total / n) + (i < total % n ? 1 : 0)));
}

/**
 * What picks an append's partition: its key; else its producer id, so an
 * idempotent producer's retries reach the partition of its first try, where
 * its sequences are checked; else nothing (round robin).
 */
export function appendKey(req: { readonly key: string; readonly producerId: string }): string {
  return req.key || req.producerId;
}

export class PartitionedStreams {
  private readonly parts: PlacedPartitions<StreamGroup>;

  constructor(private readonly node: NodeContext) {
    this.parts = new PlacedPartitions(node, 'stream', streamGroup);
  }

  /** The partitions' groups of a partitioned stream, by partition; undefined for any other name. */
  placed(name: string): readonly PlacedGroup[] | undefined {
    return this.parts.placed(name);
  }

  /**
   * Place the stream in `partitions` groups, then declare it in each (a new
   * group may still be electing: a declare is idempotent, so it is sent
   * again). A retried declare finishes one that failed half way.
   */
  async declare(name: string, partitions: number, config: StreamConfig, deadline: number): Promise<{ created: boolean; index: number }> {
    if (partitions < 1 || partitions > MAX_PARTITIONS) throw invalid(`partitions must be between 1 and ${MAX_PARTITIONS} (0 for an ordinary stream), got ${partitions}`);
    if (this.node.machines.get(StreamsMachine).has(name)) {
      throw new StatusError(grpc.status.FAILED_PRECONDITION, `stream "${name}" exists as an ordinary stream (partitions 0); delete it before declaring it with partitions`);
    }
    const placed = await this.parts.place(name, partitions, deadline);
    let created = placed.created;
    await Promise.all(
      placed.groups.map(async (pg) => {
        const g = await this.parts.partition(pg, deadline);
        const o = await retryUnavailable(() => streamWrite(g, { op: 'declare', name, config }, deadline), deadline);
        if (o.reply.kind === 'declared' && o.reply.created) created = true;
      }),
    );
    return { created, index: placed.index };
  }

  /** Delete the stream in every partition (the placement stays: declaring the name again with its count uses the same groups). */
  async delete(name: string, placed: readonly PlacedGroup[], deadline: number): Promise<number> {
    const outs = await acrossPartitions(
      placed.map((_, p) => p),
      async (p) => {
        const g = await this.parts.partition(placed[p]!, deadline);
        return streamWrite(g, { op: 'delete', name }, deadline);
      },
      (list) => `partitions ${list} of stream "${name}" were deleted`,
      'delete it again to finish',
    );
    return outs[0]?.index ?? 0;
  }

  /** Append to the key's partition (round robin without a key nor a producer id). */
  async append(req: AppendRequest__Output, placed: readonly PlacedGroup[], deadline: number | undefined): Promise<AppendResponse> {
    const p = this.parts.route(appendKey(req), placed.length);
    const g = this.parts.hostedAt(placed[p]!) ?? (await this.parts.partition(placed[p]!, deadline ?? Date.now() + 30_000));
    const cmd = prepareAppend(g.ctx, req);
    const out = await g.ctx.writes.submit(cmd, deadline, { idempotent: !!req.producerId });
    return appendResponse(out, req.requestId, p);
  }

  private async barrier(gs: readonly StreamGroup[], local: boolean, deadline: number): Promise<void> {
    if (!local) await Promise.all(gs.map((g) => readBarrier(g.ctx, deadline)));
  }

  /** Read the partitions asked (all by default), each from its own offset, each in offset order. */
  async read(req: ReadRequest__Output, placed: readonly PlacedGroup[], deadline: number): Promise<ReadResponse> {
    const name = req.stream;
    const { maxMessages, maxBytes, waitMs } = readLimits(req);
    const sel = partitionSelection({ partitions: 'partitions', offsets: 'from_offsets' }, req.partitions, req.fromOffsets, uint('from_offset', req.fromOffset), placed.length);
    const gs = this.parts.hostedNow(
      name,
      sel.partitions.map((p) => placed[p]!),
    );
    await this.barrier(gs, consistency(req.consistency) === 'LOCAL', deadline);
    const counts = shares(maxMessages, gs.length);
    const bytes = shares(maxBytes, gs.length);
    const waitUntil = Math.min(Date.now() + waitMs, deadline - 100);
    const any = new AnyApplied(gs.map((g) => g.ctx.applied));
    for (;;) {
      const rs = await Promise.all(gs.map((g, i) => g.reader.read(name, sel.offsets[i]!, counts[i]!, bytes[i]!)));
      const messages: ProtoMessage[] = [];
      rs.forEach((r, i) => {
        for (const m of r.messages) messages.push(toProtoMessage(m, sel.partitions[i]));
      });
      if (messages.length > 0 || Date.now() >= waitUntil) {
        return { messages, nextOffset: 0, firstOffset: 0, endOffset: 0, nextOffsets: rs.map((r) => r.next), partitions: sel.partitions, servedBy: this.node.id };
      }
      await any.next(waitUntil - Date.now());
    }
  }

  /** A subscription to the partitions asked, each from its own start; credit is shared, partitions take turns. */
  async subscribe(first: SubscribeRequest__Output, placed: readonly PlacedGroup[]): Promise<Feed<SubscribeResponse>> {
    const name = first.stream;
    const sel = partitionSelection({ partitions: 'partitions', offsets: 'offsets' }, first.partitions, first.offsets, first.offset, placed.length);
    const gs = this.parts.hostedNow(
      name,
      sel.partitions.map((p) => placed[p]!),
    );
    await this.barrier(gs, consistency(first.consistency) === 'LOCAL', Date.now() + 10_000);
    const created: number[] = [];
    const next: number[] = [];
    gs.forEach((g, i) => {
      const info = g.streams.info(name);
      if (!info) throw new StatusError(grpc.status.NOT_FOUND, `stream "${name}" does not exist (partition ${sel.partitions[i]})`);
      created.push(info.createdAt);
      next.push(startOffset(g.streams, first, info, sel.offsets[i]!));
    });
    let turn = 0;
    return {
      applied: new AnyApplied(gs.map((g) => g.ctx.applied)),
      pull: async (credit) => {
        const messages: ProtoMessage[] = [];
        let want = Math.min(credit, SUBSCRIBE_BATCH_MESSAGES);
        let bytes = SUBSCRIBE_BATCH_BYTES;
        // Each pull starts at the next partition, so a busy one cannot starve the others.
        const start = turn++ % gs.length;
        for (let k = 0; k < gs.length && want > 0 && bytes > 0; k++) {
          const i = (start + k) % gs.length;
          const g = gs[i]!;
          const cur = g.streams.info(name);
          if (!cur || cur.createdAt !== created[i]) return { end: { messages, ended: `stream "${name}" was deleted` } };
          const r = await g.reader.read(name, next[i]!, want, bytes);
          for (const m of r.messages) {
            messages.push(toProtoMessage(m, sel.partitions[i]));
            bytes -= m.bytes;
          }
          want -= r.messages.length;
          next[i] = r.next;
        }
        if (messages.length === 0) return { wait: true };
        return { response: { messages }, used: messages.length };
      },
    };
  }

  private partitionOf(field: string, partition: number, placed: readonly PlacedGroup[]): PlacedGroup {
    if (partition >= placed.length) throw invalid(`${field} is ${partition}: the stream has ${placed.length} partitions (0 to ${placed.length - 1})`);
    return placed[partition]!;
  }

  async commitOffset(name: string, consumer: string, offset: number, partition: number, placed: readonly PlacedGroup[], deadline: number): Promise<number> {
    const g = await this.parts.partition(this.partitionOf('partition', partition, placed), deadline);
    return (await streamWrite(g, { op: 'commit-offset', stream: name, consumer, offset }, deadline)).index;
  }

  async getOffset(name: string, consumer: string, partition: number, placed: readonly PlacedGroup[], local: boolean, deadline: number): Promise<{ found: boolean; offset: number }> {
    checkName('consumer', consumer);
    const g = await this.parts.partition(this.partitionOf('partition', partition, placed), deadline);
    await this.barrier([g], local, deadline);
    if (!g.streams.has(name)) throw new StatusError(grpc.status.NOT_FOUND, `stream "${name}" does not exist`);
    const o = g.streams.consumerOffset(name, consumer);
    return { found: o !== undefined, offset: o ?? 0 };
  }

  /** The stream once, from this node's replicas of every partition: per-partition figures and their sums. Undefined when deleted. */
  async info(name: string, placed: readonly PlacedGroup[], local: boolean, deadline: number): Promise<StreamInfoResponse | undefined> {
    const gs = await Promise.all(placed.map((pg) => this.parts.partition(pg, deadline)));
    await this.barrier(gs, local, deadline);
    const res: StreamInfoResponse = {
      name,
      firstOffset: 0,
      lastOffset: 0,
      nextOffset: 0,
      messageCount: 0,
      bytes: 0,
      consumers: 0,
      producers: 0,
      nodes: [],
      servedBy: this.node.id,
      partitions: placed.length,
      partitionInfo: [],
    };
    for (let p = 0; p < gs.length; p++) {
      const g = gs[p]!;
      const i = g.streams.info(name);
      if (!i) return undefined;
      if (p === 0) {
        res.settings = fromConfig(i.config);
        res.createdIndex = i.createdAt;
      }
      res.messageCount = Number(res.messageCount) + i.messages;
      res.bytes = Number(res.bytes) + i.bytes;
      res.consumers = Number(res.consumers) + i.consumers;
      res.producers = Number(res.producers) + i.producers;
      res.partitionInfo!.push({ partition: p, group: placed[p]!.group, leader: g.ctx.host.currentLeader, firstOffset: i.firstOffset, nextOffset: i.lastOffset + 1, messageCount: i.messages, bytes: i.bytes });
    }
    return res;
  }

  /** Every partitioned stream that exists, with its figures. */
  async list(local: boolean, deadline: number): Promise<StreamInfoResponse[]> {
    const out: StreamInfoResponse[] = [];
    for (const name of this.parts.names()) {
      const i = await this.info(name, this.placed(name)!, local, deadline);
      if (i) out.push(i);
    }
    return out;
  }
}
