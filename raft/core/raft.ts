// The Raft algorithm for one group member: elections (with PreVote and
// CheckQuorum), replication (probe/replicate/snapshot per follower, pipelined
// within an in-flight window, fast backtracking by term), commitment by
// majority of durable match indexes, ReadIndex, leadership transfer and
// one-at-a-time membership changes. Pure: time arrives as tick(), randomness
// from the injected RandomSource, and every effect leaves as data in the
// outboxes that RawNode turns into a Ready.

import type { PeerStatus } from './api.js';
import type { ResolvedConfig } from './config.js';
import { decodeConfChange, encodeConfChange, nextConf } from './confchange.js';
import {
  CompactedError,
  ConfChangeInProgressError,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  RaftError,
  SnapshotUnavailableError,
  TransferInProgressError,
} from './errors.js';
import { committedIndex, hasQuorum, voteResult } from './quorum.js';
import { RaftLog } from './raft-log.js';
import { ReadOnlyQueue } from './read-only.js';
import { UNAVAILABLE } from './storage.js';
import { Progress } from './tracker/progress.js';
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  MsgApp,
  MsgAppResp,
  MsgHeartbeat,
  MsgHeartbeatResp,
  MsgSnap,
  MsgVote,
  MsgVoteResp,
  NodeId,
  ReadState,
  Role,
  Snapshot,
  SoftState,
} from './types.js';
import { EntryType, NONE, entryBytes } from './types.js';

const EMPTY = new Uint8Array(0);

type Outgoing = Message;
/** A message as built here: group and sender are filled in by send(), and the term unless given. */
type Draft = Message extends infer M ? (M extends Message ? Omit<M, 'group' | 'from' | 'term'> & { term?: number } : never) : never;

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  role: Role = 'follower';
  readonly log: RaftLog;
  conf: ConfState;
  readonly progress = new Map<NodeId, Progress>();

  /** Messages that may leave at once (a leader's appends, heartbeats, snapshots). */
  msgs: Outgoing[] = [];
  /** Messages that must wait until the state they speak for is durable. */
  msgsAfterPersist: Outgoing[] = [];
  readStates: ReadState[] = [];

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private votes = new Map<NodeId, boolean>();
  leadTransferee: NodeId = NONE;
  /** Index of the latest membership change in the log; a new one waits until it is applied. */
  private pendingConfIndex = 0;
  private uncommittedSize = 0;
  private readonly readOnly = new ReadOnlyQueue();
  /** Reads that arrived before this leader committed an entry of its term. */
  private readsBeforeCommit: { context: Uint8Array; from: NodeId }[] = [];
  /** Proposals were appended since the last broadcast: send once, at the next Ready. */
  appendPending = false;
  /** A membership change (or this term's first entry) committed: its commit goes out at the next Ready. */
  /** The highest commit index already sent to every follower (in an append or an empty one). */
  private commitSent = 0;
  /**
   * Quiescence (cfg.quiesce; CockroachDB and ra do the same): an idle leader
   * sends one last heartbeat marked `quiesce` and stops heartbeating; a
   * follower that gets it, and has everything it commits, stops counting
   * towards an election. Nothing of the protocol changes while quiet: time
   * simply stands still for the group (tick() does nothing), so an idle group
   * costs no messages and, with a driver that skips quiet groups, no work.
   * Anything that needs the group wakes it (wake(): proposals, reads,
   * membership changes, transfers, campaigns, and every message but the
   * quiesce heartbeat and its answers). A quiet follower cannot see its
   * leader die: the driver wakes it when the leader's node has been silent
   * for an election timeout (raft/host/ticker.ts), with `leaderSilent` so it
   * campaigns as a follower whose leader timed out would.
   */
  quiesced = false;
  /**
   * Lease reads (readOnly 'lease') are answered alone only while this is set:
   * from the election on, cleared when a quiet leader wakes (its lease is as
   * old as its sleep) and set again once CheckQuorum has seen a quorum since.
   * Until then reads take a heartbeat round, as in 'safe' mode.
   */
  private leaseFresh = false;

  constructor(readonly cfg: ResolvedConfig) {
    this.id = cfg.id;
    const { hardState, confState } = cfg.storage.initialState();
    this.log = new RaftLog(cfg.storage, cfg.applied);
    this.conf = confState;
    // The stored commit index may lag (a commit that moved alone is not
    // written; it rides on the next write of entries). Whatever the machine
    // applied was committed, so the commit index is at least that.
    const commit = Math.max(hardState.commit, this.log.applied);
    if (commit > this.log.committed) this.log.commitTo(Math.min(commit, this.log.lastIndex()));
    this.resetProgress();
    this.becomeFollower(hardState.term, NONE);
    this.vote = hardState.vote;
  }

  // ---- observation -------------------------------------------------------

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  isVoter(id: NodeId): boolean {
    return this.conf.voters.includes(id);
  }

  promotable(): boolean {
    return this.isVoter(this.id) && !this.log.unstable.snapshot;
  }

  peerStatus(): PeerStatus[] {
    if (this.role !== 'leader') return [];
    const out: PeerStatus[] = [];
    for (const [id, pr] of this.progress) {
      out.push({ id, match: pr.match, next: pr.next, mode: pr.mode, learner: pr.learner, active: id === this.id || pr.recentActive });
    }
    return out;
  }

  // ---- sending -----------------------------------------------------------

  private send(draft: Draft): void {
    // The draft is always a fresh literal of the caller's: completed in place. A copy with the header added
    // ({ ...draft, group, from, term }) took V8's slow path for new properties on a spread copy, ~6 µs per message.
    const d = draft as { group?: number; from?: NodeId; term?: number };
    d.group = this.cfg.group;
    d.from = this.id;
    if (d.term === undefined) d.term = this.term;
    const msg = draft as unknown as Message;
    // A leader's replication traffic may leave before its own copy is durable
    // (it counts itself only once it is). Everything else — votes, vote
    // requests, acknowledgements — speaks for durable state and must wait.
    const early =
      this.cfg.unsafe.ackBeforePersist ||
      (this.role === 'leader' && (msg.type === 'app' || msg.type === 'heartbeat' || msg.type === 'snap' || msg.type === 'timeout-now'));
    if (early) this.msgs.push(msg);
    else this.msgsAfterPersist.push(msg);
  }

  /** Send an append (or a snapshot) to `to` if its progress allows. Returns whether anything was sent. */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean, commitOnly = false): boolean {
    const pr = this.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    let prevTerm: number;
    let entries: Entry[] | typeof UNAVAILABLE;
    try {
      prevTerm = this.log.term(prevIndex);
      entries = this.log.entriesFrom(pr.next, this.cfg.maxSizePerMsg);
    } catch (e) {
      if (e instanceof CompactedError) return this.sendSnapshot(to, pr);
      throw e;
    }
    // Older entries are being loaded from disk; the next heartbeat answer retries.
    if (entries === UNAVAILABLE) return false;
    if (entries.length === 0 && !sendIfEmpty) return false;
    // A commit notice to a follower that holds everything it was sent (nothing
    // in flight, replicating) needs no answer: its acknowledgement of those
    // entries already told us all the answer would. Probes and anything with
    // entries are always answered, and a follower always answers a rejection.
    const noReply = commitOnly && entries.length === 0 && pr.mode === 'replicate' && pr.match === prevIndex;
    if (noReply) this.send({ type: 'app', to, prevIndex, prevTerm, entries, commit: this.log.committed, noReply: true });
    else this.send({ type: 'app', to, prevIndex, prevTerm, entries, commit: this.log.committed });
    const last = entries.length ? entries[entries.length - 1]!.index : prevIndex;
    pr.sentEntries(last, entries.length);
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    let snapshot: Snapshot;
    try {
      snapshot = this.log.snapshot();
    } catch (e) {
      if (e instanceof SnapshotUnavailableError) return false;
      throw e;
    }
    if (snapshot.meta.index === 0) return false;
    pr.becomeSnapshot(snapshot.meta.index);
    this.send({ type: 'snap', to, snapshot });
    return true;
  }

  /** Send everything each follower can take now (used once per Ready, so proposals are batched). */
  bcastAppend(): void {
    for (const [id, pr] of this.progress) {
      if (id === this.id) continue;
      // In replicate mode keep filling the window; in probe mode one message at a time.
      let guard = this.cfg.maxInflightMsgs + 1;
      while (guard-- > 0 && this.maybeSendAppend(id, false) && pr.mode === 'replicate') {
        /* keep sending */
      }
    }
  }

  /**
   * On a leader: send what proposals and acknowledgements made possible since
   * the last call — one batch of appends per follower, with the newest commit
   * index in every append — and a new commit index, in an empty append, to
   * each follower that has no append coming in this Ready.
   *
   * Why the commit is sent at once rather than on the next heartbeat: a
   * follower applies (and so delivers to its consumers, answers its forwarded
   * writes' waiters and frees their credit) only what it knows is committed.
   * Waiting for the heartbeat (up to heartbeatTicks) cost consumers with acks
   * on a follower two thirds of their rate (15.9k -> 4.9k msg/s in make bench)
   * and added up to 50 ms to every delivery there. The round is cheap: under
   * load the commit rides on appends that leave anyway (no extra message), and
   * a follower never writes a commit index alone (raw-node: commit-only hard
   * state is not persisted), so the empty append costs two small messages and
   * no fsync. It also tells a member removed by a committed change that it was
   * removed (the leader stops sending to it afterwards).
   */
  flushLeaderSends(): void {
    if (this.role !== 'leader') return;
    if (this.appendPending) {
      this.appendPending = false;
      this.bcastAppend();
    }
    this.refreshCommitInAppends();
    if (this.log.committed > this.commitSent) {
      this.commitSent = this.log.committed;
      this.bcastCommit();
    }
  }

  /** Send the commit index to every follower that has no append coming in this Ready. */
  private bcastCommit(): void {
    const covered = new Set<NodeId>();
    for (const m of this.msgs) if (m.type === 'app') covered.add(m.to);
    for (const id of this.progress.keys()) {
      if (id === this.id || covered.has(id)) continue;
      this.maybeSendAppend(id, true, true);
    }
  }

  /** Messages built earlier in this Ready carry the newest commit index when they leave. */
  refreshCommitInAppends(): void {
    const c = this.log.committed;
    for (const m of this.msgs) if (m.type === 'app' && m.commit < c) (m as { commit: number }).commit = c;
  }

  private bcastHeartbeat(context: Uint8Array = EMPTY): void {
    for (const [id, pr] of this.progress) {
      if (id === this.id) continue;
      // Never claim a commit index the follower may not have the entries for.
      const commit = Math.min(pr.match, this.log.committed);
      this.send({ type: 'heartbeat', to: id, commit, context });
    }
  }

  // ---- role changes ------------------------------------------------------

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.votes.clear();
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly.clear();
    this.readsBeforeCommit = [];
    this.appendPending = false;
    this.commitSent = this.log.committed;
    this.quiesced = false;
    this.leaseFresh = false;
    this.resetProgress();
  }

  private resetProgress(): void {
    this.progress.clear();
    const next = this.log.lastIndex() + 1;
    const add = (id: NodeId, learner: boolean): void => {
      const pr = new Progress(next, this.cfg.maxInflightMsgs, learner);
      if (id === this.id) pr.match = this.selfPersisted();
      this.progress.set(id, pr);
    };
    for (const v of this.conf.voters) add(v, false);
    for (const l of this.conf.learners) add(l, true);
  }

  private selfPersisted(): number {
    return this.cfg.unsafe.ackBeforePersist ? this.log.lastIndex() : this.log.persistedLastIndex();
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.cfg.random.nextInt(this.cfg.electionTicks);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  private becomePreCandidate(): void {
    // PreVote changes neither term nor vote: a node that cannot win leaves no trace.
    this.role = 'pre-candidate';
    this.votes.clear();
    this.lead = NONE;
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    // A new leader was just granted votes by a quorum within the election timeout.
    this.leaseFresh = true;
    for (const [id, pr] of this.progress) {
      pr.recentActive = true;
      if (id === this.id) pr.becomeReplicate();
    }
    this.progress.get(this.id)!.match = this.selfPersisted();
    // No membership change until this term's first entry is applied: it may
    // hide an unapplied change from the previous term.
    const emptyIndex = this.log.lastIndex() + 1;
    this.pendingConfIndex = emptyIndex;
    this.appendEntries([{ term: this.term, index: emptyIndex, type: EntryType.Normal, data: EMPTY }]);
  }

  // ---- elections ---------------------------------------------------------

  /** Elections started, by cause, and CheckQuorum step-downs (see ElectionCounts). */
  readonly elections = { timeout: 0, transfer: 0, manual: 0, checkQuorum: 0 };

  /** Start an election: a pre-vote round first when PreVote is on, unless this follows a transfer. */
  campaign(transfer: boolean, cause: 'timeout' | 'transfer' | 'manual' = transfer ? 'transfer' : 'manual'): void {
    this.wake();
    if (this.role !== 'leader' && this.promotable()) this.elections[cause]++;
    this.runElection(this.cfg.preVote && !transfer, transfer);
  }

  private runElection(pre: boolean, transfer: boolean): void {
    // A leader has nothing to win; a removed or snapshot-installing node cannot.
    if (this.role === 'leader' || !this.promotable()) return;
    if (pre) this.becomePreCandidate();
    else this.becomeCandidate();
    const term = pre ? this.term + 1 : this.term;
    this.votes.set(this.id, true);
    if (voteResult(this.conf.voters, this.votes) === 'won') {
      if (pre) this.runElection(false, transfer);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const v of this.conf.voters) {
      if (v === this.id) continue;
      this.send({ type: 'vote', to: v, term, preVote: pre, lastIndex, lastTerm, transfer });
    }
  }

  private handleVoteRequest(m: MsgVote): void {
    const canVote = this.vote === m.from || (this.vote === NONE && this.lead === NONE) || (m.preVote && m.term > this.term);
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)) {
      // A granted pre-vote answers in the asker's future term, so it is not dropped as stale.
      this.send({ type: 'vote-resp', to: m.from, term: m.term, preVote: m.preVote, reject: false });
      if (!m.preVote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: 'vote-resp', to: m.from, term: this.term, preVote: m.preVote, reject: true });
    }
  }

  private handleVoteResponse(m: MsgVoteResp): void {
    const pre = this.role === 'pre-candidate';
    if (m.preVote !== pre) return;
    this.votes.set(m.from, !m.reject);
    const r = voteResult(this.conf.voters, this.votes);
    if (r === 'won') {
      if (pre) this.runElection(false, false);
      else this.becomeLeader();
    } else if (r === 'lost') {
      this.becomeFollower(this.term, NONE);
    }
  }

  // ---- time --------------------------------------------------------------

  tick(): void {
    // A quiet group's time stands still until something wakes it.
    if (this.quiesced) return;
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign(false, 'timeout');
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) {
        const active = hasQuorum(this.conf.voters, (v) => v === this.id || this.progress.get(v)?.recentActive === true);
        for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
        if (!active) {
          this.elections.checkQuorum++;
          this.becomeFollower(this.term, NONE);
          return;
        }
        this.leaseFresh = true;
      }
      // A transfer that did not finish within an election timeout is abandoned.
      this.leadTransferee = NONE;
    }
    if (this.role !== 'leader') return;
    for (const [id, pr] of this.progress) {
      if (id === this.id || pr.mode !== 'snapshot') continue;
      // A snapshot that was lost on the way would stall the follower forever.
      if (++pr.snapshotTicks > 2 * this.cfg.electionTicks) pr.becomeProbe();
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      if (this.cfg.quiesce && this.canQuiesce()) this.quiesce();
      else this.bcastHeartbeat(this.readOnly.pendingContext() ?? EMPTY);
    }
  }

  // ---- quiescence (see `quiesced`) ------------------------------------------

  /**
   * Whether this leader's group is idle: nothing proposed, appended, unapplied
   * or unsent; every member (voters and learners) holds the whole log and was
   * heard from in this election period (so a leader cut off from its
   * followers keeps ticking, and CheckQuorum deposes it); no read, membership
   * change or transfer under way.
   */
  private canQuiesce(): boolean {
    if (this.leadTransferee !== NONE || this.appendPending) return false;
    if (this.readOnly.hasWaiting() || this.readOnly.pendingContext() !== undefined || this.readsBeforeCommit.length > 0) return false;
    const last = this.log.lastIndex();
    if (this.log.committed !== last || this.log.applied !== last || this.commitSent !== last) return false;
    if (this.pendingConfIndex > this.log.applied || !this.committedInTerm()) return false;
    for (const [id, pr] of this.progress) {
      if (pr.match !== last) return false;
      if (id !== this.id && !pr.recentActive) return false;
    }
    return true;
  }

  /** Go quiet: one last heartbeat, marked, carrying the commit index every member already holds. */
  private quiesce(): void {
    this.quiesced = true;
    for (const id of this.progress.keys()) {
      if (id !== this.id) this.send({ type: 'heartbeat', to: id, commit: this.log.committed, context: EMPTY, quiesce: true });
    }
  }

  /**
   * Leave quiescence. A leader heartbeats at once (its followers may be quiet
   * too) and restarts its CheckQuorum period from nobody heard: a leader that
   * was cut off while quiet steps down one election timeout after waking. A
   * follower restarts its election timer, or — `leaderSilent`, the driver saw
   * the leader's node go silent — counts it as run out, so it campaigns
   * within the randomized part of the timeout and grants votes at once.
   */
  wake(leaderSilent = false): void {
    if (!this.quiesced) return;
    // A learner never campaigns: woken for a silent leader it would only tick,
    // awake for good if the leader was alive after all (nothing else wakes a
    // quiet leader; sim seed 1872). If the leader is gone, the voters elect
    // another, whose first message (a newer term) wakes it.
    if (leaderSilent && this.role !== 'leader' && !this.isVoter(this.id)) return;
    this.quiesced = false;
    if (this.role === 'leader') {
      this.electionElapsed = 0;
      this.heartbeatElapsed = 0;
      this.leaseFresh = false;
      for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
      this.bcastHeartbeat();
    } else {
      this.electionElapsed = leaderSilent ? Math.max(this.electionElapsed, this.cfg.electionTicks) : 0;
    }
  }

  /**
   * Messages a quiet member takes without waking: the quiesce heartbeat
   * (again) and the answers to it; a commit notice of its leader that tells
   * nothing new (sent before the quiesce heartbeat and delivered after it:
   * it is not answered, so a follower it woke would stay awake with nobody
   * to put it back to sleep); and the vote requests of a node that is not a
   * voter here (a removed member that never learned it, campaigning every
   * election timeout: it must not keep the group awake, and the request is
   * refused or ignored as usual).
   */
  private keepsQuiet(m: Message): boolean {
    if (m.type === 'vote' && !this.isVoter(m.from)) return true;
    if (m.term !== this.term) return false;
    if (this.role === 'leader') return m.type === 'heartbeat-resp' && m.context.byteLength === 0;
    if (m.from !== this.lead) return false;
    if (m.type === 'app') return m.noReply === true && m.entries.length === 0 && m.commit <= this.log.committed;
    // A heartbeat that tells nothing new (a late or duplicated one: no read to confirm, no newer commit index) is
    // answered as usual, and a quiet leader keeps quiet for the answer; waking for it left this follower awake
    // with nobody to put it back to sleep (sim seed 1412).
    return m.type === 'heartbeat' && (m.quiesce === true || (m.context.byteLength === 0 && m.commit <= this.log.committed));
  }

  // ---- input messages ----------------------------------------------------

  step(m: Message): void {
    if (m.group !== this.cfg.group || m.to !== this.id) return;
    if (this.quiesced && !this.keepsQuiet(m)) this.wake();
    if (m.term > this.term) {
      if (m.type === 'vote') {
        // A voter that hears from a live leader ignores the request: this is
        // what keeps a node returning from a partition from deposing it.
        const inLease = this.cfg.checkQuorum && this.lead !== NONE && this.electionElapsed < this.cfg.electionTicks;
        if (!m.transfer && inLease) return;
      }
      if (m.type === 'vote' && m.preVote) {
        // Answer a pre-vote without adopting its term.
      } else if (m.type === 'vote-resp' && m.preVote && !m.reject) {
        // Our own future term; it is adopted when the real election starts.
      } else if (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'heartbeat' || m.type === 'app')) {
        // A stale leader (perhaps isolated while we moved on) learns our term and steps down.
        this.send({ type: 'app-resp', to: m.from, index: 0, reject: false, hintIndex: 0, hintTerm: 0 });
      } else if (m.type === 'vote') {
        // Answer a stale candidate with our term (the paper's rule): ignoring it
        // silently can leave the only candidate able to win campaigning below the
        // term of a voter that cannot yet see it as a voter, forever.
        this.send({ type: 'vote-resp', to: m.from, term: this.term, preVote: m.preVote, reject: true });
      }
      return;
    }

    if (m.type === 'vote') {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(m);
        break;
      case 'follower':
        this.stepFollower(m);
        break;
      default:
        this.stepCandidate(m);
    }
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'app-resp':
        this.handleAppendResponse(m);
        break;
      case 'heartbeat-resp':
        this.handleHeartbeatResponse(m);
        break;
      case 'read-index':
        this.leaderReadIndex(m.context, m.from);
        break;
      case 'transfer-leader':
        // A peer's request: an impossible target is ignored, never thrown out of step().
        if (this.isVoter(m.target)) this.leaderTransfer(m.target);
        break;
      default:
        // Vote answers after winning, or messages from a confused peer: nothing to do.
        break;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'app':
      case 'heartbeat':
      case 'snap':
        // Someone won this term.
        this.becomeFollower(m.term, m.from);
        this.stepFollower(m);
        break;
      case 'vote-resp':
        this.handleVoteResponse(m);
        break;
      default:
        break;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        break;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        // Quiet only with everything the leader commits: a follower missing
        // entries keeps its timer, and its campaign wakes the leader. Entries
        // past the commit (a stale tail from an older term) do not matter: the
        // leader's next append cuts them, and the leader knows this follower
        // matches its whole log. (Requiring none kept such a follower awake
        // for good — a learner, which never campaigns, forever: sim seed 122.)
        if (m.quiesce && this.cfg.quiesce && this.log.committed === m.commit) this.quiesced = true;
        break;
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        break;
      case 'timeout-now':
        // The leader hands over: campaign at once, skipping PreVote and the voters' leases.
        this.campaign(true);
        break;
      case 'read-index-resp':
        if (m.index > 0) this.readStates.push({ index: m.index, context: m.context });
        break;
      case 'transfer-leader':
        if (this.lead !== NONE) this.send({ type: 'transfer-leader', to: this.lead, target: m.target });
        break;
      case 'read-index':
        // Only a leader confirms reads; a follower that got one tells the asker it cannot.
        this.send({ type: 'read-index-resp', to: m.from, context: m.context, index: 0 });
        break;
      default:
        break;
    }
  }

  // ---- replication, follower side -----------------------------------------

  private handleAppend(m: MsgApp): void {
    // A commit notice (MsgApp.noReply) is answered only when it is rejected.
    const silent = m.noReply === true && m.entries.length === 0;
    if (m.prevIndex < this.log.committed) {
      if (!silent) this.send({ type: 'app-resp', to: m.from, index: this.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    const lastNew = this.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries);
    const cut = this.log.takeTruncation();
    if (cut !== undefined) this.dropAcksFrom(cut);
    if (lastNew >= 0) {
      if (!silent) this.send({ type: 'app-resp', to: m.from, index: lastNew, reject: false, hintIndex: 0, hintTerm: 0 });
      return;
    }
    // Tell the leader where our log could match, so it skips a whole term per round trip.
    const hint = this.log.findConflictByTerm(Math.min(m.prevIndex, this.log.lastIndex()), m.prevTerm);
    this.send({ type: 'app-resp', to: m.from, index: m.prevIndex, reject: true, hintIndex: hint.index, hintTerm: hint.term });
  }

  /**
   * Entries from `index` on were replaced before they were written. Queued
   * acknowledgements of them would leave after a write that does not contain
   * them, promising entries that are not durable (and never will be): drop them.
   */
  private dropAcksFrom(index: number): void {
    this.msgsAfterPersist = this.msgsAfterPersist.filter((x) => !(x.type === 'app-resp' && !x.reject && x.index >= index));
  }

  private handleHeartbeat(m: MsgHeartbeat): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send({ type: 'heartbeat-resp', to: m.from, context: m.context });
  }

  private handleSnapshot(m: MsgSnap): void {
    if (this.restore(m.snapshot)) {
      this.send({ type: 'app-resp', to: m.from, index: this.log.lastIndex(), reject: false, hintIndex: 0, hintTerm: 0 });
    } else {
      this.send({ type: 'app-resp', to: m.from, index: this.log.committed, reject: false, hintIndex: 0, hintTerm: 0 });
    }
  }

  private restore(s: Snapshot): boolean {
    if (s.meta.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.meta.index, s.meta.term)) {
      // We already have the entries: just move commit forward.
      this.log.commitTo(s.meta.index);
      return false;
    }
    this.log.restore(s);
    this.conf = s.meta.conf;
    this.resetProgress();
    return true;
  }

  // ---- replication, leader side -------------------------------------------

  private handleAppendResponse(m: MsgAppResp): void {
    const pr = this.progress.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    if (m.reject) {
      let hint = m.hintIndex;
      if (m.hintTerm > 0) hint = this.log.findConflictByTerm(m.hintIndex, m.hintTerm).index;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.mode === 'replicate') pr.becomeProbe();
        this.maybeSendAppend(m.from, true);
      }
      return;
    }
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.mode === 'probe') pr.becomeReplicate();
    else if (pr.mode === 'snapshot' && pr.match + 1 >= this.log.firstIndex()) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.mode === 'replicate') pr.inflights.freeLE(m.index);

    // A new commit index leaves at the end of this step (see flushLeaderSends).
    this.maybeCommit();
    while (this.maybeSendAppend(m.from, false) && pr.mode === 'replicate') {
      /* fill the window */
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.send({ type: 'timeout-now', to: m.from });
    }
  }

  private handleHeartbeatResponse(m: MsgHeartbeatResp): void {
    const pr = this.progress.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.mode === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < this.log.lastIndex()) this.maybeSendAppend(m.from, true);
    // Rounds exist in 'lease' mode too: reads while the lease is not fresh (see leaseFresh).
    if (m.context.byteLength > 0) {
      for (const done of this.readOnly.ack(m.context, m.from, this.conf.voters)) {
        for (const req of done.requests) this.answerRead(req.context, req.from, done.index);
      }
    }
  }

  /** Advance commit from the voters' durable match indexes. */
  maybeCommit(): boolean {
    const mci = committedIndex(this.conf.voters, (id) => this.progress.get(id)?.match ?? 0);
    const moved = this.log.maybeCommit(mci, this.term, this.cfg.unsafe.commitOldTermsByCounting === true);
    if (moved && this.readsBeforeCommit.length && this.committedInTerm()) {
      const reads = this.readsBeforeCommit;
      this.readsBeforeCommit = [];
      for (const r of reads) this.leaderReadIndex(r.context, r.from);
    }
    return moved;
  }

  private committedInTerm(): boolean {
    return this.log.zeroTermOnCompacted(this.log.committed) === this.term;
  }

  /** Our own entries up to `index` are durable: count ourselves toward a majority. */
  selfPersistedTo(index: number): void {
    if (this.role !== 'leader') return;
    const pr = this.progress.get(this.id);
    if (pr && pr.maybeUpdate(index)) this.maybeCommit();
  }

  // ---- proposals ---------------------------------------------------------

  private appendEntries(ents: Entry[]): void {
    let bytes = 0;
    for (const e of ents) bytes += entryBytes(e);
    this.uncommittedSize += bytes;
    this.log.append(ents);
    if (this.cfg.unsafe.ackBeforePersist) this.progress.get(this.id)?.maybeUpdate(this.log.lastIndex());
    this.appendPending = true;
    this.maybeCommit();
  }

  private checkCanPropose(bytes: number): void {
    if (this.role !== 'leader') throw new NotLeaderError(this.lead);
    if (this.leadTransferee !== NONE) throw new TransferInProgressError(this.leadTransferee);
    if (this.uncommittedSize > 0 && this.uncommittedSize + bytes > this.cfg.maxUncommittedSize) {
      throw new ProposalDroppedError(`too much uncommitted data (${this.uncommittedSize} bytes); retry when the cluster catches up`);
    }
  }

  propose(data: readonly Uint8Array[]): { index: number; term: number } {
    this.wake();
    let bytes = 0;
    for (const d of data) bytes += d.byteLength + 24;
    this.checkCanPropose(bytes);
    const first = this.log.lastIndex() + 1;
    const ents: Entry[] = new Array(data.length);
    for (let i = 0; i < data.length; i++) ents[i] = { term: this.term, index: first + i, type: EntryType.Normal, data: data[i]! };
    this.appendEntries(ents);
    return { index: first, term: this.term };
  }

  proposeConfChange(cc: ConfChange): { index: number; term: number } {
    this.wake();
    this.checkCanPropose(0);
    if (this.pendingConfIndex > this.log.applied) {
      throw new ConfChangeInProgressError(
        `a membership change (or this leader's first entry, index ${this.pendingConfIndex}) is not applied yet; applied is ${this.log.applied}`,
      );
    }
    const conf = nextConf(this.conf, cc);
    const index = this.log.lastIndex() + 1;
    this.appendEntries([{ term: this.term, index, type: EntryType.ConfChange, data: encodeConfChange({ change: cc, conf }) }]);
    this.pendingConfIndex = index;
    return { index, term: this.term };
  }

  /** A committed membership change is being applied: it takes effect now, on every member. */
  applyConfChange(e: Entry): void {
    const { conf } = decodeConfChange(e.data);
    this.conf = conf;
    const next = this.log.lastIndex() + 1;
    for (const id of [...this.progress.keys()]) {
      if (!conf.voters.includes(id) && !conf.learners.includes(id)) this.progress.delete(id);
    }
    const add = (id: NodeId, learner: boolean): void => {
      const pr = this.progress.get(id);
      if (pr) {
        pr.learner = learner;
        return;
      }
      const np = new Progress(next, this.cfg.maxInflightMsgs, learner);
      // A new member counts as active so CheckQuorum gives it time to answer.
      np.recentActive = true;
      if (id === this.id) np.match = this.selfPersisted();
      this.progress.set(id, np);
    };
    for (const v of conf.voters) add(v, false);
    for (const l of conf.learners) add(l, true);

    if (!conf.voters.includes(this.id)) {
      // No longer a voter: a leader that removed itself steps down, and a
      // (pre-)candidate stops campaigning — it could otherwise still collect
      // a majority and lead a configuration it is not part of.
      if (this.role !== 'follower') this.becomeFollower(this.term, this.role === 'leader' ? NONE : this.lead);
      return;
    }
    if (this.role !== 'leader') return;
    if (this.leadTransferee !== NONE && !conf.voters.includes(this.leadTransferee)) this.leadTransferee = NONE;
    // The quorum may have shrunk; new members need their first append.
    this.maybeCommit();
    this.appendPending = true;
  }

  /** Entries were applied: release the uncommitted budget they held. */
  reduceUncommitted(ents: readonly Entry[]): void {
    if (this.role !== 'leader') return;
    let bytes = 0;
    for (const e of ents) bytes += entryBytes(e);
    this.uncommittedSize = Math.max(0, this.uncommittedSize - bytes);
  }

  // ---- reads -------------------------------------------------------------

  readIndex(context: Uint8Array): void {
    this.wake();
    if (this.role === 'leader') {
      this.leaderReadIndex(context, this.id);
      return;
    }
    if (this.lead === NONE) throw new NotLeaderError(NONE);
    this.send({ type: 'read-index', to: this.lead, context });
  }

  private leaderReadIndex(context: Uint8Array, from: NodeId): void {
    if (!this.committedInTerm()) {
      // Until this term's first entry commits, our commit index may be behind
      // the previous leader's: postpone the read.
      this.readsBeforeCommit.push({ context, from });
      return;
    }
    if (this.conf.voters.length === 1 && this.isVoter(this.id)) {
      this.answerRead(context, from, this.log.committed);
    } else if (this.cfg.readOnly === 'lease' && this.leaseFresh) {
      this.answerRead(context, from, this.log.committed);
    } else {
      this.readOnly.add({ context, from });
    }
  }

  hasReadsToConfirm(): boolean {
    return this.role === 'leader' && this.readOnly.hasWaiting();
  }

  /** Start the heartbeat round for reads gathered since the last Ready. */
  startReadRound(): void {
    if (this.role !== 'leader' || !this.readOnly.hasWaiting()) return;
    const ctx = this.readOnly.startRound(this.log.committed, this.id);
    if (!ctx) return;
    // A single voter has nobody to ask.
    const done = this.readOnly.ack(ctx, this.id, this.conf.voters);
    for (const d of done) for (const r of d.requests) this.answerRead(r.context, r.from, d.index);
    if (done.length === 0) this.bcastHeartbeat(ctx);
  }

  private answerRead(context: Uint8Array, from: NodeId, index: number): void {
    if (from === this.id) this.readStates.push({ index, context });
    else this.send({ type: 'read-index-resp', to: from, context, index });
  }

  // ---- leadership transfer -----------------------------------------------

  transferLeader(target: NodeId): void {
    this.wake();
    if (this.role === 'leader') {
      this.leaderTransfer(target);
      return;
    }
    if (this.lead === NONE) throw new NotLeaderError(NONE);
    this.send({ type: 'transfer-leader', to: this.lead, target });
  }

  private leaderTransfer(target: NodeId): void {
    if (target === this.id) return;
    if (!this.isVoter(target)) throw new InvalidConfChangeError(`node ${target} is not a voter and cannot lead`);
    if (this.leadTransferee === target) return;
    this.leadTransferee = target;
    // The transfer must finish within one election timeout.
    this.electionElapsed = 0;
    const pr = this.progress.get(target)!;
    if (pr.match === this.log.lastIndex()) this.send({ type: 'timeout-now', to: target });
    else this.maybeSendAppend(target, true);
  }

  // ---- faults reported by the driver --------------------------------------

  reportUnreachable(id: NodeId): void {
    const pr = this.progress.get(id);
    if (this.role === 'leader' && pr && pr.mode === 'replicate') pr.becomeProbe();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.progress.get(id);
    if (this.role !== 'leader' || !pr || pr.mode !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's answer (or the next heartbeat) before probing.
    pr.probeSent = true;
  }
}

export { RaftError };
