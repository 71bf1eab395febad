// The driver's seams: everything a replica host needs from the outside world,
// as small interfaces, so the same host runs over gRPC and LevelDB in the
// server and over in-memory fakes in tests.

import type { Entry, GroupId, Message, NodeId, SnapshotMeta } from '../core/types.js';
import { atTurnEnd } from './turn-end.js';

/** What the transport tells the node about: inbound messages and delivery trouble. */
export interface TransportListener {
  /** A message for one of this node's groups. */
  message(m: Message): void;
  /** `peer` could not be reached (a stream broke or a queue overflowed): every group should slow down replication to it. */
  unreachable(peer: NodeId): void;
  /** A snapshot sent to `peer` for `group` was installed (ok) or failed. */
  snapshotDone(group: GroupId, peer: NodeId, ok: boolean): void;
  /**
   * Sender side: the entries to send along with `group`'s snapshot at `index`
   * (the entries kept below it, see raft/host/snapshotter.ts snapshotEntries),
   * in chunks of about `chunkBytes`. Absent: nothing besides the snapshot.
   */
  snapshotEntries?(group: GroupId, index: number, chunkBytes: number): AsyncIterable<Entry[]>;
  /** Receiver side: keep entries a leader sent along with a snapshot; resolves once queued for the log, before the snapshot is stepped. */
  storeSnapshotEntries?(group: GroupId, entries: readonly Entry[]): Promise<void>;
  /** Something (a batch of messages, or a keepalive) arrived from `peer`: node-level liveness (ticker.ts). */
  heard?(peer: NodeId): void;
}

/** Node-to-node delivery. Best effort: Raft tolerates loss, duplication and reordering. */
export interface Transport {
  /** Queue messages for their receivers. Never blocks and never throws for an unreachable peer. */
  send(messages: readonly Message[]): void;
  listen(listener: TransportListener): void;
}

/**
 * Time and every deferral the host makes, so tests can drive them: the
 * deterministic simulation runs each callback as one event on its virtual
 * clock (cluster-tests/sim).
 */
export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Run `fn` after the work of this turn (setImmediate; in production together with every other end-of-turn flush, see turn-end.ts). */
  defer(fn: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  // Monotonic and sub-millisecond: used for durations (persist latency).
  now: () => performance.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  // Shared with the write path and the transport: one deferral per turn for all three (turn-end.ts).
  defer: (fn) => atTurnEnd(fn),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The subset of pino the host uses; a pino logger satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

/**
 * The replicated application. Deterministic: the same entries in the same
 * order yield the same state and results on every member.
 */
export interface StateMachine<R = unknown> {
  /** Apply one committed Normal entry with data; the result goes to the proposer (on the node that proposed it). */
  apply(entry: Entry): R;
  /** The whole state as of the last applied entry. */
  snapshot(): Uint8Array;
  /** Replace the state with a snapshot's. */
  restore(data: Uint8Array, meta: SnapshotMeta): void;
  /**
   * Throw unless `data` is a snapshot this machine can restore, without
   * touching the state. A snapshot from a peer is checked with it before the
   * core sees it: a snapshot that is persisted and then fails to restore
   * keeps the node from ever starting again.
   */
  verifySnapshot?(data: Uint8Array): void;
}
