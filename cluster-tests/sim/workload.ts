// The clients: random proposals with unique payloads (single and batched),
// linearizable reads through ReadIndex, membership changes (add a learner,
// promote it, remove a member — one at a time, retried when the core says a
// change is still in progress), leadership transfers and forced campaigns.
// A client mostly talks to the leader (as a client with a good leader hint
// would) and sometimes to a random node (and gets NotLeaderError).
//
// A proposal is confirmed to its client when the proposer applies an entry at
// the position the core gave it with the same term; it failed when an entry of
// another term is applied there. Confirmed proposals are handed to the checker.
// In the liveness phase only markers are proposed, retried until confirmed.

import {
  ConfChangeInProgressError,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  TransferInProgressError,
} from '../../raft/core/errors.js';
import type { Entry, NodeId, ReadState } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import type { Checker } from './checkers.js';
import type { SimNode } from './node.js';
import type { Rng } from './prng.js';
import { Markers, chooseConfChange } from './world.js';

/** How a run's clients behave. Weights are relative. */
export interface WorkloadProfile {
  /** Mean virtual time between client actions. */
  readonly meanInterval: number;
  readonly propose: number;
  readonly proposeBatch: number;
  readonly proposeAnywhere: number;
  readonly read: number;
  readonly confChange: number;
  readonly transfer: number;
  readonly campaign: number;
  /** Largest random padding added to a payload, in bytes. */
  readonly maxPadding: number;
}

/** What the workload may see and do in the cluster. */
export interface ClusterOps {
  readonly checker: Checker;
  nodes(): readonly SimNode[];
  node(id: NodeId): SimNode | undefined;
  /** The live leader with the highest term, if any. */
  leader(): SimNode | undefined;
  /** Create and start a brand-new node with an empty disk, or undefined when the id pool is used up. */
  addFreshNode(): SimNode | undefined;
  /** Upper bound on voters + learners, and lower bound on voters. */
  readonly maxMembers: number;
  readonly minVoters: number;
  /** Virtual time now. */
  now(): number;
  trace: ((line: string) => void) | undefined;
}

interface Pending {
  readonly term: number;
  readonly payload: number;
  readonly marker: number;
}

export interface WorkloadStats {
  proposed: number;
  confirmed: number;
  failed: number;
  rejected: number;
  reads: number;
  readsAnswered: number;
  confChanges: number;
  confChangesApplied: number;
  transfers: number;
  campaigns: number;
}

const EXPECTED = [NotLeaderError, TransferInProgressError, ConfChangeInProgressError, InvalidConfChangeError, ProposalDroppedError];

function expected(e: unknown): boolean {
  return EXPECTED.some((k) => e instanceof k);
}

export class Workload {
  private nextPayload = 1;
  private nextRead = 1;
  /** Proposals waiting for their outcome, per proposer and index. */
  private readonly pending = new Map<NodeId, Map<number, Pending>>();
  private readonly markers = new Markers();
  readonly stats: WorkloadStats = {
    proposed: 0,
    confirmed: 0,
    failed: 0,
    rejected: 0,
    reads: 0,
    readsAnswered: 0,
    confChanges: 0,
    confChangesApplied: 0,
    transfers: 0,
    campaigns: 0,
  };

  constructor(
    private readonly rng: Rng,
    private readonly profile: WorkloadProfile,
    private readonly ops: ClusterOps,
  ) {}

  /** Virtual time until the next client action. */
  nextDelay(): number {
    return this.rng.exp(this.profile.meanInterval);
  }

  /** One random client action (safety phase). Unexpected errors propagate. */
  act(): void {
    const p = this.profile;
    const what = this.rng.weighted<() => void>([
      [p.propose, () => this.propose(1, false)],
      [p.proposeBatch, () => this.propose(this.rng.range(2, 6), false)],
      [p.proposeAnywhere, () => this.propose(1, true)],
      [p.read, () => this.read()],
      [p.confChange, () => this.confChange()],
      [p.transfer, () => this.transfer()],
      [p.campaign, () => this.campaign()],
    ]);
    what();
  }

  /** Nodes a client can talk to: running and not frozen. */
  private live(): SimNode[] {
    const now = this.ops.now();
    return this.ops.nodes().filter((n) => n.alive && n.pausedUntil <= now);
  }

  private payload(id: NodeId, payload: number, marker: number): Uint8Array {
    const pad = this.profile.maxPadding > 0 ? this.rng.range(0, this.profile.maxPadding) : 0;
    const b = new Uint8Array(13 + pad);
    const dv = new DataView(b.buffer);
    b[0] = 0x50; // 'P'
    dv.setUint32(1, payload);
    dv.setUint32(5, id);
    dv.setUint32(9, marker);
    for (let i = 13; i < b.length; i++) b[i] = (payload + i) & 0xff;
    return b;
  }

  private track(node: SimNode, index: number, term: number, payload: number, marker: number): void {
    let m = this.pending.get(node.id);
    if (!m) {
      m = new Map();
      this.pending.set(node.id, m);
    }
    m.set(index, { term, payload, marker });
  }

  private propose(count: number, anywhere: boolean): void {
    const live = this.live();
    const node = anywhere ? (live.length ? this.rng.pick(live) : undefined) : this.ops.leader();
    if (!node) return;
    const ids: number[] = [];
    const data: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.nextPayload++;
      ids.push(id);
      data.push(this.payload(node.id, id, 0));
    }
    try {
      const pos = count === 1 ? node.raw!.propose(data[0]!) : node.raw!.proposeBatch(data);
      for (let i = 0; i < count; i++) this.track(node, pos.index + i, pos.term, ids[i]!, 0);
      this.stats.proposed += count;
      this.ops.trace?.(`client: propose p${ids[0]}${count > 1 ? `..p${ids[count - 1]}` : ''} on n${node.id} -> ${pos.term}/${pos.index}`);
    } catch (e) {
      if (!expected(e)) throw e;
      this.stats.rejected++;
      this.ops.trace?.(`client: propose on n${node.id} refused: ${(e as Error).name}`);
    }
    node.drive();
  }

  private read(): void {
    const live = this.live();
    if (!live.length) return;
    const node = this.rng.chance(0.5) ? (this.ops.leader() ?? this.rng.pick(live)) : this.rng.pick(live);
    const id = this.nextRead++;
    const ctx = new Uint8Array(5);
    ctx[0] = 0x52; // 'R'
    new DataView(ctx.buffer).setUint32(1, id);
    try {
      this.ops.checker.onReadAsked(node.id, `r${id}`);
      node.raw!.readIndex(ctx);
      this.stats.reads++;
      this.ops.trace?.(`client: read r${id} on n${node.id} (commit known: ${this.ops.checker.maxCommit})`);
    } catch (e) {
      if (!expected(e)) throw e;
    }
    node.drive();
  }

  readAnswered(node: SimNode, rs: ReadState): void {
    const c = rs.context;
    if (c.byteLength !== 5 || c[0] !== 0x52) return;
    const id = new DataView(c.buffer, c.byteOffset, 5).getUint32(1);
    if (this.ops.checker.onReadAnswered(node.id, rs, `r${id}`)) this.stats.readsAnswered++;
  }

  private confChange(): void {
    const leader = this.ops.leader();
    if (!leader) return;
    const cc = chooseConfChange(this.rng, leader.status().conf, this.ops);
    if (!cc) return;
    const name = ['add-voter', 'add-learner', 'remove'][cc.type];
    try {
      const pos = leader.raw!.proposeConfChange(cc);
      this.stats.confChanges++;
      this.ops.trace?.(`client: ${name} n${cc.node} on n${leader.id} -> ${pos.term}/${pos.index}`);
    } catch (e) {
      if (!expected(e)) throw e;
      this.ops.trace?.(`client: ${name} n${cc.node} refused: ${(e as Error).name}`);
    }
    leader.drive();
  }

  private transfer(): void {
    const live = this.live();
    const leader = this.ops.leader();
    if (!leader || !live.length) return;
    const voters = leader.status().conf.voters.filter((v) => v !== leader.id);
    if (!voters.length) return;
    const target = this.rng.pick(voters);
    // Usually asked of the leader; sometimes of a follower, which forwards it.
    const via = this.rng.chance(0.7) ? leader : this.rng.pick(live);
    try {
      via.raw!.transferLeader(target);
      this.stats.transfers++;
      this.ops.trace?.(`client: transfer leadership to n${target} via n${via.id}`);
    } catch (e) {
      if (!expected(e)) throw e;
    }
    via.drive();
  }

  private campaign(): void {
    const live = this.live();
    if (!live.length) return;
    const n = this.rng.pick(live);
    n.raw!.campaign();
    this.stats.campaigns++;
    this.ops.trace?.(`client: n${n.id} campaigns`);
    n.drive();
  }

  // ---- outcomes ------------------------------------------------------------

  applied(node: SimNode, e: Entry): void {
    if (e.type === EntryType.ConfChange) this.stats.confChangesApplied++;
    const m = this.pending.get(node.id);
    const p = m?.get(e.index);
    if (!m || !p) return;
    m.delete(e.index);
    if (e.term !== p.term) {
      this.stats.failed++;
      if (p.marker) this.markers.again(p.marker);
      return;
    }
    const ok = e.type === EntryType.Normal && e.data.byteLength >= 13 && new DataView(e.data.buffer, e.data.byteOffset).getUint32(1) === p.payload;
    if (!ok) {
      this.ops.checker.fail('lost-write', node.id, `node ${node.id} applies at ${e.term}/${e.index} something other than payload p${p.payload} it proposed there`);
      return;
    }
    this.stats.confirmed++;
    this.ops.checker.onConfirmed(node.id, e.index, e.term);
    if (p.marker) {
      this.markers.confirmed(p.marker, e.index);
    }
  }

  /** The node lost its memory (crash) or jumped over its pending positions (snapshot): outcomes unknown. */
  forget(node: SimNode, upTo = Infinity): void {
    const m = this.pending.get(node.id);
    if (!m) return;
    for (const [index, p] of [...m]) {
      if (index > upTo) continue;
      m.delete(index);
      if (p.marker) this.markers.again(p.marker);
    }
  }

  // ---- liveness phase --------------------------------------------------------

  startLiveness(markers: number): void {
    this.markers.start(markers);
  }

  /**
   * Propose every marker that is neither confirmed nor waiting for its
   * outcome. A client gives up waiting after `timeout` (its proposer may have
   * been deposed or removed and never learn the outcome) and proposes again;
   * whichever copy is confirmed first counts.
   */
  livenessStep(timeout: number): void {
    const leader = this.ops.leader();
    if (!leader) return;
    const now = this.ops.now();
    for (const marker of this.markers.due(now, timeout)) {
      const id = this.nextPayload++;
      try {
        const pos = leader.raw!.propose(this.payload(leader.id, id, marker));
        this.track(leader, pos.index, pos.term, id, marker);
        this.markers.proposed(marker, now);
        this.stats.proposed++;
        this.ops.trace?.(`client: marker ${marker} (p${id}) on n${leader.id} -> ${pos.term}/${pos.index}`);
      } catch (e) {
        if (!expected(e)) throw e;
      }
    }
    leader.drive();
  }

  /** The largest index a marker was confirmed at, or undefined while some marker is unconfirmed. */
  markersDone(): number | undefined {
    return this.markers.done();
  }

  markersConfirmed(): number {
    return this.markers.confirmedCount();
  }
}
