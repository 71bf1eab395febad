// What the services, forwarding and membership code share about this node.

import type { Logger } from 'pino';
import type { NodeId } from '../../../raft/core/types.js';
import type { ReplicaHost } from '../../../raft/host/replica-host.js';
import type { GroupLog } from '../../../raft/host/wal.js';
import type { PeerTransport } from '../../../raft/transport/peer-transport.js';
import { ClusterMachine } from '../../machine/cluster/machine.js';
import type { Reply } from '../../machine/api.js';
import type { EntryResult, MachineRegistry } from '../../machine/registry.js';
import type { ApplySignal } from './apply-signal.js';
import type { ClusterClock } from './cluster-clock.js';
import type { ServerConfig } from './config.js';
import type { Metrics } from './metrics.js';

export const GROUP = 0;

/** A command's reply, with where it was applied and who led. */
export interface WriteOutcome {
  readonly reply: Reply;
  readonly index: number;
  readonly leader: NodeId;
}

/** The node's way into the log (writes/write-path.ts). */
export interface CommandWriter {
  /**
   * Submit a command (machine id, then payload); resolves once applied on the
   * leader, or rejects with a status. `idempotent`: applying it twice stores
   * it once, so a follower may send it again to a new leader.
   */
  submit(cmd: Uint8Array, deadline?: number, opts?: { idempotent?: boolean }): Promise<WriteOutcome>;
  /** This node learned that `leader` leads (0: none known). */
  leaderChanged(leader: NodeId): void;
  /**
   * The leader's side of a forwarded batch: one encoded outcome per command,
   * in order. A command is never proposed after its deadline, nor once
   * `abandoned()` (the sender cancelled).
   */
  submitForwarded(cmds: readonly Uint8Array[], deadlines: readonly number[], abandoned: () => boolean): Promise<Buffer[]>;
  /** The cluster time for a new entry (ctx.clock): monotonic, never below what the machines applied. */
  stampTime(): number;
}

export interface NodeContext {
  readonly id: NodeId;
  readonly config: ServerConfig;
  readonly host: ReplicaHost<EntryResult>;
  /** Every replicated machine, as applied on this node. */
  readonly machines: MachineRegistry;
  /** The cluster's time as this node knows it: what a leader stamps, what deadlines compare with (cluster-clock.ts). */
  readonly clock: ClusterClock;
  /** This node's own copy of the log: machines that keep bodies there read them back from it. */
  readonly log: GroupLog;
  /** Commands on their way to the leader (see writes/write-path.ts). */
  readonly writes: CommandWriter;
  /** Fires after every apply: long-polls and subscriptions wait on it. */
  readonly applied: ApplySignal;
  readonly transport: PeerTransport;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** False while starting and once shutdown began: client calls are refused with UNAVAILABLE. */
  serving: boolean;
  /** Run `fn` when the node stops (services end their timers and retry loops). */
  onStop(fn: () => void): void;
}

/** Absolute deadline (ms since epoch) of a call; `cap` bounds calls that set none. */
export function callDeadline(d: Date | number | undefined, capMs: number): number {
  const ms = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Infinity;
  return Math.min(ms, Date.now() + capMs);
}

function addressBook(ctx: NodeContext): ClusterMachine {
  return ctx.machines.get(ClusterMachine);
}

/** The peer address of a member: the replicated address book first, then the initial configuration. */
export function peerAddressOf(ctx: NodeContext, id: NodeId): string | undefined {
  if (id === ctx.id) return ctx.config.peerAddress;
  return addressBook(ctx).get(id)?.peerAddress || ctx.config.members.get(id) || ctx.transport.addressOf(id);
}

export function clientAddressOf(ctx: NodeContext, id: NodeId): string {
  if (id === ctx.id) return ctx.config.clientAddress;
  return addressBook(ctx).get(id)?.clientAddress ?? '';
}
