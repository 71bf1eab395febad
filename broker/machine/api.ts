// The one API every replicated machine implements (the cluster address book,
// the key-value store, streams; queues and exchanges next). Shaped after
// rabbitmq/ra's machine behaviour: a deterministic fold over committed
// commands that answers its proposer and asks for effects.
//
// A machine is an object whose state changes only in apply(), tick() and
// restore(). It reads no clock, no random source and no node identity: time
// is `meta.time`, the leader's clock stamped into the entry when it was
// proposed, made monotonic by the registry. So every member, and a restart
// replaying the log, computes the same state and the same replies.
//
// Effects are what a machine wants done outside itself: notify a reader,
// deliver to a consumer attached to this node, wake a waiter. They are data;
// the node executes them — those addressed to the leader only while this node
// leads, those addressed to every node everywhere. Followers and replays drop
// or repeat them, so an effect must tolerate being lost or run twice.

import type { Reader, Writer } from './bytes.js';

/** Where a command sits in the log, and the time it carries. */
export interface ApplyMeta {
  /** The Raft index of the entry holding the command. */
  readonly index: number;
  readonly term: number;
  /** The command's position within its entry: several commands share an entry (see envelope.ts). */
  readonly part: number;
  /** The leader's clock when the entry was proposed, in ms; never less than any earlier entry's. */
  readonly time: number;
}

/** Why a command was refused. The same on every member: a refusal is a replicated result too. */
export type ErrorCode = 'invalid-argument' | 'not-found' | 'already-exists' | 'failed-precondition' | 'resource-exhausted' | 'out-of-range' | 'unsupported';
export const ERROR_CODES: readonly ErrorCode[] = ['invalid-argument', 'not-found', 'already-exists', 'failed-precondition', 'resource-exhausted', 'out-of-range', 'unsupported'];

export interface Failure {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
}

/** Every machine's reply is a success of its own shape or a Failure. */
export type Reply = { readonly ok: true } | Failure;

export const failure = (code: ErrorCode, message: string): Failure => ({ ok: false, code, message });

/** A query of a machine's state (a read, not a command) refused with one of the same codes. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An effect as the node sees it: a machine's own data, and who should execute it. */
export interface Effect<E = unknown> {
  /** 'leader': only the member that leads when the entry is applied; 'every-node': each member, replay included. */
  readonly on: 'leader' | 'every-node';
  readonly effect: E;
}

/** What apply and tick return: the proposer's reply and the effects to execute. */
export interface Outcome<R extends Reply, E = never> {
  readonly reply: R;
  readonly effects?: ReadonlyArray<Effect<E>>;
  /** Effects of other machines whose state this command changed (see landing.ts), for their executors. */
  readonly forwarded?: ReadonlyArray<ForwardedEffects>;
}

export interface ForwardedEffects {
  readonly machine: number;
  readonly effects: ReadonlyArray<Effect<unknown>>;
}

/** The other registered machines, for a machine whose commands land in theirs (see landing.ts). */
export interface MachinePeers {
  machine(id: number): AnyMachine | undefined;
}

export type Role = 'leader' | 'follower';

/** Machines are constructed without arguments (the registry builds an empty one to read a missing snapshot section). */
export interface Machine<C = unknown, R extends Reply = Reply, E = never> {
  /** The byte naming this machine in commands and snapshots; fixed forever once used. */
  readonly id: number;
  readonly name: string;

  // ---- commands, as they travel and sit in entries (after the machine id byte) ----
  encodeCommand(c: C): Uint8Array;
  /**
   * Optional: the whole command — this machine's id byte, then what
   * encodeCommand gives — written at once, so a hot command's message bodies
   * are copied once less on their way into the log (commandFor in envelope.ts).
   */
  encodeCommandWithId?(c: C): Uint8Array;
  /** Throws DecodeError for bytes this version does not understand: the registry answers 'unsupported'. */
  decodeCommand(payload: Uint8Array): C;
  /** A successful reply's own bytes (failures are encoded by the registry), for forwarding to another node. */
  encodeReply(r: Exclude<R, Failure>): Uint8Array;
  decodeReply(b: Uint8Array): Exclude<R, Failure>;

  /** Called once by the registry: a machine whose commands land in others' state keeps them. */
  link?(peers: MachinePeers): void;

  // ---- the fold ----
  apply(meta: ApplyMeta, c: C): Outcome<R, E>;
  /**
   * The earliest leader time at which a tick would change the state (a
   * message's TTL, a retention age, a dedup window), or undefined while
   * nothing can expire: an idle machine costs nothing.
   */
  nextDeadline?(): number | undefined;
  /** Time reached `now` (an entry that carries only time): expire what is due. */
  tick?(now: number): ReadonlyArray<Effect<E>> | undefined;
  /** This node became leader or stopped leading: the leader re-arms what it alone executes. */
  roleChanged?(role: Role): ReadonlyArray<Effect<E>> | undefined;

  // ---- the log entries the state still reads (message bodies stay in the log) ----
  /**
   * Every such Raft index, in any order (repeats allowed): a snapshot keeps
   * these entries readable below it and deletes every other (sparse
   * compaction). Called when a snapshot is taken, so linear in what the
   * machine holds is fine.
   */
  liveIndexes?(): Iterable<number>;

  // ---- snapshots: the machine's own section, with its own format version ----
  readonly snapshotVersion: number;
  writeSnapshot(w: Writer): void;
  /** Replace the state with a section written by `version` (this or an older one). */
  readSnapshot(r: Reader, version: number): void;
}

/** A machine whose effect type is `E`, for the node's executors. */
export type AnyMachine = Machine<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
