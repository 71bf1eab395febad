// The server side of placement for one kind of partitioned thing (queues,
// streams): which groups a name's partitions live in (group 0's placement
// machine), this node's per-group state for each partition it hosts, placing
// a name, and which partition a message goes to. Partitioned queues and
// partitioned streams both use it, so they place, find and route alike.

import * as grpc from '@grpc/grpc-js';
import { commandFor } from '../../machine/envelope.js';
import { PlacementMachine } from '../../machine/placement/machine.js';
import type { PlacedGroup, PlacedKind, PlacementReply } from '../../machine/placement/machine.js';
import { partitionOf } from './partition-hash.js';
import { StatusError, resultError, toStatus } from '../rpc/status.js';
import type { NodeContext } from './context.js';

export class PlacedPartitions<P> {
  private readonly byGroup = new Map<number, P>();
  private readonly placement: PlacementMachine;
  /** Where the round robin of messages without a key goes on. */
  private turn = 0;

  constructor(
    private readonly node: NodeContext,
    readonly kind: PlacedKind,
    /** This node's state for a data group it hosts (made once, when the group starts here). */
    make: (group: NodeContext) => P,
  ) {
    this.placement = node.machines.get(PlacementMachine);
    node.groups.whenAdded((g) => {
      if (g.group === node.group) return;
      const pg = this.placement.group(g.group);
      // A group of another kind is the other kind's business.
      if (pg && pg.kind !== kind) return;
      this.byGroup.set(g.group, make(g));
    });
  }

  /** The groups of a partitioned name, by partition; undefined when the name is not placed as this kind. */
  placed(name: string): readonly PlacedGroup[] | undefined {
    return this.placement.partitionsOf(this.kind, name);
  }

  /** Every name placed as this kind, sorted. */
  names(): string[] {
    return this.placement.names(this.kind);
  }

  /** This node's state of every partition it hosts. */
  hosted(): Iterable<P> {
    return this.byGroup.values();
  }

  /** The partition's state if its group is hosted here now. */
  hostedAt(pg: PlacedGroup): P | undefined {
    return this.byGroup.get(pg.group);
  }

  /** This node's state of data group `group`, if it hosts it as this kind. */
  hostedGroup(group: number): P | undefined {
    return this.byGroup.get(group);
  }

  /** The partition's state, once its group is hosted here (waiting for it until the deadline). */
  async partition(pg: PlacedGroup, deadline: number): Promise<P> {
    await this.node.groups.hosted(pg.group, deadline);
    return this.byGroup.get(pg.group)!;
  }

  /** Every partition, hosted here now (a call that must attach at once), or UNAVAILABLE (not applied). */
  hostedNow(name: string, placed: readonly PlacedGroup[]): P[] {
    return placed.map((pg) => {
      const p = this.byGroup.get(pg.group);
      if (!p) throw new StatusError(grpc.status.UNAVAILABLE, `partition ${pg.partition} of ${this.kind} "${name}" (group ${pg.group}) is not hosted on node ${this.node.id} yet; retry shortly`, 'not-applied');
      return p;
    });
  }

  /**
   * Place `name` in `partitions` groups (group 0), each with `replicas`
   * members (0: every voter, at most five; the placement machine spreads them).
   * Idempotent: the same name and count answer the same groups, so a retried
   * declare finishes one that failed half way.
   */
  async place(name: string, partitions: number, deadline: number, replicas = 0): Promise<{ created: boolean; groups: readonly PlacedGroup[]; index: number }> {
    const voters = [...this.node.host.status().conf.voters].sort((a, b) => a - b);
    const p = this.placement;
    const out = await this.node.writes.submit(commandFor(p, { op: 'place', kind: this.kind, name, partitions, voters, replicas }), deadline, { idempotent: true });
    const placed = out.reply as PlacementReply;
    if (!placed.ok) throw resultError(placed);
    return { created: placed.created, groups: placed.groups, index: out.index };
  }

  /**
   * The partition of a message (or batch) with `key` among `partitions`: a
   * consistent hash of the key (partition-hash.ts), so one key keeps one
   * partition and its order; round robin over this node's requests without one.
   */
  route(key: string, partitions: number): number {
    return key ? partitionOf(key, partitions) : this.turn++ % partitions;
  }
}

/**
 * One write per partition, all at once, for a request that spans several
 * (a publish whose messages route to different partitions, a delete or purge
 * of every partition). When one fails after another applied its share, the
 * request as a whole is neither done nor "not applied": a client resending
 * it on that word would apply the applied shares twice. The error then keeps
 * the failing partition's code and says which partitions applied
 * (`applied(list)`, e.g. "partitions 0, 2 of queue "q" stored their
 * messages"), with an unknown outcome. When none applied, the failure is
 * thrown as it is.
 */
export async function acrossPartitions<T>(partitions: readonly number[], write: (partition: number) => Promise<T>, applied: (list: string) => string, advice: string): Promise<T[]> {
  const settled = await Promise.allSettled(partitions.map((p) => write(p)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  const done = partitions.filter((_, i) => settled[i]!.status === 'fulfilled');
  if (done.length === 0) throw failed.reason;
  const st = toStatus(failed.reason);
  throw new StatusError(st.code, `${st.details} (${applied(done.join(', '))}: outcome unknown; ${advice})`, 'unknown');
}
