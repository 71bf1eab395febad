// Message bodies for deliveries and dead-letter listings, read from this
// node's own log: the queue's state holds only where each body is (entry
// index, the publish's position in the entry, the message's slot in it).
// Entries are read once per distinct index, contiguous indexes in one call.

import * as grpc from '@grpc/grpc-js';
import type { GroupLog } from '../../../raft/host/wal.js';
import type { QueueMessage } from '../../machine/queues/commands.js';
import { publishedMessagesIn } from '../../machine/queues/commands.js';
import type { Delivery } from '../../machine/queues/queue.js';
import type { Delivery as ProtoDelivery } from '../../../proto/generated/quorumq/v1/Delivery.js';
import { StatusError } from '../rpc/status.js';

export interface BodyPlace {
  readonly raftIndex: number;
  readonly part: number;
  readonly slot: number;
}

/** The messages at `places`, in the same order. */
export async function readBodies(log: Pick<GroupLog, 'readEntries'>, places: readonly BodyPlace[]): Promise<QueueMessage[]> {
  const indexes = [...new Set(places.map((p) => p.raftIndex))].sort((a, b) => a - b);
  const data = new Map<number, Uint8Array>();
  let k = 0;
  while (k < indexes.length) {
    // A run of consecutive indexes: one read.
    let j = k;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    let at = indexes[k]!;
    const hi = indexes[j]! + 1;
    while (at < hi) {
      const entries = await log.readEntries(at, hi, 16 << 20);
      if (entries.length === 0) break;
      for (const e of entries) data.set(e.index, e.data);
      at = entries[entries.length - 1]!.index + 1;
    }
    k = j + 1;
  }
  // Each publish command decoded once, however many of its messages are asked for.
  const commands = new Map<string, (slot: number) => QueueMessage>();
  return places.map((p) => {
    const key = `${p.raftIndex}:${p.part}`;
    let at = commands.get(key);
    if (!at) {
      const d = data.get(p.raftIndex);
      if (!d) throw new StatusError(grpc.status.UNAVAILABLE, `log entry ${p.raftIndex} holding a queued message is not on this node (it may be catching up); retry`);
      at = publishedMessagesIn(d, p.part);
      commands.set(key, at);
    }
    return at(p.slot);
  });
}

/**
 * Deliveries as a consumer receives them: each with its body and headers from
 * this node's log; a dead letter moved from another queue also carries
 * x-dead-letter-* headers saying where from and why.
 */
export async function withBodies(log: Pick<GroupLog, 'readEntries'>, ds: readonly Delivery[]): Promise<ProtoDelivery[]> {
  const bodies = await readBodies(log, ds);
  return ds.map((d, i) => {
    const m = bodies[i]!;
    const headers = m.headers.map(([key, value]) => ({ key, value }));
    const o = d.deadLetter;
    if (o) {
      headers.push(
        { key: 'x-dead-letter-reason', value: o.reason },
        { key: 'x-dead-letter-queue', value: o.queue },
        { key: 'x-dead-letter-time', value: new Date(o.at).toISOString() },
        { key: 'x-dead-letter-failed', value: String(o.failed) },
        { key: 'x-dead-letter-acquired', value: String(o.acquired) },
      );
    }
    return {
      tag: d.tag,
      headers,
      body: Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength),
      priority: d.priority,
      redelivered: d.redelivered,
      acquired: d.acquired,
      failed: d.failed,
      deliveredAtMs: d.at,
    };
  });
}
