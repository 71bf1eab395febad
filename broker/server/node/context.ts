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

/** The metadata group: membership, users, placement, and every queue and stream not placed in a group of its own. */
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

/**
 * One Raft group as this node hosts it: its member (host), its machines, its
 * log and its way into that log. Group 0 is the metadata group; data groups
 * (placement/) are created from group 0's placement records.
 */
export interface GroupParts {
  readonly group: number;
  readonly host: ReplicaHost<EntryResult>;
  /** Every replicated machine of this group, as applied on this node. */
  readonly machines: MachineRegistry;
  /** This node's own copy of the group's log: machines that keep bodies there read them back from it. */
  readonly log: GroupLog;
  /** Commands on their way to the group's leader (see writes/write-path.ts). */
  readonly writes: CommandWriter;
  /** Fires after every apply of this group: long-polls and subscriptions wait on it. */
  readonly applied: ApplySignal;
  /** The group's time as this node knows it: what its leader stamps, what deadlines compare with (cluster-clock.ts). */
  readonly clock: ClusterClock;
}

/** What every group of a node shares. */
export interface NodeParts {
  readonly id: NodeId;
  readonly config: ServerConfig;
  readonly transport: PeerTransport;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** False while starting and once shutdown began: client calls are refused with UNAVAILABLE. */
  serving: boolean;
  /** Run `fn` when the node stops (services end their timers and retry loops). */
  onStop(fn: () => void): void;
  /** Every group this node hosts, group 0 included. */
  readonly groups: GroupRegistry;
}

/**
 * A node's parts seen through one group. The node's own context is group 0's;
 * a data group's context shares every node part and has its own group parts,
 * so the services, the write path and forwarding work on any group unchanged.
 */
export interface NodeContext extends NodeParts, GroupParts {}

/**
 * What the write path and forwarding need of a group's member: whether it
 * leads, whom it takes for leader, its timing, and (leading) a way to propose.
 * A hosted group's ReplicaHost is one; a group this node is not a member of
 * has a RemoteSeat (writes/remote-groups.ts), which learns its leader from
 * the members and never leads.
 */
export interface LeaderSeat {
  readonly isLeader: boolean;
  readonly currentLeader: NodeId;
  readonly tickMs: number;
  readonly electionTicks: number;
  proposeBatch: ReplicaHost<EntryResult>['proposeBatch'];
  /**
   * The node taken for leader answered that it does not lead, or could not be
   * reached: forget it and find the leader again. A Raft member learns this by
   * itself and has none.
   */
  refused?(leader: NodeId): void;
}

/**
 * What a write path (and forwarding) runs on: the node's parts, one group's
 * id and seat, and machines that encode and decode that group's commands
 * (a remote group's are group 0's registry: the same machines, and the
 * address book forwarding reads).
 */
export interface WriteContext extends NodeParts {
  readonly group: number;
  readonly host: LeaderSeat;
  readonly machines: MachineRegistry;
  readonly clock: ClusterClock;
}

/** The groups a node hosts, by group id. */
export interface GroupRegistry {
  get(group: number): NodeContext | undefined;
  all(): readonly NodeContext[];
  /** Resolves with the group once this node hosts it; rejects at the deadline. */
  hosted(group: number, deadline: number): Promise<NodeContext>;
  /** Call `fn` for every group hosted now and every one added later. */
  whenAdded(fn: (ctx: NodeContext) => void): void;
}

/**
 * A context made of the node's shared parts (serving read and written live
 * on the node), a group's own parts `own`, and the `writes` that `writer`
 * makes for it: a data group hosted here (groupContext) or one reached from
 * outside (remote-groups.ts).
 */
export function contextOf<O extends object, W>(node: NodeParts, own: O, writer: (ctx: NodeParts & O & { readonly writes: W }) => W): NodeParts & O & { readonly writes: W } {
  let writes: W | undefined;
  const shared = {
    id: node.id,
    config: node.config,
    transport: node.transport,
    metrics: node.metrics,
    logger: node.logger,
    groups: node.groups,
    get serving() {
      return node.serving;
    },
    set serving(v: boolean) {
      node.serving = v;
    },
    onStop: (fn: () => void) => node.onStop(fn),
    get writes() {
      return writes!;
    },
  };
  const ctx = Object.assign(shared, own) as NodeParts & O & { readonly writes: W };
  writes = writer(ctx);
  return ctx;
}

/** A data group's context: the node's shared parts (serving read live) and the group's own. */
export function groupContext(node: NodeContext, parts: Omit<GroupParts, 'writes'>, writer: (ctx: NodeContext) => CommandWriter): NodeContext {
  const own = { group: parts.group, host: parts.host, machines: parts.machines, log: parts.log, applied: parts.applied, clock: parts.clock };
  return contextOf<typeof own, CommandWriter>(node, own, writer);
}

/** Absolute deadline (ms since epoch) of a call; `cap` bounds calls that set none. */
export function callDeadline(d: Date | number | undefined, capMs: number): number {
  const ms = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Infinity;
  return Math.min(ms, Date.now() + capMs);
}

function addressBook(ctx: Pick<NodeContext, 'machines'>): ClusterMachine {
  return ctx.machines.get(ClusterMachine);
}

/** The peer address of a member: the replicated address book first, then the initial configuration. */
export function peerAddressOf(ctx: Pick<NodeContext, 'id' | 'config' | 'machines' | 'transport'>, id: NodeId): string | undefined {
  if (id === ctx.id) return ctx.config.peerAddress;
  return addressBook(ctx).get(id)?.peerAddress || ctx.config.members.get(id) || ctx.transport.addressOf(id);
}

export function clientAddressOf(ctx: Pick<NodeContext, 'id' | 'config' | 'machines'>, id: NodeId): string {
  if (id === ctx.id) return ctx.config.clientAddress;
  return addressBook(ctx).get(id)?.clientAddress ?? '';
}
