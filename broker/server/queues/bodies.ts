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

/**
 * Log entries read lately, most recently used last, bounded by their bytes,
 * with the publish commands in them decoded as they are asked for. Consumers
 * of a grouped queue take one or a few messages of a publish per read (a
 * group has one in flight), so without it every read decoded the whole
 * 256-message command again: 290-514 us of server CPU per delivered message
 * against ~55 without groups (bench queue-features). A body never changes
 * once applied (the queue only points at committed entries), so nothing is
 * ever stale.
 *
 * Kept per entry, not per command: the decoded messages' bodies are views
 * into the entry's bytes, so an entry's commands together hold its bytes
 * once. Counted per command, an entry of three publishes counted three
 * times, and the groups' working set no longer fitted: a third of what a
 * grouped consumer read was decoded again (bench queue-features, 1 000
 * groups: 6.9 us of body reading per message against 2.0 without groups).
 */
export class DecodedPublishes {
  private readonly map = new Map<number, { readonly data: Uint8Array; readonly parts: Map<number, (slot: number) => QueueMessage> }>();
  private bytes = 0;

  constructor(readonly maxBytes = 32 << 20) {}

  /** The messages of command `part` of entry `raftIndex`, by slot, if the entry is kept (decoded now if not yet). */
  get(raftIndex: number, part: number): ((slot: number) => QueueMessage) | undefined {
    const e = this.map.get(raftIndex);
    if (!e) return undefined;
    this.map.delete(raftIndex);
    this.map.set(raftIndex, e);
    let at = e.parts.get(part);
    if (!at) e.parts.set(part, (at = publishedMessagesIn(e.data, part)));
    return at;
  }

  /** Keep the data of entry `raftIndex` (not if it alone is over the bound), pushing out the least recently used. */
  keep(raftIndex: number, data: Uint8Array): void {
    if (data.byteLength > this.maxBytes || this.map.has(raftIndex)) return;
    this.map.set(raftIndex, { data, parts: new Map() });
    this.bytes += data.byteLength;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.data.byteLength;
    }
  }

  /** Entries kept. */
  get size(): number {
    return this.map.size;
  }
}

/** One cache per log (per node and group): the bodies of one log's entries. */
const cachesByLog = new WeakMap<object, DecodedPublishes>();

function cacheOf(log: object): DecodedPublishes {
  let c = cachesByLog.get(log);
  if (!c) cachesByLog.set(log, (c = new DecodedPublishes()));
  return c;
}

/** The data of the entries at `indexes` (ascending): contiguous runs in one read each. */
async function readData(log: Pick<GroupLog, 'readEntries'>, indexes: readonly number[]): Promise<Map<number, Uint8Array>> {
  const data = new Map<number, Uint8Array>();
  let k = 0;
  while (k < indexes.length) {
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
  return data;
}

/**
 * The messages at `places`, in the same order. Each publish command is
 * decoded once, however many of its messages are asked for, and kept decoded
 * with its entry for the next reads (DecodedPublishes); only entries not kept
 * are read from the log.
 */
export async function readBodies(log: Pick<GroupLog, 'readEntries'>, places: readonly BodyPlace[], cache: DecodedPublishes = cacheOf(log)): Promise<QueueMessage[]> {
  const decoded = new Map<string, (slot: number) => QueueMessage>();
  const missing = new Set<number>();
  const keys = places.map((p) => {
    const key = `${p.raftIndex}:${p.part}`;
    if (!decoded.has(key)) {
      const at = cache.get(p.raftIndex, p.part);
      if (at) decoded.set(key, at);
      else missing.add(p.raftIndex);
    }
    return key;
  });
  const data = missing.size ? await readData(log, [...missing].sort((a, b) => a - b)) : undefined;
  if (data) for (const [index, d] of data) cache.keep(index, d);
  return places.map((p, i) => {
    const key = keys[i]!;
    let at = decoded.get(key);
    if (!at) {
      const d = data?.get(p.raftIndex);
      if (!d) throw new StatusError(grpc.status.UNAVAILABLE, `log entry ${p.raftIndex} holding a queued message is not on this node (it may be catching up); retry`);
      // Decoded through the cache when it kept the entry, so the next reads find it; directly when the entry is too large to keep.
      at = cache.get(p.raftIndex, p.part) ?? publishedMessagesIn(d, p.part);
      decoded.set(key, at);
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
