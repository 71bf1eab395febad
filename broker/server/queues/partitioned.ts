// Partitioned queues: one name, N Raft groups (placement/ in group 0 says
// which). Declaring one places it in group 0 and then declares the queue in
// every partition's own queues machine; a publish goes to the partition of
// each message's group key (partition-hash.ts), round robin without one,
// through that group's write path (which forwards to that group's leader);
// consumers on any node consume every partition's local replica
// (partitioned-consume.ts), and settles go back to the partition that
// delivered (the tag says which). Info and listings show the queue once, with
// its partitions' sums.
//
// Not (yet) on a partitioned queue: producer ids (a producer's sequences are
// checked per queue, and one request may span partitions), schedules, the
// dead-letter calls, exchanges bindings.

import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { GetMessagesRequest__Output } from '../../../proto/generated/quorumq/v1/GetMessagesRequest.js';
import type { GetMessagesResponse } from '../../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import type { PublishRequest__Output } from '../../../proto/generated/quorumq/v1/PublishRequest.js';
import type { PublishResponse } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse } from '../../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { QueueMessage } from '../../machine/message.js';
import { MAX_PARTITIONS } from '../../machine/placement/machine.js';
import type { PlacedGroup } from '../../machine/placement/machine.js';
import type { QueueConfig } from '../../machine/queues/config.js';
import { MAX_MESSAGE_BYTES_LIMIT } from '../../machine/queues/config.js';
import { QueuesMachine, validatePublish } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { PlacedPartitions } from '../node/partitions.js';
import { StatusError } from '../rpc/status.js';
import { readBarrier } from '../rpc/unary.js';
import { retryUnavailable } from '../rpc/retry.js';
import type { ConsumeCall } from './consumers.js';
import { LocalConsumers, NodeWatch } from './consumers.js';
import { invalid, toQueueMessages } from './convert.js';
import { partitionTag, splitTag } from './partition-tags.js';
import { serveFanIn } from './partitioned-consume.js';
import { infoResponse, partitionedInfo } from './queue-info.js';
import { queueWrite, settleTags } from './write.js';

/** One partition's group as the queue calls use it on this node. */
interface Partition {
  readonly ctx: NodeContext;
  readonly queues: QueuesMachine;
  readonly consumers: LocalConsumers;
  readonly watch: NodeWatch;
}

export class PartitionedQueues {
  /** Placement, per-partition state and routing, shared with partitioned streams. */
  private readonly parts: PlacedPartitions<Partition>;
  /** Where the Gets' first partition turns. */
  private turn = 0;

  constructor(private readonly node: NodeContext) {
    this.parts = new PlacedPartitions(node, 'queue', (g) => {
      const queues = g.machines.get(QueuesMachine);
      return { ctx: g, queues, consumers: new LocalConsumers(g, queues), watch: new NodeWatch(g, queues) };
    });
    const timer = setInterval(() => {
      for (const p of this.parts.hosted()) p.watch.check();
    }, 500);
    timer.unref();
    node.onStop(() => {
      clearInterval(timer);
      for (const p of this.parts.hosted()) p.consumers.stop();
    });
  }

  /** The partitions' groups of a partitioned queue, by partition; undefined for any other name. */
  placed(name: string): readonly PlacedGroup[] | undefined {
    return this.parts.placed(name);
  }

  /** Message bytes held by every partition on this node. */
  heldBytes(): number {
    let n = 0;
    for (const p of this.parts.hosted()) n += p.queues.heldBytes();
    return n;
  }

  private partition(pg: PlacedGroup, deadline: number): Promise<Partition> {
    return this.parts.partition(pg, deadline);
  }

  /** Every partition, hosted here now (a call that must attach at once). */
  private hostedNow(name: string, placed: readonly PlacedGroup[]): Partition[] {
    return this.parts.hostedNow(name, placed);
  }

  /**
   * Place the queue in `partitions` new groups (group 0), then declare it in
   * each. Placing is idempotent (the same name and count answer the same
   * groups), so a retried declare finishes one that failed half way.
   */
  async declare(name: string, partitions: number, config: QueueConfig, deadline: number): Promise<{ created: boolean; index: number }> {
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) throw invalid(`partitions must be between 1 and ${MAX_PARTITIONS} (0 for an ordinary queue), got ${partitions}`);
    if (this.node.machines.get(QueuesMachine).queue(name)) {
      throw new StatusError(grpc.status.FAILED_PRECONDITION, `queue "${name}" exists as an ordinary queue (partitions 0); delete it before declaring it with partitions`);
    }
    const placed = await this.parts.place(name, partitions, deadline);
    let created = placed.created;
    await Promise.all(
      placed.groups.map(async (pg) => {
        const part = await this.partition(pg, deadline);
        // A new group may still be electing, or handing leadership to its preferred leader: a declare is idempotent, so it is sent again.
        const o = await retryUnavailable(() => queueWrite(part.ctx, part.queues, { op: 'declare', name, config }, deadline), deadline);
        if (o.reply.kind === 'declared' && o.reply.created) created = true;
      }),
    );
    return { created, index: placed.index };
  }

  async publish(req: PublishRequest__Output, placed: readonly PlacedGroup[], deadline: number): Promise<PublishResponse> {
    if (req.producerId) throw invalid(`producer_id must be empty on a partitioned queue ("${req.queue}" has ${placed.length} partitions): producer sequences are not supported there yet`);
    const messages = toQueueMessages(req.messages);
    const first = this.parts.hostedAt(placed[0]!)?.queues.queue(req.queue);
    const bad = validatePublish(messages, first?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
    if (bad) throw invalid(bad);
    const byPartition = new Map<number, QueueMessage[]>();
    for (const m of messages) {
      const p = this.parts.route(m.group, placed.length);
      const list = byPartition.get(p) ?? [];
      list.push(m);
      byPartition.set(p, list);
    }
    const outs = await Promise.all(
      [...byPartition].map(async ([p, ms]) => {
        const part = await this.partition(placed[p]!, deadline);
        return queueWrite(part.ctx, part.queues, { op: 'publish', queue: req.queue, producer: '', seq: 0, messages: ms }, deadline);
      }),
    );
    let count = 0;
    let deduplicated = 0;
    for (const o of outs) {
      if (o.reply.kind !== 'published') throw new StatusError(grpc.status.INTERNAL, 'the leader answered a publish with something else');
      count += o.reply.count;
      deduplicated += o.reply.deduplicated;
    }
    // A publish that went to one partition says where; one spread over several has no single index.
    return { count, deduplicated, duplicate: false, index: outs.length === 1 ? outs[0]!.index : 0, leader: outs[0]?.leader ?? 0 };
  }

  /** Serve a Consume call whose first request named a partitioned queue. */
  consume(call: ConsumeCall, first: ConsumeRequest__Output, placed: readonly PlacedGroup[]): void {
    const parts = this.hostedNow(first.queue, placed);
    serveFanIn(
      call,
      parts.map((p) => p.consumers),
      first,
      `n${this.node.id}-${randomBytes(6).toString('hex')}`,
    );
  }

  /** Settle by wire tags: each partition settles its own; tags naming no partition of the queue are unknown. */
  async settle(queue: string, consumer: string, req: { ack: readonly number[]; requeue: readonly number[]; reject: readonly number[]; requeueDelayMs: number }, placed: readonly PlacedGroup[], deadline: number): Promise<number[]> {
    const per = placed.map(() => ({ ack: [] as number[], requeue: [] as number[], reject: [] as number[] }));
    const unknown: number[] = [];
    for (const outcome of ['ack', 'requeue', 'reject'] as const) {
      for (const wire of req[outcome]) {
        const { tag, partition } = splitTag(Number(wire));
        if (partition >= placed.length) unknown.push(Number(wire));
        else per[partition]![outcome].push(tag);
      }
    }
    await Promise.all(
      per.map(async (t, p) => {
        if (t.ack.length + t.requeue.length + t.reject.length === 0) return;
        const part = await this.partition(placed[p]!, deadline);
        const u = await settleTags(part.ctx, part.queues, queue, consumer, { ...t, requeueDelayMs: req.requeueDelayMs }, deadline);
        for (const tag of u) unknown.push(partitionTag(tag, p));
      }),
    );
    return unknown.sort((a, b) => a - b);
  }

  /**
   * A Get: `max` is dealt over the partitions (from a partition that turns
   * with each Get, so small Gets reach every partition in turn), each asked
   * in parallel with the same wait, by the same pull consumer name.
   */
  async get(req: GetMessagesRequest__Output, placed: readonly PlacedGroup[], deadline: number): Promise<GetMessagesResponse> {
    const parts = this.hostedNow(req.queue, placed);
    const max = req.max || 1;
    const consumer = req.consumer || `n${this.node.id}-get-${randomBytes(6).toString('hex')}`;
    const start = this.turn++ % parts.length;
    const shares = parts.map((_, i) => {
      const k = (i - start + parts.length) % parts.length;
      return Math.floor(max / parts.length) + (k < max % parts.length ? 1 : 0);
    });
    const answers = await Promise.all(
      parts.map(async (p, i) => {
        if (!shares[i]) return [];
        const r = await p.consumers.pulls.get({ ...req, max: shares[i]!, consumer }, deadline);
        return (r.deliveries ?? []).map((d) => ({ ...d, tag: partitionTag(Number(d.tag), i) }));
      }),
    );
    return { consumer, deliveries: answers.flat(), servedBy: this.node.id };
  }

  /** Info from this node's replicas of every partition (after a read barrier in each unless LOCAL). */
  async info(name: string, placed: readonly PlacedGroup[], local: boolean, deadline: number): Promise<QueueInfoResponse | undefined> {
    const parts = await Promise.all(placed.map((pg) => this.partition(pg, deadline)));
    if (!local) await Promise.all(parts.map((p) => readBarrier(p.ctx, deadline)));
    const infos: QueueInfoResponse[] = [];
    for (const p of parts) {
      const i = p.queues.info(name);
      if (!i) return undefined;
      infos.push(infoResponse(p.ctx, p.queues, i));
    }
    return { ...partitionedInfo(infos), servedBy: this.node.id };
  }

  /** Every partitioned queue declared, with its figures. */
  async list(local: boolean, deadline: number): Promise<QueueInfoResponse[]> {
    const out: QueueInfoResponse[] = [];
    for (const name of this.parts.names()) {
      const i = await this.info(name, this.placed(name)!, local, deadline);
      if (i) out.push(i);
    }
    return out;
  }

  /** Delete or purge in every partition (the placement stays: declaring the name again uses the same groups). */
  async each(name: string, placed: readonly PlacedGroup[], op: 'delete' | 'purge', deadline: number): Promise<{ index: number; purged: number }> {
    const outs = await Promise.all(
      placed.map(async (pg) => {
        const p = await this.partition(pg, deadline);
        return queueWrite(p.ctx, p.queues, { op, name }, deadline);
      }),
    );
    return { index: outs[0]?.index ?? 0, purged: outs.reduce((n, o) => n + (o.reply.kind === 'purged' ? o.reply.count : 0), 0) };
  }
}

/** What a partitioned queue does not offer yet. */
export const notOnPartitioned = (name: string, what: string): StatusError =>
  new StatusError(grpc.status.FAILED_PRECONDITION, `queue "${name}" is partitioned: ${what} is not supported on partitioned queues yet`);
