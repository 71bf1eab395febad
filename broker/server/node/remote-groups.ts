// Data groups this node is not a member of (a partition placed with fewer
// replicas than there are voters), as this node's front door reaches them.
// Writes go through a WritePath of their own, exactly as a follower's do —
// batched per event-loop turn, forwarded to the group's leader with
// Raft.Forward, sent again on "not the leader" — and reads and consumers are
// relayed to a member (queues/partitioned.ts). What a member learns from
// Raft, whom to take for leader, a RemoteSeat learns from the members: it
// asks them all at once (Raft.NodeStatus with the group's id), keeps the
// answer, and asks again when that node refuses a forward (it no longer
// leads, or cannot be reached). Nothing is kept per remote group but the
// leader's id and the write path, created on first use.

import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { NotLeaderError } from '../../../raft/core/errors.js';
import type { NodeId } from '../../../raft/core/types.js';
import { StatusError } from '../rpc/status.js';
import { WritePath } from '../writes/write-path.js';
import { groupLeader } from './cluster-status.js';
import type { CommandWriter, LeaderSeat, NodeContext, WriteContext } from './context.js';
import { contextOf } from './context.js';

/** How long one member may take to say whom it follows. */
const ASK_TIMEOUT_MS = 1000;
/** A look-up that finds no leader keeps asking this long (an election takes well under it); the next write that needs one starts another. */
const LOOK_FOR_MS = 10_000;

export class RemoteSeat implements LeaderSeat {
  readonly isLeader = false;
  private leader: NodeId = 0;
  private looking = false;
  private stopped = false;
  /** The last leader that refused, and when (monotonic ms): members may name it for a while after it died. */
  private lastRefused = { leader: 0 as NodeId, at: 0 };
  private waiters: Array<(leader: NodeId) => void> = [];
  /** Told each leader learned (the write path sends what waited for one). */
  onLeader: (leader: NodeId) => void = () => undefined;

  constructor(
    private readonly node: NodeContext,
    readonly group: number,
    /** The group's members now (from the placement: they may change). */
    private readonly members: () => readonly NodeId[],
  ) {
    node.onStop(() => {
      this.stopped = true;
    });
  }

  get tickMs(): number {
    return this.node.host.tickMs;
  }

  get electionTicks(): number {
    return this.node.host.electionTicks;
  }

  /** The leader taken; read while unknown (the write path does before it parks a write), it starts a look-up. */
  get currentLeader(): NodeId {
    if (!this.leader) this.look();
    return this.leader;
  }

  proposeBatch(): never {
    throw new NotLeaderError(this.leader);
  }

  refused(leader: NodeId): void {
    if (!leader || this.leader !== leader) return;
    this.leader = 0;
    this.lastRefused = { leader, at: performance.now() };
    this.look();
  }

  /** The leader, looked up when unknown; UNAVAILABLE (not applied) when none is found by `deadline`. */
  leaderBy(deadline: number): Promise<NodeId> {
    if (this.leader) return Promise.resolve(this.leader);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new StatusError(grpc.status.UNAVAILABLE, `no member of group ${this.group} (nodes ${this.members().join(', ')}) names a leader that node ${this.node.id} can reach; nothing was done (not applied); retry shortly`, 'not-applied'));
      }, Math.max(0, Math.min(deadline - Date.now(), 2 ** 31 - 1)));
      const done = (leader: NodeId): void => {
        clearTimeout(timer);
        resolve(leader);
      };
      this.waiters.push(done);
      this.look();
    });
  }

  private look(): void {
    if (this.looking || this.stopped) return;
    this.looking = true;
    void this.lookUp().then((leader) => {
      // Not looking any more before anyone hears of the result: a refusal that follows at once starts a new look-up.
      this.looking = false;
      if (!leader) return;
      this.leader = leader;
      this.node.logger.debug({ group: this.group, leader }, 'learned the leader of a group not hosted here');
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w(leader);
      this.onLeader(leader);
    });
  }

  /** The leader the members name, asking until one is (0 when none is within LOOK_FOR_MS, or the node stops). */
  private async lookUp(): Promise<NodeId> {
    const until = performance.now() + LOOK_FOR_MS;
    const electionMs = this.tickMs * this.electionTicks;
    for (let wait = 25; !this.stopped; wait = Math.min(500, wait * 2)) {
      const { leader } = await groupLeader(this.node, this.group, this.members(), ASK_TIMEOUT_MS).catch(() => ({ leader: 0 }));
      // The leader that just refused, named again before an election could have replaced it: the members have not noticed yet.
      const stale = leader === this.lastRefused.leader && performance.now() - this.lastRefused.at < electionMs;
      if (leader && !stale && !this.stopped) return leader;
      if (performance.now() > until) return 0;
      await new Promise((r) => setTimeout(r, wait));
    }
    return 0;
  }
}

/** A group this node is not a member of: its seat and its way into the group's log. */
export interface RemoteGroup {
  readonly group: number;
  readonly seat: RemoteSeat;
  /** A write context whose writes forward to the group's leader (queueWrite takes it as a hosted group's). */
  readonly ctx: WriteContext & { readonly writes: CommandWriter };
}

/** `node` is group 0's context: its machines encode the group's commands and decode their outcomes (the same machines), and hold the address book. */
export function remoteGroup(node: NodeContext, group: number, members: () => readonly NodeId[]): RemoteGroup {
  const seat = new RemoteSeat(node, group, members);
  let path: WritePath | undefined;
  const ctx: WriteContext & { readonly writes: CommandWriter } = contextOf(node, { group, host: seat, machines: node.machines, clock: node.clock }, (c) => (path = new WritePath(c as WriteContext)));
  seat.onLeader = (leader) => path!.leaderChanged(leader);
  return { group, seat, ctx };
}
