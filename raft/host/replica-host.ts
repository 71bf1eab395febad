// The ready loop around one Raft group member.
//
// The core is synchronous; this host gives it time (a tick timer), feeds it
// peer messages as they arrive, and drives one Ready at a time through the
// order ready.ts prescribes: send `messages`, persist snapshot + entries +
// hard state in one write (synced when the core says so), only then send
// `persistedMessages`, apply committed entries, serve confirmed reads, advance.
// Committed entries already durable here before the Ready (the usual case on
// a leader: commits learned from acks) are applied while the write is in
// flight rather than after it.
//
// Group commit falls out of the shape: while one persist is in flight, new
// proposals and inbound messages are stepped into the core and gather into
// the next Ready, so one fsync covers everything that arrived meanwhile.
//
// Timing defaults aim at failover in well under a second after a leader dies
// (see DEFAULT_TIMING) while tolerating event-loop stalls of a couple of
// hundred milliseconds on a busy 2-core machine.

import type { ProposalPosition, Status } from '../core/api.js';
import type { Config, RandomSource } from '../core/config.js';
import { RawNode } from '../core/raw-node.js';
import type { Ready } from '../core/ready.js';
import type { ConfChange, ConfState, Entry, GroupId, Message, NodeId } from '../core/types.js';
import { EntryType } from '../core/types.js';
import type { GroupLog } from './wal.js';
import type { Clock, Logger, StateMachine, Transport } from './env.js';
import { silentLogger, systemClock } from './env.js';
import type { Applied } from './proposals.js';
import { Proposals } from './proposals.js';
import { PendingReads } from './reads.js';
import type { RetainingStateMachine } from './snapshotter.js';
import { Snapshotter } from './snapshotter.js';
import type { Tickable } from './ticker.js';
import { Ticker } from './ticker.js';

/**
 * Default timing. A tick of 25 ms with an election timeout of 12 ticks means a
 * follower campaigns 300–600 ms (randomized) after it last heard from the
 * leader; pre-vote and vote take a couple of loopback round trips, so a new
 * leader is usually in place ~0.5 s after a crash. Heartbeats every 2 ticks
 * (50 ms) give six chances per election timeout to keep followers quiet.
 */
export const DEFAULT_TIMING = { tickMs: 25, electionTicks: 12, heartbeatTicks: 2 } as const;

/**
 * A new commit index reaches a follower on the next append or heartbeat to
 * it; only when none leaves within this many ms does it go in a message of
 * its own. With one request in flight the next request's append follows the
 * confirm within about a millisecond, so the notice almost never leaves
 * alone: measured on this 2-core machine, every message on loopback costs
 * the leader a writev that wakes another process (11% of the leader's
 * samples at one message in flight in a --prof profile), and the notices
 * were two of seven peer messages per confirmed message. A follower applies
 * (and serves its readers and consumers) at most this much later than it
 * did; under load the commit rides on appends that leave anyway.
 */
export const DEFAULT_COMMIT_NOTICE_MS = 2;

export interface HostEvents {
  /** Leader or role changed. */
  leaderChanged?(leader: NodeId, term: number, role: Status['role']): void;
  /** A committed membership change (or snapshot) changed the membership. */
  confChanged?(conf: ConfState): void;
  /** One persist finished: how long it took and whether it was synced. */
  persisted?(seconds: number, synced: boolean, entries: number): void;
  /** Entries applied in one Ready. */
  applied?(count: number, appliedIndex: number): void;
  /** A failure the node cannot continue after (the log could not be written). */
  fatal?(err: Error): void;
}

export interface ReplicaHostOptions<R> {
  readonly id: NodeId;
  readonly group: GroupId;
  readonly log: GroupLog;
  readonly transport: Transport;
  /** The live machine committed entries are applied to. */
  readonly machine: RetainingStateMachine<R>;
  readonly random: RandomSource;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Advance the Raft snapshot (and compact below it) once it can move this many entries. */
  readonly snapshotEvery?: number;
  /** ...or once it can move this many bytes of entries (default 32 MiB). */
  readonly snapshotBytes?: number;
  /** Entries kept below a snapshot so slightly lagging followers catch up from the log, not a snapshot... */
  readonly compactKeep?: number;
  /** ...within about this many bytes (default 8 MiB). */
  readonly compactKeepBytes?: number;
  /** Save a restart checkpoint of the live machine once this many entries were applied since the last... */
  readonly checkpointEvery?: number;
  /** ...or this many bytes of entries (default 64 MiB), whichever comes first: bounds what a restart replays. */
  readonly checkpointBytes?: number;
  readonly events?: HostEvents;
  /**
   * The node's one tick timer, shared by every group it hosts (ticker.ts).
   * Given one, the group quiesces when idle (raft.ts, quiescence) and the
   * ticker wakes it when its leader's node goes silent; the node must feed
   * the ticker what it hears from peers. Without one the host makes its own
   * and never quiesces (a host alone has no node-level liveness to lean on).
   */
  readonly ticker?: Ticker;
  /** Quiesce when idle (default: whenever a shared ticker is given). */
  readonly quiesce?: boolean;
  /**
   * How long a commit notice to a follower (an empty append that only
   * carries the commit index) waits for a message that would carry the index
   * anyway — the next append or heartbeat to that follower — before it leaves
   * on its own; 0 sends it at once. Default 2 ms (DEFAULT_COMMIT_NOTICE_MS).
   */
  readonly commitNoticeMs?: number;
  /** Core settings besides timing (message size, in-flight window, back pressure); the core's defaults when absent. */
  readonly core?: Pick<Config, 'maxSizePerMsg' | 'maxInflightMsgs' | 'maxUncommittedSize' | 'unsafe'>;
  /**
   * Switches that plant a bug in the host on purpose, so the simulation can
   * show it finds it (cluster-tests/sim). Never set outside tests.
   */
  readonly unsafe?: {
    /** A leader applies (and confirms) its new entries once its own write is durable, before a majority has them. */
    readonly applyUncommitted?: boolean;
    /** Compaction ignores the machine's live indexes: entries it still reads are deleted below the snapshot. */
    readonly ignoreLiveIndexes?: boolean;
    /** A restart restores the checkpoint but resumes from the snapshot's index: entries in between apply twice. */
    readonly restartAtSnapshotIndex?: boolean;
    /** A quiet follower ignores the ticker's word that its leader's node is silent: it never wakes for a dead leader. */
    readonly ignoreLeaderSilence?: boolean;
  };
}

export class HostStoppedError extends Error {
  override readonly name = 'HostStoppedError';
}

/** A peer's snapshot that the machine could not restore: refused before anything was persisted. */
export class SnapshotRefusedError extends Error {
  override readonly name = 'SnapshotRefusedError';
}

export class ReplicaHost<R> implements Tickable {
  readonly id: NodeId;
  readonly group: GroupId;
  readonly node: RawNode;
  private readonly log: GroupLog;
  private readonly transport: Transport;
  private readonly machine: StateMachine<R>;
  private readonly clock: Clock;
  readonly logger: Logger;
  private readonly events: HostEvents;
  private readonly proposals = new Proposals<R>();
  private readonly reads = new PendingReads();
  readonly tickMs: number;
  readonly electionTicks: number;
  private readonly snapshotter: Snapshotter<R>;
  private readonly ticker: Ticker;
  private started = false;
  /** Whether the ticker holds this group as quiet (mirrors node.quiesced after every input). */
  private quiet = false;
  private readonly ignoreLeaderSilence: boolean;
  private loopScheduled = false;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private appliedIndex: number;
  /** Bytes of entries applied since the snapshotter was last told. */
  private appliedBytes = 0;
  private leader: NodeId = 0;
  private term = 0;
  private readonly heartbeatTicks: number;
  /** A Ready's write is in flight: messages that may leave early go out via sendEarly. */
  private persisting = false;
  private earlyScheduled = false;
  private readonly applyUncommitted: boolean;
  /** Commit notices held back by follower (see commitNoticeMs), and the timer that sends them. */
  private readonly notices = new Map<NodeId, Message>();
  private noticeTimer: unknown;
  private readonly commitNoticeMs: number;

  constructor(opts: ReplicaHostOptions<R>) {
    this.id = opts.id;
    this.group = opts.group;
    this.log = opts.log;
    this.transport = opts.transport;
    this.machine = opts.machine;
    this.clock = opts.clock ?? systemClock;
    this.events = opts.events ?? {};
    this.tickMs = opts.ticker?.tickMs ?? opts.tickMs ?? DEFAULT_TIMING.tickMs;
    this.electionTicks = opts.electionTicks ?? DEFAULT_TIMING.electionTicks;
    this.heartbeatTicks = opts.heartbeatTicks ?? DEFAULT_TIMING.heartbeatTicks;
    this.ticker = opts.ticker ?? new Ticker({ clock: this.clock, tickMs: this.tickMs, silentTicks: this.electionTicks, pingTicks: this.heartbeatTicks });
    this.ignoreLeaderSilence = opts.unsafe?.ignoreLeaderSilence ?? false;
    // The caller binds the group (and node) to the logger, so lines carry it once.
    this.logger = opts.logger ?? silentLogger;

    // Restart: the live machine comes back from the checkpoint (or the
    // snapshot, when newer), and the core hands out the committed entries
    // after it again.
    const snapshotEvery = opts.snapshotEvery ?? 20_000;
    this.snapshotter = new Snapshotter({
      log: this.log,
      machine: this.machine,
      logger: this.logger,
      snapshotEvery,
      compactKeep: opts.compactKeep ?? 5_000,
      ...(opts.snapshotBytes !== undefined ? { snapshotBytes: opts.snapshotBytes } : {}),
      ...(opts.compactKeepBytes !== undefined ? { compactKeepBytes: opts.compactKeepBytes } : {}),
      checkpointEvery: opts.checkpointEvery ?? snapshotEvery,
      checkpointBytes: opts.checkpointBytes ?? 64 << 20,
      ignoreLiveIndexes: opts.unsafe?.ignoreLiveIndexes ?? false,
      restartAtSnapshotIndex: opts.unsafe?.restartAtSnapshotIndex ?? false,
    });
    this.applyUncommitted = opts.unsafe?.applyUncommitted ?? false;
    this.commitNoticeMs = opts.commitNoticeMs ?? DEFAULT_COMMIT_NOTICE_MS;
    this.appliedIndex = this.snapshotter.restore();
    this.node = new RawNode({
      id: opts.id,
      group: opts.group,
      storage: opts.log,
      random: opts.random,
      electionTicks: this.electionTicks,
      heartbeatTicks: this.heartbeatTicks,
      applied: this.appliedIndex,
      preVote: true,
      checkQuorum: true,
      quiesce: opts.quiesce ?? opts.ticker !== undefined,
      ...opts.core,
    });
    this.term = this.node.status().term;
    // Entries the log had to fetch from disk are now in memory: let the core retry.
    this.log.onEntriesLoaded(() => this.schedule());
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    // Time moves on after the event loop has read what arrived meanwhile:
    // the ticker defers its ticks past the poll phase, so a heartbeat waiting
    // in a socket while this process was busy is stepped first, and a loaded
    // but healthy follower does not take its busy event loop for a silent
    // leader (nor a leader its followers' acknowledgements for silence).
    this.ticker.add(this);
    this.schedule();
  }

  /** One tick (from the ticker, while this group is awake). */
  tickOnce(): void {
    if (this.stopped) return;
    this.node.tick();
    this.schedule();
  }

  /** The ticker has not heard from this quiet follower's leader's node for an election timeout. */
  leaderSilent(): void {
    if (this.stopped || this.ignoreLeaderSilence) return;
    this.logger.debug({ leader: this.node.lead }, "the leader's node is silent: waking the quiet group to elect another");
    this.node.wake(true);
    this.schedule();
  }

  /** Keep the ticker's view in step with the core's: a quiet group is not ticked. */
  private syncQuiet(): void {
    const q = this.node.quiesced;
    if (q === this.quiet || this.stopped || !this.started) return;
    this.quiet = q;
    if (!q) this.ticker.woke(this);
    else this.ticker.quiet(this, this.node.lead === this.id ? 0 : this.node.lead);
  }

  // ---- inputs ------------------------------------------------------------

  /** Step a peer's message. Throws SnapshotRefusedError for a snapshot the machine cannot restore (nothing is changed). */
  step(m: Message): void {
    if (this.stopped) return;
    if (m.type === 'snap' && this.machine.verifySnapshot) {
      try {
        this.machine.verifySnapshot(m.snapshot.data);
      } catch (e) {
        throw new SnapshotRefusedError(`snapshot at index ${m.snapshot.meta.index} from node ${m.from} cannot be restored: ${(e as Error).message}`);
      }
    }
    this.node.step(m);
    this.schedule();
  }

  reportUnreachable(peer: NodeId): void {
    if (this.stopped) return;
    this.node.reportUnreachable(peer);
    this.schedule();
  }

  reportSnapshot(peer: NodeId, ok: boolean): void {
    if (this.stopped) return;
    this.node.reportSnapshot(peer, ok);
    this.schedule();
  }

  /** Propose one command; resolves with the state machine's result once applied here. Throws NotLeaderError etc. synchronously. */
  propose(data: Uint8Array): Promise<Applied<R>> {
    this.checkRunning();
    const pos = this.node.propose(data);
    this.schedule();
    return this.proposals.add(pos)[0]!;
  }

  /** Propose several commands as consecutive entries (one promise each). */
  proposeBatch(data: readonly Uint8Array[]): Promise<Applied<R>>[] {
    this.checkRunning();
    const pos = this.node.proposeBatch(data);
    this.schedule();
    return this.proposals.add(pos, data.length);
  }

  proposeConfChange(cc: ConfChange): Promise<Applied<R>> {
    this.checkRunning();
    const pos: ProposalPosition = this.node.proposeConfChange(cc);
    this.schedule();
    return this.proposals.add(pos)[0]!;
  }

  /**
   * A linearizable read barrier: resolves with an index once this node has
   * applied everything committed before the call (confirmed by a quorum, via
   * the leader when we follow). Throws NotLeaderError when no leader is known.
   */
  readBarrier(timeoutMs = 10_000): Promise<number> {
    this.checkRunning();
    const { context, promise } = this.reads.add();
    try {
      this.node.readIndex(context);
    } catch (e) {
      this.reads.expire(context, 'no leader');
      promise.catch(() => {});
      throw e;
    }
    const timer = this.clock.setTimeout(() => this.reads.expire(context, `no read confirmation within ${timeoutMs} ms`), timeoutMs);
    this.schedule();
    return promise.finally(() => this.clock.clearTimeout(timer));
  }

  transferLeader(target: NodeId): void {
    this.checkRunning();
    this.node.transferLeader(target);
    this.schedule();
  }

  campaign(): void {
    this.checkRunning();
    this.node.campaign();
    this.schedule();
  }

  // ---- observation ---------------------------------------------------------

  status(): Status {
    const s = this.node.status();
    if (!s.quiesced || s.role !== 'leader') return s;
    // A quiet leader hears nothing from its followers: whether each is active
    // (consumer failure detection, leader balancing read it) is its node's
    // liveness, which the ticker keeps for every group at once.
    return { ...s, peers: s.peers.map((p) => (p.id === this.id ? p : { ...p, active: this.ticker.recentlyHeard(p.id) })) };
  }

  get applied(): number {
    return this.appliedIndex;
  }

  get currentLeader(): NodeId {
    return this.leader;
  }

  get isLeader(): boolean {
    // Read without building a Status: the node's housekeeping asks it of every group it hosts, quiet ones included.
    return this.node.lead === this.id;
  }

  // ---- the loop ----------------------------------------------------------

  private checkRunning(): void {
    if (this.stopped) throw new HostStoppedError(`node ${this.id} is shutting down`);
  }

  private schedule(): void {
    this.syncQuiet();
    if (this.persisting) this.sendEarly();
    if (this.loopScheduled || this.loop || this.stopped) return;
    this.loopScheduled = true;
    // Deferred (setImmediate) rather than running now: everything stepped in
    // this turn (a burst of proposals, a batch of peer messages) joins one Ready.
    this.clock.defer(() => {
      this.loopScheduled = false;
      if (this.loop || this.stopped) return;
      this.loop = this.runLoop().finally(() => {
        this.loop = undefined;
        if (!this.stopped && this.node.hasReady()) this.schedule();
      });
    });
  }

  private async runLoop(): Promise<void> {
    try {
      while (!this.stopped && this.node.hasReady()) await this.handleReady(this.node.ready());
    } catch (e) {
      const err = e as Error;
      this.logger.error({ err: err.message, stack: err.stack }, 'the ready loop failed; this node cannot continue');
      this.stopNow(`node ${this.id} failed: ${err.message}`);
      this.events.fatal?.(err);
    }
  }

  private async handleReady(rd: Ready): Promise<void> {
    if (rd.softState) {
      const st = this.node.status();
      const changed = rd.softState.leader !== this.leader || st.term !== this.term;
      this.leader = rd.softState.leader;
      this.term = st.term;
      this.events.leaderChanged?.(this.leader, this.term, rd.softState.role);
      if (changed) {
        this.dropNotices();
        this.logger.info({ leader: this.leader, term: this.term, role: rd.softState.role }, 'leader changed');
        this.reads.interruptUnconfirmed(`leadership changed before the read was confirmed (${this.leader ? `node ${this.leader} leads term ${this.term}` : `no leader yet in term ${this.term}`})`);
      }
    } else if (rd.hardState && rd.hardState.term !== this.term) {
      this.term = rd.hardState.term;
    }

    // 1. Messages that may leave before our own copy is durable.
    if (rd.messages.length) this.sendNow(rd.messages);

    // Committed entries this node already holds durably (stored before this
    // Ready, below its new entries) need nothing from this Ready's write:
    // they are applied while the write is in flight, so a confirm never waits
    // for an fsync that has nothing to do with it (on the leader, every turn's
    // new proposals would otherwise delay the confirms of the previous ones by
    // a whole write). Committed entries can never be truncated, so the rest of
    // the log stays as it is; a snapshot in the Ready is installed first, as before.
    let early = 0;
    if (!rd.snapshot && rd.committedEntries.length) {
      const stored = this.log.lastIndex();
      const firstNew = rd.entries.length ? rd.entries[0]!.index : Number.POSITIVE_INFINITY;
      while (early < rd.committedEntries.length) {
        const i = rd.committedEntries[early]!.index;
        if (i > stored || i >= firstNew) break;
        early++;
      }
    }

    // 2. One write for snapshot, entries and hard state.
    let count = 0;
    let confChanged = false;
    if (rd.snapshot || rd.entries.length || rd.hardState) {
      const t0 = this.clock.now();
      this.persisting = true;
      try {
        const write = this.log.persist({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot }, rd.mustSync);
        if (early) {
          // Let the write start first (the log's write queue issues it in a
          // microtask): applying a large entry takes a while, and this write —
          // with the acknowledgement that waits on it — must not wait for that.
          // (Now that a commit index rides on the next append, a follower
          // applies an entry in the Ready that writes the next one.)
          await Promise.resolve();
          // The write is queued; if applying throws, still wait for it before failing.
          try {
            ({ count, confChanged } = this.applyEntries(rd.committedEntries, 0, early, count, confChanged));
          } catch (e) {
            await write.catch(() => undefined);
            throw e;
          }
        }
        await write;
      } finally {
        this.persisting = false;
      }
      this.events.persisted?.((this.clock.now() - t0) / 1000, rd.mustSync, rd.entries.length);
      // Entries from a newer leader may have replaced ones this node proposed while it led.
      this.proposals.replaced(rd.entries, this.node.status().term);
    } else early = 0;

    // 3. Votes and acknowledgements, which promise the state just written.
    if (rd.persistedMessages.length) this.transport.send(rd.persistedMessages);

    // 4. Apply.
    if (rd.snapshot) {
      this.machine.restore(rd.snapshot.data, rd.snapshot.meta);
      this.appliedIndex = rd.snapshot.meta.index;
      this.snapshotter.installed(rd.snapshot);
      this.proposals.snapshotInstalled(rd.snapshot.meta.index);
      this.logger.info({ index: rd.snapshot.meta.index, term: rd.snapshot.meta.term, bytes: rd.snapshot.data.byteLength }, 'installed a snapshot from the leader');
      confChanged = true;
    }
    ({ count, confChanged } = this.applyEntries(rd.committedEntries, early, rd.committedEntries.length, count, confChanged));
    // The planted bug (tests only): treat the leader's own durable entries as committed.
    if (this.applyUncommitted && this.node.status().role === 'leader') ({ count, confChanged } = this.applyEntries(rd.entries, 0, rd.entries.length, count, confChanged));

    // 5. Confirmed reads: served once applied reaches their index.
    for (const rs of rd.readStates) this.reads.confirmed(rs.context, rs.index);

    // 6. Hand the Ready back; the core applies membership changes here.
    this.node.advance(rd);
    this.reads.appliedTo(this.appliedIndex);
    if (count) this.events.applied?.(count, this.appliedIndex);

    if (confChanged) {
      const conf = this.node.status().conf;
      await this.log.setConfState(conf);
      this.logger.info({ voters: conf.voters, learners: conf.learners }, 'membership changed');
      this.events.confChanged?.(conf);
    }
    this.snapshotter.maybeRun(this.appliedIndex, this.node.status().conf, this.appliedBytes);
    this.appliedBytes = 0;
  }

  /** Apply committed entries [from, to) to the machine and settle their proposals. */
  private applyEntries(entries: readonly Entry[], from: number, to: number, count: number, confChanged: boolean): { count: number; confChanged: boolean } {
    for (let k = from; k < to; k++) {
      const e = entries[k]!;
      if (e.index <= this.appliedIndex) continue;
      this.appliedBytes += e.data.byteLength;
      let result: R | undefined;
      if (e.type === EntryType.ConfChange) confChanged = true;
      else if (e.data.byteLength > 0) result = this.machine.apply(e);
      this.appliedIndex = e.index;
      this.proposals.applied(e, result);
      count++;
    }
    return { count, confChanged };
  }

  /**
   * While a Ready's write is in flight, messages that may leave now (a
   * leader's heartbeats and appends, which promise nothing about our own log)
   * go out without waiting for it: a stalled disk must not silence a healthy
   * leader, and new proposals reach followers in parallel with our own write.
   * Coalesced per event-loop turn, like everything else the host sends.
   */
  private sendEarly(): void {
    if (this.earlyScheduled) return;
    this.earlyScheduled = true;
    this.clock.defer(() => {
      this.earlyScheduled = false;
      if (this.stopped || !this.persisting) return;
      const msgs = this.node.takeMessages();
      if (msgs.length) this.sendNow(msgs);
    });
  }

  /**
   * Hand messages that may leave now to the transport, except commit notices
   * (MsgApp.noReply), which wait up to commitNoticeMs for an append or
   * heartbeat to the same follower that carries the index anyway.
   */
  private sendNow(msgs: readonly Message[]): void {
    if (this.commitNoticeMs <= 0) {
      this.transport.send(msgs);
      return;
    }
    let out: Message[] | undefined;
    for (let k = 0; k < msgs.length; k++) {
      const m = msgs[k]!;
      if (m.type === 'app' && m.noReply === true && m.entries.length === 0) {
        this.notices.set(m.to, m);
        out ??= msgs.slice(0, k);
        continue;
      }
      if (this.notices.size && (m.type === 'app' || m.type === 'heartbeat')) {
        const held = this.notices.get(m.to);
        if (held && held.type === 'app' && m.commit >= held.commit) this.notices.delete(m.to);
      }
      out?.push(m);
    }
    const send = out ?? msgs;
    if (send.length) this.transport.send(send);
    if (this.notices.size && this.noticeTimer === undefined) {
      this.noticeTimer = this.clock.setTimeout(() => {
        this.noticeTimer = undefined;
        if (this.stopped || this.notices.size === 0) return;
        const held = [...this.notices.values()];
        this.notices.clear();
        this.transport.send(held);
      }, this.commitNoticeMs);
    }
  }

  /** Leadership changed: notices of the old term are dropped (the new leader tells its own commit index). */
  private dropNotices(): void {
    this.notices.clear();
    if (this.noticeTimer !== undefined) this.clock.clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
  }

  // ---- shutdown ------------------------------------------------------------

  private stopNow(why: string): void {
    this.stopped = true;
    this.dropNotices();
    this.ticker.remove(this);
    this.proposals.failAll(why);
    this.reads.failAll(why);
  }

  /** Stop ticking and stepping, let the Ready in flight finish its write, settle every waiter. */
  async stop(): Promise<void> {
    if (this.stopped && !this.loop) return;
    this.stopNow(`node ${this.id} is shutting down`);
    if (this.loop) await this.loop;
    await this.snapshotter.stop();
  }
}
