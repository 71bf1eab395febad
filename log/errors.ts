// The log's errors: one small class each with a stable `name`, so the driver
// and tests match on the type (and on fields such as `group` and `index`),
// never on message text. The underlying LevelDB error, when there is one,
// travels as `cause`.

import type { GroupId, NodeId } from '../raft/core/types.js';

export class WalError extends Error {
  override readonly name: string = 'WalError';
}

/** Another process (or another open Wal in this one) holds the data directory. */
export class WalLockedError extends WalError {
  override readonly name = 'WalLockedError';
  constructor(readonly dir: string, options?: { cause?: unknown }) {
    super(`data directory ${dir} is in use by another process (LevelDB lock held)`, options);
  }
}

/** The data directory belongs to another cluster or another node. */
export class WalIdentityError extends WalError {
  override readonly name = 'WalIdentityError';
  constructor(
    readonly dir: string,
    readonly found: { readonly clusterId: string; readonly nodeId: NodeId },
    readonly expected: { readonly clusterId: string; readonly nodeId: NodeId },
  ) {
    super(
      `data directory ${dir} belongs to cluster "${found.clusterId}" node ${found.nodeId}, ` +
        `not cluster "${expected.clusterId}" node ${expected.nodeId}; refusing to start on another node's data`,
    );
  }
}

/** What kind of record a damaged key held, for the operator reading the message. */
export type RecordKind =
  | 'entry'
  | 'term-run'
  | 'hard-state'
  | 'conf-state'
  | 'first-index'
  | 'snapshot-meta'
  | 'snapshot-chunk'
  | 'checkpoint'
  | 'identity';

/**
 * Stored data failed its checksum, has an unknown format version, or the log's
 * structure is broken (a missing entry inside the log). The node must not serve
 * it: the operator restores this node from its peers.
 */
export class WalCorruptionError extends WalError {
  override readonly name = 'WalCorruptionError';
  constructor(
    readonly group: GroupId | undefined,
    readonly kind: RecordKind,
    /** The entry or term-run index, or the snapshot chunk number; undefined for single records. */
    readonly index: number | undefined,
    readonly reason: string,
    options?: { cause?: unknown; storage?: boolean },
  ) {
    const where = group === undefined ? 'node metadata' : `group ${group}`;
    const at = index === undefined ? '' : ` at index ${index}`;
    super(`corrupt ${kind} record in ${where}${at}: ${reason}`, options);
    this.storage = options?.storage === true;
  }
  /** LevelDB itself could not read the data (a damaged table block), rather than one of our records failing its check. */
  readonly storage: boolean;
}

/** A write failed; the in-memory view may be ahead of the disk, so the Wal refuses further work. */
export class WalWriteError extends WalError {
  override readonly name = 'WalWriteError';
}

/** The Wal (or this group's log) was closed. */
export class WalClosedError extends WalError {
  override readonly name = 'WalClosedError';
  constructor() {
    super('the log is closed');
  }
}
