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
import { machineCommand } from '../../machine/envelope.js';
import type { QueueMessage } from '../../machine/message.js';
import { MAX_PARTITIONS, PlacementMachine } from '../../machine/placement/machine.js';
import type { PlacedGroup, PlacementReply } from '../../machine/placement/machine.js';
import type { QueueConfig } from '../../machine/queues/config.js';
import { MAX_MESSAGE_BYTES_LIMIT } from '../../machine/queues/config.js';
import { QueuesMachine, validatePublish } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { clientAddressOf } from '../node/context.js';
import type { PartitionPlacement } from '../../../proto/generated/quorumq/v1/PartitionPlacement.js';
import { StatusError, resultError, toStatus } from '../rpc/status.js';
import { readBarrier } from '../rpc/unary.js';
import { retryUnavailable } from '../rpc/retry.js';
import type { ConsumeCall } from './consumers.js';
import { LocalConsumers, NodeWatch } from './consumers.js';
import { invalid, toQueueMessages } from './convert.js';
import { partitionOf, partitionTag, splitTag } from './partition-hash.js';
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
  private readonly partitionsByGroup = new Map<number, Partition>();
  private readonly placement: PlacementMachine;
  /** Where the round robin of messages without a group key goes on. */
  private turn = 0;

  constructor(private readonly node: NodeContext) {
    this.placement = node.machines.get(PlacementMachine);
    node.groups.whenAdded((g) => {
      if (g.group === node.group) return;
      const queues = g.machines.get(QueuesMachine);
      this.partitionsByGroup.set(g.group, { ctx: g, queues, consumers: new LocalConsumers(g, queues), watch: new NodeWatch(g, queues) });
    });
    const timer = setInterval(() => {
      for (const p of this.partitionsByGroup.values()) p.watch.check();
    }, 500);
    timer.unref();
    node.onStop(() => {
      clearInterval(timer);
      for (const p of this.partitionsByGroup.values()) p.consumers.stop();
    });
  }

  /** The partitions' groups of a partitioned queue, by partition; undefined for any other name. */
  placed(name: string): readonly PlacedGroup[] | undefined {
    return this.placement.partitionsOf('queue', name);
  }

  /** Message bytes held by every partition on this node. */
  heldBytes(): number {
    let n = 0;
    for (const p of this.partitionsByGroup.values()) n += p.queues.heldBytes();
    return n;
  }

  private async partition(pg: PlacedGroup, deadline: number): Promise<Partition> {
    await this.node.groups.hosted(pg.group, deadline);
    return this.partitionsByGroup.get(pg.group)!;
  }

  /** Every partition, hosted here now (a call that must attach at once). */
  private hostedNow(name: string, placed: readonly PlacedGroup[]): Partition[] {
    return placed.map((pg) => {
      const p = this.partitionsByGroup.get(pg.group);
      if (!p) throw new StatusError(grpc.status.UNAVAILABLE, `partition ${pg.partition} of queue "${name}" (group ${pg.group}) is not hosted on node ${this.node.id} yet; retry shortly`, 'not-applied');
      return p;
    });
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
    const voters = [...this.node.host.status().conf.voters].sort((a, b) => a - b);
    const p = this.placement;
    const out = await this.node.writes.submit(machineCommand(p.id, p.encodeCommand({ op: 'place', kind: 'queue', name, partitions, voters })), deadline, { idempotent: true });
    const placed = out.reply as PlacementReply;
    if (!placed.ok) throw resultError(placed);
    let created = placed.created;
    await Promise.all(
      placed.groups.map(async (pg) => {
        const part = await this.partition(pg, deadline);
        // A new group may still be electing, or handing leadership to its preferred leader: a declare is idempotent, so it is sent again.
        const o = await retryUnavailable(() => queueWrite(part.ctx, part.queues, { op: 'declare', name, config }, deadline), deadline);
        if (o.reply.kind === 'declared' && o.reply.created) created = true;
      }),
    );
    return { created, index: out.index };
  }

  async publish(req: PublishRequest__Output, placed: readonly PlacedGroup[], deadline: number): Promise<PublishResponse> {
    if (req.producerId) throw invalid(`producer_id must be empty on a partitioned queue ("${req.queue}" has ${placed.length} partitions): producer sequences are not supported there yet`);
    const messages = toQueueMessages(req.messages);
    const first = this.partitionsByGroup.get(placed[0]!.group)?.queues.queue(req.queue);
    const bad = validatePublish(messages, first?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
    if (bad) throw invalid(bad);
    const byPartition = new Map<number, QueueMessage[]>();
    for (const m of messages) {
      const p = m.group ? partitionOf(m.group, placed.length) : this.turn++ % placed.length;
      const list = byPartition.get(p) ?? [];
      list.push(m);
      byPartition.set(p, list);
    }
    const settled = await Promise.allSettled(
      [...byPartition].map(async ([p, ms]) => {
        const part = await this.partition(placed[p]!, deadline);
        return queueWrite(part.ctx, part.queues, { op: 'publish', queue: req.queue, producer: '', seq: 0, messages: ms }, deadline);
      }),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      // Some partitions may have stored their part while another refused: the
      // request as a whole is then not "not applied" (a client retrying it
      // would store those parts twice), whatever the refusal says of its own.
      const stored = [...byPartition.keys()].filter((_, i) => settled[i]!.status === 'fulfilled');
      if (stored.length === 0) throw failed.reason;
      const st = toStatus(failed.reason);
      throw new StatusError(st.code, `${st.details} (partitions ${stored.join(', ')} of queue "${req.queue}" stored their messages: outcome unknown; do not resend the whole request)`, 'unknown');
    }
    const outs = settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof queueWrite>>>).value);
    let count = 0;
    let deduplicated = 0;
    for (const o of outs) {
      if (o.reply.kind !== 'published') throw new StatusError(grpc.status.INTERNAL, 'the leader answered a publish with something else');
      count += o.reply.count;
      deduplicated += o.reply.deduplicated;
    }
    // A publish that went to one partition says where; one spread over several has no single index.
    // The leader named is the first part's group's (not group 0's): `group` says which, so a client does not take it for the metadata group's.
    const firstGroup = byPartition.size ? placed[[...byPartition.keys()][0]!]!.group : 0;
    return { count, deduplicated, duplicate: false, index: outs.length === 1 ? outs[0]!.index : 0, leader: outs[0]?.leader ?? 0, group: firstGroup };
  }

  /**
   * A publish aimed at one partition (PublishRequest.group, a client that
   * cached the placement): stored in that partition only, and only if the
   * group is one of the queue's partitions and every keyed message hashes
   * there — so a client with a stale or wrong placement gets a refusal (and
   * asks again), never a message in a partition its key does not belong to.
   * All messages go to one group, so a producer id is allowed: its sequences
   * are that partition's. Sent through the group's write path, which
   * forwards when this node does not lead it (a client whose cached leader
   * moved still gets its answer, and learns the new leader from it).
   */
  async publishTo(req: PublishRequest__Output, sequence: number, placed: readonly PlacedGroup[], deadline: number): Promise<PublishResponse> {
    const p = placed.findIndex((pg) => pg.group === req.group);
    if (p < 0) {
      throw new StatusError(
        grpc.status.FAILED_PRECONDITION,
        `group must name a partition of queue "${req.queue}" (its partitions are groups ${placed.map((pg) => pg.group).join(', ')}), got ${req.group}: nothing was published; ask Placement again, or send with group 0`,
      );
    }
    const messages = toQueueMessages(req.messages);
    const part = await this.partition(placed[p]!, deadline);
    const bad = validatePublish(messages, part.queues.queue(req.queue)?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
    if (bad) throw invalid(bad);
    for (let i = 0; i < messages.length; i++) {
      const key = messages[i]!.group;
      if (!key) continue;
      const at = partitionOf(key, placed.length);
      if (at !== p) {
        throw new StatusError(
          grpc.status.FAILED_PRECONDITION,
          `messages[${i}].group "${key}" hashes to partition ${at} of queue "${req.queue}", not to partition ${p} (group ${req.group}): every keyed message of a publish naming a group must hash to that group's partition; nothing was published`,
        );
      }
    }
    const o = await queueWrite(part.ctx, part.queues, { op: 'publish', queue: req.queue, producer: req.producerId, seq: req.producerId ? sequence : 0, messages }, deadline);
    const r = o.reply;
    if (r.kind !== 'published') throw new StatusError(grpc.status.INTERNAL, 'the leader answered a publish with something else');
    return { count: r.count, deduplicated: r.deduplicated, duplicate: r.duplicate, index: o.index, leader: o.leader, group: req.group };
  }

  /** Where a partition lives as this node knows it: its leader only for a group hosted here (0 otherwise: "ask elsewhere"). */
  where(pg: PlacedGroup): PartitionPlacement {
    const g = this.node.groups.get(pg.group);
    const leader = g?.host.currentLeader ?? 0;
    return {
      partition: pg.partition,
      group: pg.group,
      members: [...pg.members],
      leader,
      leaderAddress: leader ? clientAddressOf(this.node, leader) : '',
      term: g ? g.host.status().term : 0,
    };
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
    for (const name of this.placement.names('queue')) {
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
