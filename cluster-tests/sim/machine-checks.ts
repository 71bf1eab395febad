// The invariants of the host simulation at the machine level.
//
//   machine-divergence  every member's machine state at the same applied
//                       index is byte-identical. A "claim" is a state's
//                       snapshot bytes at an index: a member applying an
//                       index the run samples, restoring a snapshot or a
//                       checkpoint (at start-up, or installing a leader's),
//                       saving a snapshot or a
//                       checkpoint, and every member's state at the end. The
//                       first claim at an index is the reference for the rest.
//   snapshot-replay     restoring a snapshot then replaying equals replaying
//                       from the start: at the end, every claim is compared
//                       with a fresh registry that replayed the canonical
//                       committed log from index 1; and every member's own
//                       snapshot and checkpoint, restored into a fresh
//                       registry and replayed from its own log up to its
//                       applied index, must equal its live state.
//   unreadable-append   every confirmed stream append is readable at its
//                       offsets on every member after healing, through the
//                       streams machine's readPlan and the member's own log
//                       (as broker/server/streams/stream-reader.ts reads), with
//                       the bytes the client sent. Appends that retention
//                       has since dropped (a stream with limits) are skipped.
//   lost-queue-message  every message of a confirmed queue publish is, on
//                       every member after healing, still held by a queue
//                       (ready, delayed, unacked, dead-lettered, or moved to a
//                       dead-letter queue), unless an ack of it was proposed.
//   acked-queue-message every message of a confirmed publish whose ack was
//                       confirmed (its tag not among the unknown ones) is held
//                       by no queue on any member: an ack the client saw is
//                       never undone.
//   queue-divergence    the members' queues hold the same messages with the
//                       same figures (they are compared at the same applied
//                       index; machine-divergence compares the bytes too).

import { CompactedError } from '../../raft/core/errors.js';
import type { Entry, NodeId } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import { QueryError } from '../../broker/machine/api.js';
import { createMachines } from '../../broker/machine/machines.js';
import type { StreamMessage } from '../../broker/machine/streams/commands.js';
import { appendedMessagesIn } from '../../broker/machine/streams/commands.js';
import { StreamsMachine } from '../../broker/machine/streams/machine.js';
import { QueuesMachine } from '../../broker/machine/queues/machine.js';
import type { Checker } from './checkers.js';

/** A confirmed stream append: what every member must serve at these offsets after healing. */
export interface ConfirmedAppend {
  readonly stream: string;
  /** The stream drops old messages: the append may be gone by the end (below the stream's first offset). */
  readonly retained: boolean;
  readonly firstOffset: number;
  readonly messages: readonly StreamMessage[];
  /** Where the client learned it: node, index and term of the confirming entry. */
  readonly node: NodeId;
  readonly index: number;
}

/** A confirmed queue publish (not a duplicate): `count` messages at slots 0.. of command `part` of entry `index`. */
export interface ConfirmedPublish {
  readonly queue: string;
  readonly index: number;
  readonly part: number;
  readonly count: number;
  readonly node: NodeId;
}

/** What the queue clients learned: confirmed publishes, and acks by message place ("index:part:slot"). */
export interface QueueHistory {
  readonly publishes: readonly ConfirmedPublish[];
  /** Places whose ack was proposed (whatever became of it): they may be gone. */
  readonly maybeAcked: ReadonlySet<string>;
  /** Places whose ack was confirmed applied: they must be gone. */
  readonly acked: ReadonlySet<string>;
}

export const placeKey = (raftIndex: number, part: number, slot: number): string => `${raftIndex}:${part}:${slot}`;

interface Claim {
  readonly digest: number;
  readonly bytes: number;
  readonly node: NodeId;
  readonly what: string;
}

/** The parts of a member the end checks read. */
export interface Member {
  readonly id: NodeId;
  readonly registry: import('../../broker/machine/registry.js').MachineRegistry;
  readonly log: import('../../log/memory-wal.js').MemoryGroupLog;
  readonly applied: number;
}

export class MachineChecks {
  private readonly claims = new Map<number, Claim>();
  /** The committed log's Normal entries, from the first member to apply each. */
  private readonly canon = new Map<number, Entry>();
  private maxCanon = 0;
  claimsMade = 0;
  /** Confirmed appends read back (per member), and those found dropped by retention. */
  appendsRead = 0;
  appendsDropped = 0;
  /** Confirmed queue messages found held (per member), and found acked. */
  queueMessagesHeld = 0;
  queueMessagesAcked = 0;
  /** The first member's queue view at the end, with its applied index (see checkQueues). */
  private queueView: { node: NodeId; applied: number; digest: string } | undefined;

  constructor(
    private readonly checker: Checker,
    /** Members claim their state at every index divisible by this. */
    private readonly sampleEvery: number,
  ) {}

  samples(index: number): boolean {
    return index % this.sampleEvery === 0;
  }

  claim(node: NodeId, index: number, state: Uint8Array, what: string): void {
    if (index === 0) return;
    this.claimsMade++;
    const digest = digestOf(state);
    const first = this.claims.get(index);
    if (!first) {
      this.claims.set(index, { digest, bytes: state.byteLength, node, what });
      return;
    }
    if (first.digest !== digest) {
      this.checker.fail(
        'machine-divergence',
        node,
        `node ${node} ${what} index ${index} a machine state (${state.byteLength} bytes) that differs from the one node ${first.node} ${first.what} it (${first.bytes} bytes)`,
      );
    }
  }

  /** A committed Normal entry was applied somewhere (the checker has verified it is the committed one). */
  committed(e: Entry): void {
    if (this.canon.has(e.index)) return;
    this.canon.set(e.index, e);
    if (e.index > this.maxCanon) this.maxCanon = e.index;
  }

  /** Replay the committed log from index 1 in a fresh registry and compare it with every claim. */
  replayFromStart(): void {
    const reg = createMachines();
    const last = Math.max(0, ...this.claims.keys());
    for (let i = 1; i <= last; i++) {
      const e = this.canon.get(i);
      if (e && e.type === EntryType.Normal && e.data.byteLength > 0) reg.apply(e);
      const c = this.claims.get(i);
      if (!c) continue;
      if (i > this.maxCanon) {
        this.checker.fail('snapshot-replay', c.node, `node ${c.node} ${c.what} index ${i}, beyond every entry known committed (${this.maxCanon})`);
        return;
      }
      const state = reg.snapshot();
      if (digestOf(state) !== c.digest) {
        this.checker.fail(
          'snapshot-replay',
          c.node,
          `replaying the committed log from the start to ${i} gives a machine state (${state.byteLength} bytes) other than the one node ${c.node} ${c.what} it (${c.bytes} bytes)`,
        );
        return;
      }
    }
  }

  /** Restore the member's own snapshot (and checkpoint), replay its log to its applied index: the live state. */
  restoreAndReplay(m: Member): void {
    const live = m.registry.snapshot();
    this.claim(m.id, m.applied, live, 'holds at the end, at');
    const bases: { index: number; data: Uint8Array; what: string }[] = [];
    const snap = m.log.snapshot();
    if (snap.meta.index > 0) bases.push({ index: snap.meta.index, data: snap.data, what: 'snapshot' });
    const cp = m.log.checkpoint();
    if (cp && cp.index > snap.meta.index) bases.push({ index: cp.index, data: cp.data, what: 'checkpoint' });
    for (const b of bases) {
      if (b.index > m.applied) continue;
      const reg = createMachines();
      reg.restore(b.data);
      if (b.index < m.applied) {
        let entries: Entry[];
        try {
          entries = m.log.entries(b.index + 1, m.applied + 1, Number.MAX_SAFE_INTEGER) as Entry[];
        } catch (e) {
          this.checker.fail('snapshot-replay', m.id, `node ${m.id} cannot replay its log after its ${b.what} at ${b.index}: ${(e as Error).message}`);
          continue;
        }
        for (const e of entries) if (e.type === EntryType.Normal && e.data.byteLength > 0) reg.apply(e);
      }
      if (digestOf(reg.snapshot()) !== digestOf(live)) {
        this.checker.fail('snapshot-replay', m.id, `node ${m.id}: its ${b.what} at ${b.index} restored and its log replayed to ${m.applied} differs from its live machine state there`);
      }
    }
  }

  /** Every confirmed publish held or possibly acked, every confirmed ack gone, and the members agreeing, on `m`. */
  checkQueues(m: Member, h: QueueHistory): void {
    const queues = m.registry.get(QueuesMachine);
    const held = new Set<string>();
    for (const name of queues.names()) for (const p of queues.queue(name)!.places()) held.add(placeKey(p.raftIndex, p.part, p.slot));
    for (const c of h.publishes) {
      for (let slot = 0; slot < c.count; slot++) {
        const k = placeKey(c.index, c.part, slot);
        if (held.has(k)) this.queueMessagesHeld++;
        else if (h.maybeAcked.has(k)) this.queueMessagesAcked++;
        else {
          this.checker.fail('lost-queue-message', m.id, `node ${m.id} holds message ${slot} of the publish to "${c.queue}" confirmed at entry ${c.index}:${c.part} (on node ${c.node}) in no queue, and no ack of it was ever proposed`);
          return;
        }
      }
    }
    // Only places of confirmed publishes name one message (a schedule's messages all share its entry's place).
    const published = new Set<string>();
    for (const c of h.publishes) for (let slot = 0; slot < c.count; slot++) published.add(placeKey(c.index, c.part, slot));
    for (const k of h.acked) {
      if (published.has(k) && held.has(k)) {
        this.checker.fail('acked-queue-message', m.id, `node ${m.id} still holds the message at ${k}, whose ack was confirmed`);
        return;
      }
    }
    const digest = queueDigest(queues, [...held].sort());
    const v = this.queueView;
    if (!v) this.queueView = { node: m.id, applied: m.applied, digest };
    else if (v.applied === m.applied && v.digest !== digest) {
      this.checker.fail('queue-divergence', m.id, `node ${m.id}'s queues at applied index ${m.applied} differ from node ${v.node}'s there (held messages or figures)`);
    }
  }

  /** Read every confirmed append back on `m`, at its offsets, and compare the bytes. */
  async readBack(m: Member, confirmed: readonly ConfirmedAppend[]): Promise<void> {
    const streams = m.registry.get(StreamsMachine);
    for (const c of confirmed) {
      let spans;
      try {
        spans = streams.readPlan(c.stream, c.firstOffset, c.messages.length);
      } catch (e) {
        if (e instanceof QueryError && e.code === 'out-of-range' && c.retained) {
          this.appendsDropped++;
          continue;
        }
        this.checker.fail('unreadable-append', m.id, `node ${m.id} cannot plan a read of confirmed append ${c.stream}@${c.firstOffset} (entry ${c.index} on node ${c.node}): ${(e as Error).message}`);
        return;
      }
      let k = 0;
      for (const span of spans) {
        let got: Entry[];
        try {
          got = await m.log.readEntries(span.raftIndex, span.raftIndex + 1, Number.MAX_SAFE_INTEGER);
        } catch (e) {
          const why = e instanceof CompactedError ? `entry ${span.raftIndex} was compacted away (log starts at ${m.log.firstIndex()})` : (e as Error).message;
          this.checker.fail('unreadable-append', m.id, `node ${m.id} cannot read confirmed append ${c.stream}@${c.firstOffset}: ${why}`);
          return;
        }
        const e = got[0];
        let msgs: StreamMessage[];
        try {
          if (!e || e.index !== span.raftIndex) throw new Error(`the log returned ${e ? `entry ${e.index}` : 'nothing'}`);
          msgs = appendedMessagesIn(e.data, span.part);
        } catch (err) {
          this.checker.fail('unreadable-append', m.id, `node ${m.id}: entry ${span.raftIndex}:${span.part} of ${c.stream}@${c.firstOffset} does not hold the append: ${(err as Error).message}`);
          return;
        }
        for (let j = span.skip; j < span.skip + span.take; j++, k++) {
          const want = c.messages[k];
          const have = msgs[span.slot + j];
          if (!want || !have || !sameMessage(want, have)) {
            this.checker.fail('unreadable-append', m.id, `node ${m.id} serves other bytes at ${c.stream}@${c.firstOffset + k} than the confirmed append stored (entry ${c.index} on node ${c.node})`);
            return;
          }
        }
      }
      if (k !== c.messages.length) {
        this.checker.fail('unreadable-append', m.id, `node ${m.id} serves ${k} of the ${c.messages.length} messages confirmed at ${c.stream}@${c.firstOffset}`);
        return;
      }
      this.appendsRead++;
    }
  }
}

/** Sorted places and figures of every queue: equal on members at one applied index. */
function queueDigest(q: QueuesMachine, held: readonly string[]): string {
  return JSON.stringify({ held, queues: q.names().map((n) => q.info(n)) });
}

function sameMessage(a: StreamMessage, b: StreamMessage): boolean {
  if (a.headers.length !== b.headers.length || a.body.byteLength !== b.body.byteLength) return false;
  for (let i = 0; i < a.headers.length; i++) if (a.headers[i]![0] !== b.headers[i]![0] || a.headers[i]![1] !== b.headers[i]![1]) return false;
  for (let i = 0; i < a.body.byteLength; i++) if (a.body[i] !== b.body[i]) return false;
  return true;
}

/** Two independent 32-bit FNV-1a lanes: a 53-bit digest of a machine state. */
export function digestOf(b: Uint8Array): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ b.byteLength;
  for (let i = 0; i < b.byteLength; i++) {
    h1 = Math.imul(h1 ^ b[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ b[i]!, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return ((h2 >>> 0) & 0x1fffff) * 4294967296 + (h1 >>> 0);
}
