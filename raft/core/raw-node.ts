// RawNode: the driver's handle on one group member. It turns the algorithm's
// outboxes and state changes into Ready bundles and takes them back through
// advance(). One Ready is outstanding at a time; everything stepped in while the
// driver persists it is gathered into the next one, which is what batches
// proposals into one write and one message per follower.

import type { ProposalPosition, RaftNode, Status } from './api.js';
import type { Config } from './config.js';
import { resolveConfig } from './config.js';
import { RaftError } from './errors.js';
import { Raft } from './raft.js';
import type { Ready } from './ready.js';
import type { ConfChange, HardState, Message, NodeId, SoftState } from './types.js';
import { EntryType } from './types.js';

export class RawNode implements RaftNode {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private outstanding: Ready | undefined;

  constructor(config: Config) {
    this.raft = new Raft(resolveConfig(config));
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  step(m: Message): void {
    this.raft.step(m);
  }

  propose(data: Uint8Array): ProposalPosition {
    return this.raft.propose([data]);
  }

  proposeBatch(data: readonly Uint8Array[]): ProposalPosition {
    if (data.length === 0) throw new RaftError('proposeBatch needs at least one entry');
    return this.raft.propose(data);
  }

  proposeConfChange(cc: ConfChange): ProposalPosition {
    return this.raft.proposeConfChange(cc);
  }

  readIndex(context: Uint8Array): void {
    this.raft.readIndex(context);
  }

  transferLeader(target: NodeId): void {
    this.raft.transferLeader(target);
  }

  campaign(): void {
    this.raft.campaign(false);
  }

  /** The leader this member knows (itself when it leads), or 0. */
  get lead(): NodeId {
    return this.raft.lead;
  }

  /** Whether the group is quiet (see Raft.quiesced): its driver need not tick it. */
  get quiesced(): boolean {
    return this.raft.quiesced;
  }

  /** Leave quiescence (see Raft.wake); `leaderSilent`: the leader's node was not heard for an election timeout. */
  wake(leaderSilent = false): void {
    this.raft.wake(leaderSilent);
  }

  hasReady(): boolean {
    if (this.outstanding) return false;
    const r = this.raft;
    if (r.appendPending || r.hasReadsToConfirm() || r.msgs.length || r.msgsAfterPersist.length || r.readStates.length) return true;
    if (r.log.unstable.entries.length || r.log.unstable.snapshot) return true;
    if (r.log.nextCommittedAvailable()) return true;
    // A commit index that moved alone needs no Ready: it is written with the next entries.
    if (!sameSoft(r.softState(), this.prevSoft) || !sameVote(r.hardState(), this.prevHard)) return true;
    return false;
  }

  takeMessages(): Message[] {
    const r = this.raft;
    r.flushLeaderSends();
    const out = r.msgs;
    r.msgs = [];
    return out;
  }

  ready(): Ready {
    if (this.outstanding) throw new RaftError('ready() called again before advance()');
    const r = this.raft;
    r.startReadRound();
    r.flushLeaderSends();
    const soft = r.softState();
    const hard = r.hardState();
    const softChanged = !sameSoft(soft, this.prevSoft);
    const entries = r.log.unstableEntries().slice();
    const snapshot = r.log.unstable.snapshot;
    const voteChanged = !sameVote(hard, this.prevHard);
    // A hard state whose commit index alone changed is never a write of its
    // own: the commit can be recomputed after a restart (from the leader, and
    // at least up to what the machine applied), so it rides on the next write
    // that happens anyway (entries, a snapshot, a term or vote).
    const hardChanged = voteChanged || ((entries.length > 0 || snapshot !== undefined) && hard.commit !== this.prevHard.commit);
    const rd: Ready = {
      softState: softChanged ? soft : undefined,
      hardState: hardChanged ? hard : undefined,
      entries,
      snapshot,
      messages: r.msgs,
      persistedMessages: r.msgsAfterPersist,
      committedEntries: r.log.nextCommittedEnts(r.cfg.maxCommittedSizePerReady),
      readStates: r.readStates,
      mustSync: entries.length > 0 || snapshot !== undefined || voteChanged,
    };
    r.msgs = [];
    r.msgsAfterPersist = [];
    r.readStates = [];
    this.prevSoft = soft;
    if (hardChanged) this.prevHard = hard;
    this.outstanding = rd;
    return rd;
  }

  advance(rd: Ready): void {
    if (rd !== this.outstanding) throw new RaftError('advance() with a Ready that is not the outstanding one');
    this.outstanding = undefined;
    const r = this.raft;
    if (rd.snapshot) {
      r.log.stableSnapTo(rd.snapshot.meta.index);
      r.log.appliedTo(Math.min(rd.snapshot.meta.index, r.log.committed));
    }
    if (rd.entries.length) {
      const last = rd.entries[rd.entries.length - 1]!;
      r.log.stableTo(last.index, last.term);
      // A snapshot may have replaced the log while this Ready was being written.
      if (r.log.zeroTermOnCompacted(last.index) === last.term) r.selfPersistedTo(last.index);
    }
    if (rd.committedEntries.length) {
      for (const e of rd.committedEntries) if (e.type === EntryType.ConfChange) r.applyConfChange(e);
      r.log.appliedTo(rd.committedEntries[rd.committedEntries.length - 1]!.index);
      r.reduceUncommitted(rd.committedEntries);
    }
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  status(): Status {
    const r = this.raft;
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      leader: r.lead,
      role: r.role,
      conf: r.conf,
      peers: r.peerStatus(),
      transferee: r.leadTransferee,
      quiesced: r.quiesced,
      elections: { ...r.elections },
    };
  }
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.leader === b.leader && a.role === b.role;
}

/** Term and vote: the part of the hard state that must be durable before anything is sent. */
function sameVote(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote;
}
