// What the front door, forwarding and membership code share about this node.

import type { Logger } from 'pino';
import type { NodeId } from '../../raft/core/types.js';
import type { ReplicaHost } from '../../raft/host/replica-host.js';
import type { PeerTransport } from '../../raft/transport/peer-transport.js';
import type { CommandResult } from '../machine/commands.js';
import type { Dispatcher } from '../machine/dispatcher.js';
import type { ServerConfig } from './config.js';
import type { Metrics } from './metrics.js';
import type { StreamReader } from './stream-reader.js';

export const GROUP = 0;

export interface NodeContext {
  readonly id: NodeId;
  readonly config: ServerConfig;
  readonly host: ReplicaHost<CommandResult>;
  readonly machine: Dispatcher;
  /** Stream reads on this node: decoded-entry cache and apply wake-ups. */
  readonly reader: StreamReader;
  readonly transport: PeerTransport;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** False while starting and once shutdown began: client calls are refused with UNAVAILABLE. */
  serving: boolean;
}

/** Absolute deadline (ms since epoch) of a call; `cap` bounds calls that set none. */
export function callDeadline(d: Date | number | undefined, capMs: number): number {
  const ms = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Infinity;
  return Math.min(ms, Date.now() + capMs);
}

/** The peer address of a member: the replicated address book first, then the initial configuration. */
export function peerAddressOf(ctx: NodeContext, id: NodeId): string | undefined {
  if (id === ctx.id) return ctx.config.peerAddress;
  return ctx.machine.cluster.get(id)?.peerAddress || ctx.config.members.get(id) || ctx.transport.addressOf(id);
}

export function clientAddressOf(ctx: NodeContext, id: NodeId): string {
  if (id === ctx.id) return ctx.config.clientAddress;
  return ctx.machine.cluster.get(id)?.clientAddress ?? '';
}
