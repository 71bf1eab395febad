// The invariants, checked incrementally as the simulation runs. Every check is
// fed by the driver at the moment the fact it needs becomes known:
//   - a Ready handed out (the node's log as it now believes it: its disk with
//     the Ready's snapshot and entries laid over it, and its hard state);
//   - a Ready persisted (what is now durable, and the promises sent after it);
//   - an entry applied or a snapshot installed;
//   - after every event, the status of the node the event touched.
// A node's log is tracked as a chain of hashes (see app.ts), so comparing two
// prefixes is comparing two numbers, and every check costs O(1) per entry.
//
// Invariants:
//   two-leaders           at most one leader per term
//   double-vote           a voter grants its vote to at most one candidate per term
//   log-matching          two logs holding an entry with the same index and term agree up to it
//   leader-completeness   a leader of term T holds every entry committed in a term before T
//   state-machine-safety  no two replicas apply (or install) different prefixes at one index
//   committed-lost        a committed entry is never overwritten, and commit never passes the log
//   commit-regressed, applied-regressed, term-regressed   cursors never go back on a live node
//                         (and the durable term/commit never go back across crashes)
//   vote-changed          a durable vote never changes within a term
//   stale-read            a ReadIndex answer is >= the commit index known anywhere when it was asked
//   lost-write            a confirmed proposal is in the committed log, with its data
//   promise-not-durable   a vote or append acknowledgement leaves only once what it promises is on disk
//   apply-order           entries are applied one index at a time, in order
//   liveness              after faults stop, a leader emerges and proposals commit within the budget
//   core-exception        the core threw something other than its documented errors
// And at the machine level, for the simulation of the production host (host-cluster.ts, machine-checks.ts):
//   machine-divergence    two members' machine states at the same applied index differ (snapshot bytes)
//   snapshot-replay       a state restored from a snapshot or checkpoint, then replayed, differs from replaying from the start
//   unreadable-append     a confirmed stream append is not readable, with its bytes, at its offset on every member after healing
//   lost-queue-message    a message of a confirmed queue publish is held by no queue on a member after healing, and no ack of it was proposed
//   acked-queue-message   a message whose ack was confirmed is still held by a queue on a member
//   queue-divergence      two members' queues at the same applied index hold other messages or figures
//   host-exception        the host's ready loop failed, or a client call threw something undocumented

import type { Status } from '../../raft/core/api.js';
import type { Ready } from '../../raft/core/ready.js';
import type { Unavailable } from '../../raft/core/storage.js';
import type { Entry, HardState, Message, NodeId, ReadState, Snapshot } from '../../raft/core/types.js';
import { chain, decodeAppState } from './app.js';

/** A node's stable storage as the checks read it (the core simulation's MemoryStorage, or the host simulation's durable log). */
export interface DiskView {
  snapshot(): Snapshot;
  firstIndex(): number;
  lastIndex(): number;
  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable;
  hardState(): HardState;
}

export type ViolationKind =
  | 'two-leaders'
  | 'double-vote'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'committed-lost'
  | 'commit-regressed'
  | 'applied-regressed'
  | 'term-regressed'
  | 'vote-changed'
  | 'stale-read'
  | 'lost-write'
  | 'promise-not-durable'
  | 'apply-order'
  | 'liveness'
  | 'core-exception'
  | 'machine-divergence'
  | 'snapshot-replay'
  | 'unreadable-append'
  | 'lost-queue-message'
  | 'acked-queue-message'
  | 'queue-divergence'
  | 'host-exception'
  /** A quiet follower stayed quiet long after its leader's node crashed (it would never elect another). */
  | 'quiet-follower-stuck'
  /** An idle, healthy cluster did not go quiet. */
  | 'not-quiet';

/** The safety properties proper (what the teeth tests expect the unsafe switches to break). */
export const SAFETY_KINDS: readonly ViolationKind[] = [
  'two-leaders',
  'double-vote',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'committed-lost',
  'lost-write',
  'stale-read',
  'machine-divergence',
  'snapshot-replay',
  'unreadable-append',
  'lost-queue-message',
  'acked-queue-message',
  'queue-divergence',
];

export interface Violation {
  readonly kind: ViolationKind;
  readonly seed: number;
  readonly step: number;
  readonly time: number;
  readonly node: NodeId;
  readonly message: string;
}

export interface CheckOptions {
  /** Check that votes and acknowledgements leave only when durable (off to see what the lack of it breaks). */
  readonly promises: boolean;
  /**
   * The chain value (see app.ts) at a snapshot's index, or undefined when it
   * cannot be known. By default read from the snapshot's data (the core
   * simulation's App writes it there); the host simulation's snapshots hold
   * machine state, so it asks the canonical committed log instead.
   */
  readonly snapshotHash?: (snap: Snapshot) => number | undefined;
}

/** A node's log as a chain of hashes: hashes[k] is the chain value at index base+k. */
export class LogView {
  base = 0;
  terms: number[] = [0];
  hashes: number[] = [0];

  reset(index: number, term: number, hash: number): void {
    this.base = index;
    this.terms = [term];
    this.hashes = [hash];
  }

  last(): number {
    return this.base + this.hashes.length - 1;
  }

  hashAt(i: number): number | undefined {
    return i < this.base ? undefined : this.hashes[i - this.base];
  }

  termAt(i: number): number | undefined {
    return i < this.base ? undefined : this.terms[i - this.base];
  }
}

interface NodeCheck {
  view: LogView;
  /** The commit index of the newest hard state handed out (entries up to it were checked). */
  commit: number;
  /** The last status seen while this incarnation lived. */
  incarnation: number;
  term: number;
  statusCommit: number;
  applied: number;
}

interface CanonEntry {
  readonly hash: number;
  readonly term: number;
}

export class Checker {
  readonly violations: Violation[] = [];
  step = 0;
  time = 0;
  /** Entries known committed (by a commit index handed out, an apply, or a snapshot): index -> chain value. */
  private readonly canon = new Map<number, CanonEntry>();
  maxCanon = 0;
  /** The largest commit index ever seen anywhere. */
  maxCommit = 0;
  private readonly leaders = new Map<number, NodeId>();
  private readonly votes = new Map<number, NodeId>();
  /** (index, term) -> chain value, over every log ever seen. */
  private readonly entryChains = new Map<number, number>();
  /** Per term, the largest commit index observed by a node in that term. */
  private readonly commitAtTerm: number[] = [];
  private prefixMax: number[] = [];
  private prefixDirty = false;
  private readonly nodes = new Map<NodeId, NodeCheck>();
  private readonly reads = new Map<string, { node: NodeId; bound: number }>();

  constructor(
    readonly seed: number,
    readonly options: CheckOptions = { promises: true },
  ) {}

  private snapshotHash(id: NodeId, s: Snapshot): number {
    if (!this.options.snapshotHash) return decodeAppState(s.data, s.meta.index).hash;
    const h = this.options.snapshotHash(s);
    if (h !== undefined) return h;
    this.fail('state-machine-safety', id, `node ${id} holds a snapshot at ${s.meta.term}/${s.meta.index}, an index never known to be committed`);
    return 0;
  }

  fail(kind: ViolationKind, node: NodeId, message: string): void {
    this.violations.push({ kind, seed: this.seed, step: this.step, time: this.time, node, message });
  }

  get failed(): boolean {
    return this.violations.length > 0;
  }

  private node(id: NodeId): NodeCheck {
    let n = this.nodes.get(id);
    if (!n) {
      n = { view: new LogView(), commit: 0, incarnation: -1, term: 0, statusCommit: 0, applied: 0 };
      this.nodes.set(id, n);
    }
    return n;
  }

  // ---- the log view --------------------------------------------------------

  /** (Re)build a node's view from its disk: at start and after every crash. */
  loadFromDisk(id: NodeId, disk: DiskView): void {
    const n = this.node(id);
    const snap = disk.snapshot();
    const hash = this.snapshotHash(id, snap);
    n.view.reset(snap.meta.index, snap.meta.term, hash);
    this.noteChain(id, snap.meta.index, snap.meta.term, hash);
    const first = disk.firstIndex();
    const last = disk.lastIndex();
    // A compacted log may keep entries at and below the snapshot index: start above it.
    const lo = Math.max(first, snap.meta.index + 1);
    if (lo <= last) {
      const ents = disk.entries(lo, last + 1, Infinity);
      if (Array.isArray(ents)) for (const e of ents) this.appendToView(id, n, e);
    }
    const hs = disk.hardState();
    n.commit = Math.max(hs.commit, snap.meta.index);
  }

  private noteChain(id: NodeId, index: number, term: number, hash: number): void {
    if (index === 0) return;
    const key = index * 1048576 + term;
    const prev = this.entryChains.get(key);
    if (prev === undefined) this.entryChains.set(key, hash);
    else if (prev !== hash) {
      this.fail('log-matching', id, `node ${id} holds entry ${term}/${index} with a different history than another log that holds ${term}/${index}`);
    }
  }

  private appendToView(id: NodeId, n: NodeCheck, e: Entry): void {
    const v = n.view;
    const at = e.index - v.base;
    if (at <= 0) return; // covered by the snapshot
    if (at > v.hashes.length) {
      this.fail('committed-lost', id, `node ${id} appends entry ${e.index} after a gap (log ends at ${v.last()})`);
      return;
    }
    if (at < v.hashes.length) {
      // Overwriting: allowed only above the commit index, and only with a different entry.
      if (e.index <= n.commit && v.terms[at] !== e.term) {
        this.fail('committed-lost', id, `node ${id} overwrites committed entry ${v.terms[at]}/${e.index} with ${e.term}/${e.index} (commit ${n.commit})`);
      }
      v.hashes.length = at;
      v.terms.length = at;
    }
    const h = chain(v.hashes[at - 1]!, e);
    v.hashes.push(h);
    v.terms.push(e.term);
    this.noteChain(id, e.index, e.term, h);
  }

  // ---- the canonical committed log ----------------------------------------

  private canonical(id: NodeId, index: number, term: number, hash: number, what: string): void {
    if (index === 0) return;
    const c = this.canon.get(index);
    if (c === undefined) {
      this.canon.set(index, { hash, term });
      if (index > this.maxCanon) this.maxCanon = index;
    } else if (c.hash !== hash) {
      this.fail(
        'state-machine-safety',
        id,
        `node ${id} ${what} at index ${index} (term ${term}) a different history than the committed one (term ${c.term} there)`,
      );
    }
  }

  canonAt(index: number): CanonEntry | undefined {
    return this.canon.get(index);
  }

  private observeCommit(term: number, commit: number): void {
    if ((this.commitAtTerm[term] ?? 0) < commit) {
      this.commitAtTerm[term] = commit;
      this.prefixDirty = true;
    }
    if (commit > this.maxCommit) this.maxCommit = commit;
  }

  /** The largest index known committed in a term before `term`. */
  committedBefore(term: number): number {
    if (this.prefixDirty || this.prefixMax.length < this.commitAtTerm.length + 1) {
      const p: number[] = [0];
      let m = 0;
      for (let t = 0; t < this.commitAtTerm.length; t++) {
        m = Math.max(m, this.commitAtTerm[t] ?? 0);
        p.push(m); // p[t+1] = max over terms <= t
      }
      this.prefixMax = p;
      this.prefixDirty = false;
    }
    const p = this.prefixMax;
    return p[Math.min(term, p.length - 1)] ?? 0;
  }

  // ---- events from the driver ----------------------------------------------

  /** A Ready left the core: lay it over the node's view and check what it claims. */
  onHandOut(id: NodeId, rd: Ready, st: Status): void {
    const n = this.node(id);
    if (rd.snapshot) {
      const s = rd.snapshot;
      const hash = this.snapshotHash(id, s);
      if (s.meta.index < n.commit) {
        this.fail('committed-lost', id, `node ${id} installs snapshot ${s.meta.index} below its commit index ${n.commit}`);
      }
      n.view.reset(s.meta.index, s.meta.term, hash);
      this.noteChain(id, s.meta.index, s.meta.term, hash);
      this.canonical(id, s.meta.index, s.meta.term, hash, 'receives a snapshot holding');
      n.commit = Math.max(n.commit, s.meta.index);
    }
    for (const e of rd.entries) this.appendToView(id, n, e);
    if (rd.hardState) {
      const { commit, term } = rd.hardState;
      if (commit < n.commit) {
        this.fail('commit-regressed', id, `node ${id} hands out commit ${commit} after ${n.commit}`);
      } else if (commit > n.commit) {
        const v = n.view;
        if (commit > v.last()) {
          this.fail('committed-lost', id, `node ${id} claims commit ${commit} beyond its log (last ${v.last()})`);
        } else {
          for (let i = Math.max(n.commit + 1, v.base + 1); i <= commit; i++) {
            this.canonical(id, i, v.terms[i - v.base]!, v.hashes[i - v.base]!, 'commits');
          }
        }
        n.commit = commit;
      }
      this.observeCommit(term, commit);
    }
    if (st.role === 'leader') this.checkLeaderCompleteness(id, n, st.term);
    for (const m of rd.messages) this.onSend(id, m, undefined);
  }

  private checkLeaderCompleteness(id: NodeId, n: NodeCheck, term: number): void {
    const need = this.committedBefore(term);
    const v = n.view;
    if (need <= v.base) return; // covered by its snapshot, which is committed
    if (need > v.last()) {
      this.fail('leader-completeness', id, `leader ${id} of term ${term} lacks entry ${need}, committed in an earlier term (its log ends at ${v.last()})`);
      return;
    }
    const c = this.canon.get(need);
    if (c && c.hash !== v.hashes[need - v.base]) {
      this.fail(
        'leader-completeness',
        id,
        `leader ${id} of term ${term} holds ${v.terms[need - v.base]}/${need} where ${c.term}/${need} was committed in an earlier term`,
      );
    }
  }

  /**
   * A message leaves node `id`. `disk` is given when it leaves after the
   * Ready was persisted (the durability promise is then checked against it);
   * messages leaving before persistence promise nothing, unless they are votes
   * or acknowledgements (which the core must never send early).
   */
  onSend(id: NodeId, m: Message, disk: DiskView | undefined): void {
    if (m.type === 'vote-resp' && !m.reject && !m.preVote) {
      const key = m.term * 1024 + id;
      const prev = this.votes.get(key);
      if (prev === undefined) this.votes.set(key, m.to);
      else if (prev !== m.to) this.fail('double-vote', id, `node ${id} votes for ${prev} and for ${m.to} in term ${m.term}`);
      if (this.options.promises) {
        // Durable: this vote, or a later term (in which no vote of term m.term can be cast again).
        const hs = disk?.hardState();
        if (!hs || hs.term < m.term || (hs.term === m.term && hs.vote !== m.to)) {
          this.fail('promise-not-durable', id, `node ${id} grants its vote to ${m.to} in term ${m.term} before that vote is durable`);
        }
      }
    } else if (m.type === 'app-resp' && !m.reject && m.index > 0 && this.options.promises) {
      if (!disk || m.index > disk.lastIndex()) {
        this.fail('promise-not-durable', id, `node ${id} acknowledges index ${m.index} to ${m.to} before it is durable`);
      }
    }
  }

  /** A Ready was written to disk (before its persistedMessages leave). */
  onPersisted(id: NodeId, before: { term: number; vote: NodeId; commit: number }, disk: DiskView): void {
    const hs = disk.hardState();
    if (hs.term < before.term) this.fail('term-regressed', id, `node ${id}'s durable term goes from ${before.term} to ${hs.term}`);
    if (hs.commit < before.commit) this.fail('commit-regressed', id, `node ${id}'s durable commit goes from ${before.commit} to ${hs.commit}`);
    if (hs.term === before.term && before.vote !== 0 && hs.vote !== before.vote) {
      this.fail('vote-changed', id, `node ${id}'s durable vote in term ${hs.term} changes from ${before.vote} to ${hs.vote}`);
    }
  }

  /** A committed entry was applied; `hash` is the node's chain value after it. */
  onApply(id: NodeId, e: Entry, hash: number): void {
    this.canonical(id, e.index, e.term, hash, 'applies');
  }

  /** A snapshot's state was installed into the node's state machine. */
  onInstall(id: NodeId, snap: Snapshot, hash: number): void {
    this.canonical(id, snap.meta.index, snap.meta.term, hash, 'installs');
  }

  /** After every event that touched a live node. */
  onStatus(id: NodeId, incarnation: number, st: Status): void {
    const n = this.node(id);
    if (n.incarnation !== incarnation) {
      n.incarnation = incarnation;
    } else {
      if (st.term < n.term) this.fail('term-regressed', id, `node ${id}'s term goes from ${n.term} to ${st.term}`);
      if (st.commit < n.statusCommit) this.fail('commit-regressed', id, `node ${id}'s commit goes from ${n.statusCommit} to ${st.commit}`);
      if (st.applied < n.applied) this.fail('applied-regressed', id, `node ${id}'s applied index goes from ${n.applied} to ${st.applied}`);
    }
    if (st.applied > st.commit) this.fail('apply-order', id, `node ${id} applied ${st.applied} beyond its commit ${st.commit}`);
    n.term = st.term;
    n.statusCommit = st.commit;
    n.applied = st.applied;
    if (st.commit > this.maxCommit) this.maxCommit = st.commit;
    if (st.role === 'leader') {
      const prev = this.leaders.get(st.term);
      if (prev === undefined) this.leaders.set(st.term, id);
      else if (prev !== id) this.fail('two-leaders', id, `nodes ${prev} and ${id} both lead term ${st.term}`);
    }
  }

  leaderOf(term: number): NodeId | undefined {
    return this.leaders.get(term);
  }

  /** How many terms had a leader. */
  leaderTerms(): number {
    return this.leaders.size;
  }

  // ---- reads ---------------------------------------------------------------

  onReadAsked(id: NodeId, ctx: string): void {
    this.reads.set(ctx, { node: id, bound: this.maxCommit });
  }

  onReadAnswered(id: NodeId, rs: ReadState, ctx: string): boolean {
    const r = this.reads.get(ctx);
    if (!r) return false;
    if (r.node !== id) this.fail('stale-read', id, `node ${id} gets the answer to read ${ctx}, asked on node ${r.node}`);
    if (rs.index < r.bound) {
      this.fail('stale-read', id, `read ${ctx} on node ${id} answered with index ${rs.index}, below commit ${r.bound} known when it was asked`);
    }
    return true;
  }

  // ---- confirmed writes ----------------------------------------------------

  /** A proposal was confirmed to its client: applied on the proposer at the position it was given. */
  onConfirmed(id: NodeId, index: number, term: number): void {
    const c = this.canon.get(index);
    if (!c || c.term !== term) {
      this.fail('lost-write', id, `confirmed proposal ${term}/${index} on node ${id} is not the committed entry there (${c ? `${c.term}/${index}` : 'none'})`);
    }
  }

  /**
   * At the end of a run that converged: the final leader's log holds the whole
   * committed log (every entry ever known committed, in any term, is there).
   */
  finalCheck(leader: NodeId): void {
    const n = this.nodes.get(leader);
    if (!n || this.maxCanon === 0) return;
    const v = n.view;
    const need = this.maxCanon;
    if (need <= v.base) return;
    const c = this.canon.get(need)!;
    if (need > v.last() || v.hashes[need - v.base] !== c.hash) {
      this.fail('committed-lost', leader, `the final leader ${leader} does not hold the committed log up to ${need} (its log ends at ${v.last()})`);
    }
  }

  /** The entry a live replica holds at `index` of its log view, if any. */
  viewOf(id: NodeId): LogView | undefined {
    return this.nodes.get(id)?.view;
  }
}
