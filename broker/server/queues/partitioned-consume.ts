// One Consume call on a partitioned queue: a consumer of the same name is
// attached to every partition — its local replica's consumers on a member of
// the partition's group, a member's through a relay on any other node
// (partitioned.ts RelayedConsumers) — each with an even share of the prefetch. What
// each partition delivers goes out on the one call with tags that name the
// partition (partition-hash.ts); settles are split by partition and the
// client's request is confirmed once every partition confirmed its part.
// Each partition's share is served by that group's LocalConsumers as if it
// were a call of its own (PartitionCall), so subscribe, cancel, node-down
// and snapshot handling are the ordinary ones.

import { EventEmitter } from 'node:events';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse } from '../../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { ConsumeCall } from './consumers.js';
import { partitionTag, splitTag } from './partition-tags.js';

/** Serves one partition's share of a call as a call of its own: LocalConsumers, or a relay to a member. */
export interface PartitionConsumers {
  serve(call: ConsumeCall, name: string): void;
}

/** A partition's share of a prefetch: even, and at least one. */
export const prefetchShare = (prefetch: number, partitions: number): number => Math.max(1, Math.ceil(prefetch / partitions));

/** One partition's share of the client's call, as that partition's LocalConsumers sees it. */
class PartitionCall extends EventEmitter {
  constructor(
    private readonly partition: number,
    private readonly fan: FanIn,
  ) {
    super();
  }

  write(res: ConsumeResponse): boolean {
    this.fan.fromPartition(this.partition, res);
    return true;
  }

  end(): this {
    return this;
  }
}

interface PendingConfirm {
  readonly requestId: number;
  left: number;
  readonly unknown: number[];
}

class FanIn {
  private readonly subs: PartitionCall[] = [];
  private readonly confirms = new Map<number, PendingConfirm>();
  private nextRequest = 1;
  private closed = false;
  private named = false;
  private clientEnded = false;

  constructor(
    private readonly call: ConsumeCall,
    private readonly name: string,
  ) {}

  start(partitions: readonly PartitionConsumers[], first: ConsumeRequest__Output): void {
    const n = partitions.length;
    partitions.forEach((consumers, p) => {
      const sub = new PartitionCall(p, this);
      this.subs.push(sub);
      sub.on('error', (e: unknown) => this.partitionFailed(e));
      consumers.serve(sub as unknown as ConsumeCall, this.name);
      sub.emit('data', { ...first, prefetch: prefetchShare(first.prefetch, n) });
    });
    this.call.on('data', (req: ConsumeRequest__Output) => this.request(req));
    this.call.on('end', () => {
      if (this.clientEnded) return;
      this.clientEnded = true;
      for (const s of this.subs) s.emit('end');
    });
    const gone = (): void => {
      if (this.closed) return;
      this.closed = true;
      for (const s of this.subs) s.emit('cancelled');
    };
    this.call.on('cancelled', gone);
    this.call.on('error', gone);
  }

  /** A later request: its settles go to the partitions whose tags it names; a prefetch change to every partition. */
  private request(req: ConsumeRequest__Output): void {
    if (this.closed) return;
    const n = this.subs.length;
    const per = this.subs.map(() => ({ ack: [] as number[], requeue: [] as number[], reject: [] as number[] }));
    const direct: number[] = [];
    for (const outcome of ['ack', 'requeue', 'reject'] as const) {
      for (const wire of req[outcome]) {
        const { tag, partition } = splitTag(Number(wire));
        // A tag naming no partition of this queue was never delivered by it.
        if (partition >= n) direct.push(Number(wire));
        else per[partition]![outcome].push(tag);
      }
    }
    const targets = per.map((t, p) => (req.prefetch || t.ack.length + t.requeue.length + t.reject.length > 0 ? p : -1)).filter((p) => p >= 0);
    let internal = 0;
    if (req.requestId) {
      if (!targets.length) {
        this.write({ confirmed: req.requestId, unknownTags: direct });
        return;
      }
      internal = this.nextRequest++;
      this.confirms.set(internal, { requestId: req.requestId, left: targets.length, unknown: direct });
    }
    for (const p of targets) {
      this.subs[p]!.emit('data', { ...req, ...per[p]!, prefetch: req.prefetch ? prefetchShare(req.prefetch, n) : 0, requestId: internal });
    }
  }

  fromPartition(p: number, res: ConsumeResponse): void {
    if (this.closed) return;
    if (res.deliveries?.length) this.write({ deliveries: res.deliveries.map((d) => ({ ...d, tag: partitionTag(Number(d.tag), p) })) });
    if (res.confirmed) {
      const c = this.confirms.get(Number(res.confirmed));
      if (c) {
        for (const t of res.unknownTags ?? []) c.unknown.push(partitionTag(Number(t), p));
        if (--c.left === 0) {
          this.confirms.delete(Number(res.confirmed));
          this.write({ confirmed: c.requestId, unknownTags: c.unknown.sort((a, b) => a - b) });
        }
      }
    }
    if (res.ended) {
      // One partition ended the call (the queue was deleted, this node was taken for gone, the client closed): the others end too.
      this.closed = true;
      this.write({ ended: res.ended }, true);
      this.call.end();
      if (!this.clientEnded) for (const s of this.subs) s.emit('end');
    }
  }

  private partitionFailed(e: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.call.emit('error', e);
    for (const s of this.subs) s.emit('cancelled');
  }

  private write(res: ConsumeResponse, evenIfClosed = false): void {
    if (this.closed && !evenIfClosed) return;
    if (!this.named) {
      res.consumer = this.name;
      this.named = true;
    }
    this.call.write(res);
  }
}

/** Serve a Consume call on a partitioned queue whose first request is `first`, through each partition's LocalConsumers. */
export function serveFanIn(call: ConsumeCall, partitions: readonly PartitionConsumers[], first: ConsumeRequest__Output, name: string): void {
  new FanIn(call, name).start(partitions, first);
}
