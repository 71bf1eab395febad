// Partitioned queues: one name, N Raft groups (placement/ in group 0 says
// which, and which nodes are members of each). Declaring one places it in
// group 0 and then declares the queue in every partition's own queues
// machine; a publish goes to the partition of each message's group key
// (partition-hash.ts), round robin without one, through that group's write
// path (which forwards to that group's leader); consumers attach to every
// partition (partitioned-consume.ts), and settles go back to the partition
// that delivered (the tag says which). Info and listings show the queue
// once, with its partitions' sums.
//
// Every node serves every call on every partition, member of its group or
// not. On a member, a partition is its local replica. On any other node
// (a partition placed with fewer replicas than there are voters) writes go
// through the group's RemoteGroup (node/remote-groups.ts: the same write
// path, forwarding to the leader it learns from the members), and reads,
// Gets and a Consume call's share are relayed over the peer port to a
// member (the group's leader when known: Raft.PartitionRead and
// Raft.PartitionConsume, served below by that member's replica as for its
// own clients).
//
// Dead letters stay in the partition that dead-lettered them; listing them
// reads every partition's store (replay and purge do not span partitions yet).
//
// Not (yet) on a partitioned queue: producer ids (a producer's sequences are
// checked per queue, and one request may span partitions), schedules, the
// dead-letter replay and purge, exchanges bindings.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse, ConsumeResponse__Output } from '../../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { GetMessagesRequest__Output } from '../../../proto/generated/quorumq/v1/GetMessagesRequest.js';
import type { GetMessagesResponse } from '../../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import type { PartitionConsumeRequest, PartitionConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/PartitionConsumeRequest.js';
import type { PartitionReadRequest, PartitionReadRequest__Output } from '../../../proto/generated/quorumq/v1/PartitionReadRequest.js';
import type { PartitionReadResponse, PartitionReadResponse__Output } from '../../../proto/generated/quorumq/v1/PartitionReadResponse.js';
import type { PublishRequest__Output } from '../../../proto/generated/quorumq/v1/PublishRequest.js';
import type { PublishResponse } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse } from '../../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { RaftHandlers } from '../../../proto/generated/quorumq/v1/Raft.js';
import type { QueueMessage } from '../../machine/message.js';
import { MAX_PARTITIONS, PlacementMachine, validateReplicas } from '../../machine/placement/machine.js';
import type { PlacedGroup } from '../../machine/placement/machine.js';
import type { QueueConfig } from '../../machine/queues/config.js';
import type { Queue } from '../../machine/queues/queue.js';
import { MAX_MESSAGE_BYTES_LIMIT } from '../../machine/queues/config.js';
import { QueuesMachine, validatePublish } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { PlacedPartitions, acrossPartitions } from '../node/partitions.js';
import type { RemoteGroup } from '../node/remote-groups.js';
import { remoteGroup } from '../node/remote-groups.js';
import { clientAddressOf } from '../node/context.js';
import type { PartitionPlacement } from '../../../proto/generated/quorumq/v1/PartitionPlacement.js';
import { StatusError, toServiceError, toStatus } from '../rpc/status.js';
import { answerBy, readBarrier } from '../rpc/unary.js';
import { retryUnavailable } from '../rpc/retry.js';
import { forwardError } from '../writes/forward.js';
import type { ConsumeCall } from './consumers.js';
import { LocalConsumers, NodeWatch } from './consumers.js';
import { clusterNow, invalid, toQueueMessages } from './convert.js';
import { partitionOf } from '../node/partition-hash.js';
import { partitionTag, splitTag } from './partition-tags.js';
import type { PartitionConsumers } from './partitioned-consume.js';
import { serveFanIn } from './partitioned-consume.js';
import { infoResponse, partitionedInfo } from './queue-info.js';
import { queueWrite, settleTags } from './write.js';

/** One partition's group as the queue calls use it on a member. */
interface Partition {
  readonly ctx: NodeContext;
  readonly queues: QueuesMachine;
  readonly consumers: LocalConsumers;
  readonly watch: NodeWatch;
}

/** How a call reaches a partition: its replica here, or its group from outside. */
type Route = { readonly hosted: Partition } | { readonly remote: RemoteGroup };

/** How long a Consume call's relayed share waits to learn a member to relay to (as a subscribe retries while there is no leader). */
const RELAY_ATTACH_MS = 10_000;

/** How long a publish's share is sent again while its partition's group has no leader known (an election takes well under it). */
const PUBLISH_RETRY_MS = 10_000;

/** Every node's PartitionedQueues, for the peer port's handlers (partitionPeerHandlers). */
const byNode = new WeakMap<NodeContext, PartitionedQueues>();

export class PartitionedQueues {
  /** Placement, per-partition state and routing, shared with partitioned streams (node/partitions.ts). */
  private readonly parts: PlacedPartitions<Partition>;
  /** Groups this node is not a member of, as its calls reach them (created on first use). */
  private readonly remotes = new Map<number, RemoteGroup>();
  private readonly placement: PlacementMachine;
  /** Encodes the commands of groups not hosted here (every queues machine encodes alike). */
  private readonly encoder: QueuesMachine;
  /** Where the round robin of messages without a group key goes on. */
  private turn = 0;

  constructor(private readonly node: NodeContext) {
    byNode.set(node, this);
    this.placement = node.machines.get(PlacementMachine);
    this.encoder = node.machines.get(QueuesMachine);
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

  private async partition(pg: PlacedGroup, deadline: number): Promise<Partition> {
    return this.parts.partition(pg, deadline);
  }

  private member(pg: PlacedGroup): boolean {
    return (this.placement.group(pg.group)?.members ?? pg.members).includes(this.node.id);
  }

  private remote(pg: PlacedGroup): RemoteGroup {
    let r = this.remotes.get(pg.group);
    if (!r) {
      r = remoteGroup(this.node, pg.group, () => this.placement.group(pg.group)?.members ?? pg.members);
      this.remotes.set(pg.group, r);
    }
    return r;
  }

  /** A member waits for its replica to be created (its placement may still be applying here); any other node goes from outside. */
  private async route(pg: PlacedGroup, deadline: number): Promise<Route> {
    return this.member(pg) ? { hosted: await this.partition(pg, deadline) } : { remote: this.remote(pg) };
  }

  /** Where a partition's writes go: its replica's write path, or the remote group's. */
  private async writer(pg: PlacedGroup, deadline: number): Promise<{ ctx: Pick<NodeContext, 'writes'>; queues: QueuesMachine }> {
    const r = await this.route(pg, deadline);
    return 'hosted' in r ? r.hosted : { ctx: r.remote.ctx, queues: this.encoder };
  }

  /** Every partition, as a Consume call or a Get reaches it now: a member must host its replica already. */
  private routesNow(name: string, placed: readonly PlacedGroup[]): Route[] {
    return placed.map((pg) => {
      if (!this.member(pg)) return { remote: this.remote(pg) };
      const p = this.parts.hostedAt(pg);
      if (!p) throw new StatusError(grpc.status.UNAVAILABLE, `partition ${pg.partition} of queue "${name}" (group ${pg.group}) is not hosted on node ${this.node.id} yet; retry shortly`, 'not-applied');
      return { hosted: p };
    });
  }

  /**
   * Place the queue in `partitions` new groups (group 0), then declare it in
   * each. Placing is idempotent (the same name and count answer the same
   * groups), so a retried declare finishes one that failed half way.
   */
  async declare(name: string, partitions: number, replicas: number, config: QueueConfig, deadline: number): Promise<{ created: boolean; index: number }> {
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) throw invalid(`partitions must be between 1 and ${MAX_PARTITIONS} (0 for an ordinary queue), got ${partitions}`);
    const voters = [...this.node.host.status().conf.voters].sort((a, b) => a - b);
    const badReplicas = validateReplicas(replicas, voters.length);
    if (badReplicas) throw invalid(badReplicas);
    if (this.node.machines.get(QueuesMachine).queue(name)) {
      throw new StatusError(grpc.status.FAILED_PRECONDITION, `queue "${name}" exists as an ordinary queue (partitions 0); delete it before declaring it with partitions`);
    }
    const placed = await this.parts.place(name, partitions, deadline, replicas);
    let created = placed.created;
    await Promise.all(
      placed.groups.map(async (pg) => {
        const w = await this.writer(pg, deadline);
        // A new group may still be electing, or handing leadership to its preferred leader: a declare is idempotent, so it is sent again.
        const o = await retryUnavailable(() => queueWrite(w.ctx, w.queues, { op: 'declare', name, config }, deadline), deadline);
        if (o.reply.kind === 'declared' && o.reply.created) created = true;
      }),
    );
    return { created, index: placed.index };
  }

  async publish(req: PublishRequest__Output, placed: readonly PlacedGroup[], deadline: number): Promise<PublishResponse> {
    if (req.producerId) throw invalid(`producer_id must be empty on a partitioned queue ("${req.queue}" has ${placed.length} partitions): producer sequences are not supported there yet`);
    const messages = toQueueMessages(req.messages, clusterNow(this.node));
    // The limit as this node knows it (a partition it hosts); the leader checks against its own anyway.
    const first = placed.map((pg) => this.parts.hostedAt(pg)?.queues.queue(req.queue)).find((q) => q);
    const bad = validatePublish(messages, first?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
    if (bad) throw invalid(bad);
    const byPartition = new Map<number, QueueMessage[]>();
    for (const m of messages) {
      const p = this.parts.route(m.group, placed.length);
      const list = byPartition.get(p) ?? [];
      list.push(m);
      byPartition.set(p, list);
    }
    // One request may span partitions: each partition's share is sent again while its group has no leader known (nothing applied), so
    // one partition's election does not fail the shares the others applied; a share that still fails leaves the request partly applied.
    const outs = await acrossPartitions(
      [...byPartition.keys()],
      async (p) => {
        const w = await this.writer(placed[p]!, deadline);
        const ms = byPartition.get(p)!;
        return retryUnavailable(() => queueWrite(w.ctx, w.queues, { op: 'publish', queue: req.queue, producer: '', seq: 0, messages: ms }, deadline), Math.min(deadline, Date.now() + PUBLISH_RETRY_MS), () => false, { notAppliedOnly: true });
      },
      (list) => `partitions ${list} of queue "${req.queue}" stored their messages`,
      'do not resend the whole request',
    );
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
    const messages = toQueueMessages(req.messages, clusterNow(this.node));
    // The limit as this node knows it (its replica, if it holds one); the leader checks against its own anyway.
    const local = this.parts.hostedAt(placed[p]!)?.queues.queue(req.queue);
    const bad = validatePublish(messages, local?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
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
    // Through the partition's writer: this node's replica, or the remote group's leader when it holds none.
    const w = await this.writer(placed[p]!, deadline);
    const o = await queueWrite(w.ctx, w.queues, { op: 'publish', queue: req.queue, producer: req.producerId, seq: req.producerId ? sequence : 0, messages }, deadline);
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
    const sources: PartitionConsumers[] = this.routesNow(first.queue, placed).map((r) => ('hosted' in r ? r.hosted.consumers : new RelayedConsumers(this.node, r.remote)));
    serveFanIn(call, sources, first, `n${this.node.id}-${randomBytes(6).toString('hex')}`);
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
        const w = await this.writer(placed[p]!, deadline);
        const u = await settleTags(w.ctx, w.queues, queue, consumer, { ...t, requeueDelayMs: req.requeueDelayMs }, deadline);
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
    const routes = this.routesNow(req.queue, placed);
    const max = req.max || 1;
    const consumer = req.consumer || `n${this.node.id}-get-${randomBytes(6).toString('hex')}`;
    const start = this.turn++ % routes.length;
    const shares = routes.map((_, i) => {
      const k = (i - start + routes.length) % routes.length;
      return Math.floor(max / routes.length) + (k < max % routes.length ? 1 : 0);
    });
    const answers = await Promise.all(
      routes.map(async (r, i) => {
        if (!shares[i]) return [];
        const one = { ...req, max: shares[i]!, consumer };
        const got = 'hosted' in r ? await r.hosted.consumers.pulls.get(one, deadline) : (await relayRead(this.node, r.remote, { group: r.remote.group, get: one }, deadline)).get;
        return (got?.deliveries ?? []).map((d) => ({ ...d, tag: partitionTag(Number(d.tag), i) }));
      }),
    );
    return { consumer, deliveries: answers.flat(), servedBy: this.node.id };
  }

  /** Info from every partition's replica: this node's (after a read barrier unless LOCAL), or a member's for a group not hosted here. */
  async info(name: string, placed: readonly PlacedGroup[], local: boolean, deadline: number): Promise<QueueInfoResponse | undefined> {
    const infos = await Promise.all(
      placed.map(async (pg): Promise<QueueInfoResponse | undefined> => {
        const r = await this.route(pg, deadline);
        if ('hosted' in r) return partitionInfo(r.hosted, name, local, deadline);
        try {
          return (await relayRead(this.node, r.remote, { group: pg.group, info: { name, consistency: local ? 'LOCAL' : 'LINEARIZABLE' } }, deadline)).info ?? undefined;
        } catch (e) {
          if (toStatus(e).code === grpc.status.NOT_FOUND) return undefined;
          throw e;
        }
      }),
    );
    if (infos.some((i) => !i)) return undefined;
    return { ...partitionedInfo(infos as QueueInfoResponse[]), servedBy: this.node.id };
  }

  /** This node's replica of the queue in every partition, in partition order (after a read barrier in each unless LOCAL). */
  async replicas(name: string, placed: readonly PlacedGroup[], local: boolean, deadline: number): Promise<Array<{ ctx: NodeContext; queue: Queue }>> {
    // Dead letters are read from this node's own replicas (they are not relayed yet): say so rather than wait.
    const missing = placed.findIndex((pg) => !this.member(pg));
    if (missing >= 0) throw new StatusError(grpc.status.FAILED_PRECONDITION, `node ${this.node.id} holds no replica of partition ${missing} of "${name}" (group ${placed[missing]!.group}): ask a node that is a member of every partition (see cluster status)`);
    const parts = await Promise.all(placed.map((pg) => this.partition(pg, deadline)));
    if (!local) await Promise.all(parts.map((p) => readBarrier(p.ctx, deadline)));
    return parts.map((p) => {
      const queue = p.queues.queue(name);
      if (!queue) throw new StatusError(grpc.status.NOT_FOUND, `queue "${name}" does not exist`);
      return { ctx: p.ctx, queue };
    });
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
    const outs = await acrossPartitions(
      placed.map((_, p) => p),
      async (p) => {
        const w = await this.writer(placed[p]!, deadline);
        return queueWrite(w.ctx, w.queues, { op, name }, deadline);
      },
      (list) => `partitions ${list} of queue "${name}" were ${op === 'delete' ? 'deleted' : 'purged'}`,
      `${op} it again to finish`,
    );
    return { index: outs[0]?.index ?? 0, purged: outs.reduce((n, o) => n + (o.reply.kind === 'purged' ? o.reply.count : 0), 0) };
  }

  // ---- a member's side of the relays ---------------------------------------

  private hostedOrRefuse(group: number): Partition {
    const p = this.parts.hostedGroup(group);
    if (!p) throw new StatusError(grpc.status.UNAVAILABLE, `node ${this.node.id} does not host group ${group} (yet); nothing was done (not applied); retry shortly`, 'not-applied');
    return p;
  }

  /** Raft.PartitionRead: a Get or an info of one partition, from this member's replica. */
  async servePartitionRead(req: PartitionReadRequest__Output, deadline: number): Promise<PartitionReadResponse> {
    const p = this.hostedOrRefuse(req.group);
    if (req.get) return { get: await p.consumers.pulls.get(req.get, deadline) };
    if (req.info) {
      const i = await partitionInfo(p, req.info.name, req.info.consistency === 'LOCAL', deadline);
      if (!i) throw new StatusError(grpc.status.NOT_FOUND, `queue "${req.info.name}" does not exist`);
      return { info: i };
    }
    throw invalid('a partition read names get or info');
  }

  /** Raft.PartitionConsume: one partition's share of a Consume call on another node, served by this member's consumers as a client's call. */
  servePartitionConsume(call: grpc.ServerDuplexStream<PartitionConsumeRequest__Output, ConsumeResponse>): void {
    call.once('data', (first: PartitionConsumeRequest__Output) => {
      let p: Partition;
      try {
        p = this.hostedOrRefuse(first.group);
        if (!first.request || !first.consumer) throw invalid('the first request of a relayed Consume names the group, the consumer and its first ConsumeRequest');
      } catch (e) {
        call.emit('error', toServiceError(e, this.node.id));
        return;
      }
      // The client's call as LocalConsumers sees it: requests unwrapped, responses and ends passed on.
      const inner = new RelayedCall(call);
      let failed = false;
      inner.on('error', (e: unknown) => {
        if (failed) return;
        failed = true;
        call.emit('error', e);
      });
      call.on('error', (e: unknown) => {
        if (failed) return;
        failed = true;
        inner.emit('error', e);
      });
      call.on('data', (r: PartitionConsumeRequest__Output) => {
        if (r.request) inner.emit('data', r.request);
      });
      call.on('end', () => inner.emit('end'));
      call.on('cancelled', () => inner.emit('cancelled'));
      p.consumers.serve(inner as unknown as ConsumeCall, first.consumer);
      inner.emit('data', first.request);
    });
  }
}

/** A relayed Consume call as a member's LocalConsumers sees it: responses and the end go to the relaying node. */
class RelayedCall extends EventEmitter {
  constructor(private readonly call: grpc.ServerDuplexStream<PartitionConsumeRequest__Output, ConsumeResponse>) {
    super();
  }

  write(res: ConsumeResponse): boolean {
    return this.call.write(res);
  }

  end(): this {
    this.call.end();
    return this;
  }
}

/** A hosted partition's figures (after a read barrier unless `local`); undefined when the queue is not declared there. */
async function partitionInfo(p: Partition, name: string, local: boolean, deadline: number): Promise<QueueInfoResponse | undefined> {
  if (!local) await readBarrier(p.ctx, deadline);
  const i = p.queues.info(name);
  return i ? infoResponse(p.ctx, p.queues, i) : undefined;
}

/**
 * A read relayed to a member of a group not hosted here (its leader, the
 * member that has applied the most), with forwarding's error words. One that
 * certainly did not reach a member (the leader taken is gone, or no longer a
 * member) is sent again to the leader looked up anew, until the deadline.
 */
async function relayRead(node: NodeContext, r: RemoteGroup, req: PartitionReadRequest, deadline: number): Promise<PartitionReadResponse__Output> {
  for (;;) {
    const member = await r.seat.leaderBy(deadline);
    try {
      return await readFrom(node, r, member, req, deadline);
    } catch (e) {
      const s = toStatus(e);
      if (s.code !== grpc.status.UNAVAILABLE) throw e;
      r.seat.refused(member);
      if (s.outcome !== 'not-applied' || Date.now() >= deadline) throw e;
    }
  }
}

function readFrom(node: NodeContext, r: RemoteGroup, member: number, req: PartitionReadRequest, deadline: number): Promise<PartitionReadResponse__Output> {
  const client = node.transport.client(member);
  if (!client) return Promise.reject(new StatusError(grpc.status.UNAVAILABLE, `node ${member}, a member of group ${r.group}, has no known address yet; nothing was done (not applied); retry shortly`, 'not-applied'));
  return new Promise((resolve, reject) => {
    client.PartitionRead(req, node.transport.metadata(), { deadline }, (err, res) => (err ? reject(forwardError(r.ctx, member, err)) : resolve(res!)));
  });
}

/**
 * One partition's share of a Consume call, for a partition whose group this
 * node does not host: the share's requests go, as they are, over a
 * Raft.PartitionConsume call to a member (the group's leader when known,
 * so its settles are proposed where they are made), and its responses come
 * back as they are. If that call fails the client's call fails, as when a
 * local partition's share fails: the client consumes again.
 */
class RelayedConsumers implements PartitionConsumers {
  constructor(
    private readonly node: NodeContext,
    private readonly remote: RemoteGroup,
  ) {}

  serve(call: ConsumeCall, name: string): void {
    const group = this.remote.group;
    const seat = this.remote.seat;
    const until = Date.now() + RELAY_ATTACH_MS;
    let stream: grpc.ClientDuplexStream<PartitionConsumeRequest, ConsumeResponse__Output> | undefined;
    let done = false;
    let ended = false;
    let clientEnded = false;
    /** Requests sent on the current stream, kept until a response shows the member has the call: sent again if it never did. */
    let sent: ConsumeRequest__Output[] = [];
    let answered = false;
    const fail = (e: unknown): void => {
      if (done) return;
      done = true;
      stream?.cancel();
      call.emit('error', toServiceError(e, this.node.id));
    };
    const send = (req: ConsumeRequest__Output): void => {
      stream!.write(sent.length || answered ? { request: req } : { group, consumer: name, request: req });
      if (!answered) sent.push(req);
    };
    call.on('data', (req: ConsumeRequest__Output) => {
      if (done) return;
      if (stream) send(req);
      else sent.push(req);
    });
    call.on('end', () => {
      clientEnded = true;
      stream?.end();
    });
    call.on('cancelled', () => {
      done = true;
      stream?.cancel();
    });
    const attach = (member: number): void => {
      if (done) return;
      const client = this.node.transport.client(member);
      if (!client) return fail(new StatusError(grpc.status.UNAVAILABLE, `node ${member}, a member of group ${group}, has no known address yet; consume again shortly`, 'not-applied'));
      const s = client.PartitionConsume(this.node.transport.metadata());
      stream = s;
      const pending = sent;
      sent = [];
      s.on('data', (res: ConsumeResponse__Output) => {
        if (done || s !== stream) return;
        answered = true;
        sent = [];
        if (res.ended) ended = true;
        call.write(res as ConsumeResponse);
      });
      s.on('error', (err: grpc.ServiceError) => {
        if (done || ended || s !== stream) return;
        const e = forwardError(this.remote.ctx, member, err);
        if (e.code === grpc.status.UNAVAILABLE) seat.refused(member);
        // The member never had the call (the leader taken is gone): the same requests go to the leader looked up anew.
        if (e.code === grpc.status.UNAVAILABLE && e.outcome === 'not-applied' && !answered && Date.now() < until) {
          stream = undefined;
          seat.leaderBy(until).then(attach, fail);
          return;
        }
        fail(new StatusError(e.code, `partition group ${group}, consumed through node ${member}: ${e.message}; consume again`, e.outcome));
      });
      // The member ends the call after its last response (ended, or the client's end).
      s.on('end', () => {
        if (!done && !ended && !clientEnded && s === stream) fail(new StatusError(grpc.status.UNAVAILABLE, `node ${member} ended its share of partition group ${group} without saying why; consume again`, 'unknown'));
      });
      for (const r of pending) send(r);
      if (clientEnded) s.end();
    };
    seat.leaderBy(until).then(attach, fail);
  }
}

/** The peer port's side of the relays: a member serves a partition's reads and consumers for the node that relays them. */
export function partitionPeerHandlers(node: NodeContext): Pick<RaftHandlers, 'PartitionRead' | 'PartitionConsume'> {
  const served = (): PartitionedQueues => {
    const p = byNode.get(node);
    if (!p) throw new StatusError(grpc.status.UNAVAILABLE, `node ${node.id} is starting; nothing was done (not applied); retry shortly`, 'not-applied');
    return p;
  };
  return {
    PartitionRead: (call, callback) => {
      const who = node.transport.admitCall(call);
      if ('error' in who) return callback(who.error);
      const d = call.getDeadline();
      const deadline = answerBy(d instanceof Date ? d.getTime() : Number.isFinite(d) ? d : Date.now() + 30_000);
      Promise.resolve()
        .then(() => {
          if (!node.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${node.id} is not serving; nothing was done (not applied); retry`, 'not-applied');
          return served().servePartitionRead(call.request, deadline);
        })
        .then(
          (res) => callback(null, res),
          (e: unknown) => callback(toServiceError(e, node.id)),
        );
    },
    PartitionConsume: (call) => {
      const who = node.transport.admitCall(call);
      if ('error' in who) {
        call.emit('error', who.error);
        return;
      }
      try {
        if (!node.serving) throw new StatusError(grpc.status.UNAVAILABLE, `node ${node.id} is not serving; consume again`, 'not-applied');
        served().servePartitionConsume(call);
      } catch (e) {
        call.emit('error', toServiceError(e, node.id));
      }
    },
  };
}

/** What a partitioned queue does not offer yet. */
export const notOnPartitioned = (name: string, what: string): StatusError =>
  new StatusError(grpc.status.FAILED_PRECONDITION, `queue "${name}" is partitioned: ${what} is not supported on partitioned queues yet`);
