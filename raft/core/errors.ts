// The core's errors: one small class each, with a stable `name` so that callers
// (and tests) match on the type, never on message text.

import type { NodeId } from './types.js';

export class RaftError extends Error {
  override readonly name: string = 'RaftError';
}

/** A proposal, read or membership change reached a node that is not the leader. */
export class NotLeaderError extends RaftError {
  override readonly name = 'NotLeaderError';
  constructor(readonly leader: NodeId) {
    super(leader ? `not the leader; the leader is node ${leader}` : 'not the leader, and no leader is known');
  }
}

/** The leader is handing leadership over and takes no proposals meanwhile. */
export class TransferInProgressError extends RaftError {
  override readonly name = 'TransferInProgressError';
  constructor(readonly target: NodeId) {
    super(`leadership is being transferred to node ${target}`);
  }
}

/** A membership change while another is still unapplied, or before the leader committed its own term. */
export class ConfChangeInProgressError extends RaftError {
  override readonly name = 'ConfChangeInProgressError';
}

/** A membership change that makes no sense for the current configuration. */
export class InvalidConfChangeError extends RaftError {
  override readonly name = 'InvalidConfChangeError';
}

/** Asked for log entries below the first retained index. */
export class CompactedError extends RaftError {
  override readonly name = 'CompactedError';
  constructor(readonly index: number, readonly firstIndex: number) {
    super(`index ${index} is compacted; the log starts at ${firstIndex}`);
  }
}

/** The application is producing a snapshot; the leader retries later. */
export class SnapshotUnavailableError extends RaftError {
  override readonly name = 'SnapshotUnavailableError';
}

/** The configuration given to the core is inconsistent. */
export class ConfigError extends RaftError {
  override readonly name = 'ConfigError';
}

/** The proposal queue is full: the caller should push back on its clients. */
export class ProposalDroppedError extends RaftError {
  override readonly name = 'ProposalDroppedError';
}
