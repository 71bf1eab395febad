// The simulated driver around one RawNode: the same loop a production host
// runs, on virtual time. Its "disk" is a MemoryStorage: whatever has been
// written to it survives a crash, and nothing else does. A Ready is handled in
// the order the contract (raft/core/ready.ts) prescribes:
//   1. `messages` leave at once;
//   2. the write (snapshot, entries, hard state) is issued and completes after
//      a simulated delay — meanwhile the node keeps ticking and stepping;
//   3. when it completes: `persistedMessages` leave, the snapshot is installed
//      and `committedEntries` applied, `readStates` served, then advance();
//      a committed membership change is recorded on disk (setConfState).
// A crash drops the RawNode, the state machine and the write in flight (or, as
// a torn write, keeps only a prefix of its entries). A restart builds a new
// RawNode from the disk with `applied` = the snapshot's index, so the state
// machine starts from the snapshot and the committed tail is replayed.

import type { Status } from '../../raft/core/api.js';
import type { Config } from '../../raft/core/config.js';
import { MemoryStorage } from '../../raft/core/memory-storage.js';
import { RawNode } from '../../raft/core/raw-node.js';
import type { Ready } from '../../raft/core/ready.js';
import type { ConfState, Entry, Message, NodeId, ReadState } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import type { SnapshotPolicy } from './app.js';
import { App } from './app.js';
import type { Checker } from './checkers.js';
import type { Rng } from './prng.js';

/** The core's settings for every node of a run (id, group, storage and randomness are per node). */
export type RaftSettings = Omit<Config, 'id' | 'group' | 'storage' | 'random' | 'applied'>;

export interface NodeSettings {
  readonly raft: RaftSettings;
  readonly snapshot: SnapshotPolicy;
  /** Bounds of a synced write's duration. */
  readonly persistDelay: readonly [number, number];
  /** Probability that a crash during a write keeps a prefix of its entries. */
  readonly tornWriteRate: number;
  /** Probability that a write stalls (a slow disk) for up to `stallMax`. */
  readonly stallRate: number;
  readonly stallMax: number;
}

/** What the node needs from the simulation around it. */
export interface NodeHost {
  readonly checker: Checker;
  send(from: SimNode, m: Message): void;
  /** Complete the write in flight on `node` (incarnation `inc`) after `delay`. */
  persistLater(node: SimNode, inc: number, delay: number): void;
  applied(node: SimNode, e: Entry): void;
  installed(node: SimNode): void;
  /** The node's Ready says it has just become leader. */
  becameLeader(node: SimNode): void;
  readAnswered(node: SimNode, rs: ReadState): void;
  trace: ((line: string) => void) | undefined;
}

export class SimNode {
  readonly disk: MemoryStorage;
  readonly app = new App();
  raw: RawNode | undefined;
  incarnation = 0;
  private inflight: Ready | undefined;
  /** How many Readys this node handed out (for stats). */
  readies = 0;
  /** While the virtual time is below this, the process is frozen (see faults.ts). */
  pausedUntil = 0;
  /** Whether writes may stall (off once the faults stop). */
  stalls = true;

  constructor(
    readonly id: NodeId,
    bootstrap: ConfState | undefined,
    private readonly settings: NodeSettings,
    private readonly host: NodeHost,
    private readonly rng: Rng,
  ) {
    this.disk = new MemoryStorage(bootstrap ?? { voters: [], learners: [] });
  }

  get alive(): boolean {
    return this.raw !== undefined;
  }

  /** Start (or restart) from the disk. */
  start(): void {
    if (this.raw) throw new Error(`node ${this.id} is already running`);
    this.incarnation++;
    const snap = this.disk.snapshot();
    this.raw = new RawNode({
      ...this.settings.raft,
      id: this.id,
      group: 0,
      storage: this.disk,
      random: this.rng.fork(`raft/${this.id}/${this.incarnation}`),
      applied: snap.meta.index,
    });
    const st = this.app.restore(snap);
    this.host.checker.loadFromDisk(this.id, this.disk);
    this.host.checker.onInstall(this.id, snap, st.hash);
  }

  /** Lose everything that is not on disk. Returns a description. */
  crash(): string {
    let torn = '';
    const rd = this.inflight;
    if (rd && !rd.snapshot && rd.entries.length > 1 && this.rng.chance(this.settings.tornWriteRate)) {
      const keep = this.rng.range(1, rd.entries.length - 1);
      this.disk.append(rd.entries.slice(0, keep));
      torn = ` (torn write: kept ${keep} of ${rd.entries.length} entries)`;
    } else if (rd) {
      torn = ' (write in flight lost)';
    }
    this.raw = undefined;
    this.inflight = undefined;
    this.pausedUntil = 0;
    this.host.checker.loadFromDisk(this.id, this.disk);
    return torn;
  }

  status(): Status {
    return this.raw!.status();
  }

  get appliedIndex(): number {
    return this.app.applied;
  }

  calmDisk(): void {
    this.stalls = false;
  }

  tick(): void {
    this.raw!.tick();
    this.drive();
  }

  step(m: Message): void {
    this.raw!.step(m);
    this.drive();
  }

  /** Hand out Readys until the node has nothing to do or a write is in flight. */
  drive(): void {
    let guard = 0;
    while (this.raw && !this.inflight && this.raw.hasReady()) {
      if (++guard > 1000) throw new Error(`node ${this.id}: hasReady() stays true after 1000 Readys`);
      const raw = this.raw;
      const rd = raw.ready();
      this.readies++;
      const trace = this.host.trace;
      if (trace) trace(`n${this.id} ready${describeBrief(rd)}`);
      for (const m of rd.messages) this.host.send(this, m);
      this.host.checker.onHandOut(this.id, rd, raw.status());
      if (rd.softState?.role === 'leader') this.host.becameLeader(this);
      const write = rd.snapshot !== undefined || rd.entries.length > 0 || rd.hardState !== undefined;
      if (write && rd.mustSync) {
        this.inflight = rd;
        const [lo, hi] = this.settings.persistDelay;
        const stall = this.stalls && this.rng.chance(this.settings.stallRate);
        this.host.persistLater(this, this.incarnation, stall ? this.rng.range(hi, this.settings.stallMax) : this.rng.range(lo, hi));
        return;
      }
      this.complete(rd);
    }
  }

  /** The write of the Ready in flight is durable (called by the scheduler). */
  persisted(inc: number): void {
    if (inc !== this.incarnation || !this.inflight) return;
    const rd = this.inflight;
    this.inflight = undefined;
    this.complete(rd);
    this.drive();
  }

  private complete(rd: Ready): void {
    const raw = this.raw!;
    const disk = this.disk;
    const checker = this.host.checker;
    const before = disk.hardState();
    if (rd.snapshot) disk.applySnapshot(rd.snapshot);
    if (rd.entries.length) disk.append(rd.entries);
    if (rd.hardState) disk.setHardState(rd.hardState);
    checker.onPersisted(this.id, before, disk);
    if (this.host.trace && (rd.entries.length || rd.snapshot || rd.hardState)) this.host.trace(`n${this.id} persisted`);
    for (const m of rd.persistedMessages) {
      checker.onSend(this.id, m, disk);
      this.host.send(this, m);
    }
    if (rd.snapshot) {
      const st = this.app.restore(rd.snapshot);
      checker.onInstall(this.id, rd.snapshot, st.hash);
      this.host.installed(this);
    }
    let confChanged = false;
    for (const e of rd.committedEntries) {
      if (e.index !== this.app.applied + 1) {
        checker.fail('apply-order', this.id, `node ${this.id} is handed entry ${e.index} to apply after ${this.app.applied}`);
        if (e.index <= this.app.applied) continue;
      }
      const h = this.app.apply(e);
      checker.onApply(this.id, e, h);
      this.host.applied(this, e);
      if (e.type === EntryType.ConfChange) confChanged = true;
    }
    for (const rs of rd.readStates) this.host.readAnswered(this, rs);
    raw.advance(rd);
    if (confChanged) disk.setConfState(raw.status().conf);
    this.maybeSnapshot();
  }

  /** The application snapshots its state now and then and compacts the log behind it. */
  private maybeSnapshot(): void {
    const { every, keep } = this.settings.snapshot;
    if (every <= 0) return;
    const applied = this.app.applied;
    const snapIndex = this.disk.snapshot().meta.index;
    if (applied - snapIndex < every || applied > this.disk.lastIndex()) return;
    this.disk.createSnapshot(applied, this.raw!.status().conf, this.app.snapshotData());
    const to = applied + 1 - keep;
    if (to > this.disk.firstIndex()) this.disk.compact(to);
    if (this.host.trace) this.host.trace(`n${this.id} snapshot at ${applied}, log from ${this.disk.firstIndex()}`);
  }
}

function describeBrief(rd: Ready): string {
  const parts: string[] = [];
  if (rd.softState) parts.push(`${rd.softState.role} lead=${rd.softState.leader}`);
  if (rd.hardState) parts.push(`hs=${rd.hardState.term}/${rd.hardState.vote}/${rd.hardState.commit}`);
  if (rd.snapshot) parts.push(`snap=${rd.snapshot.meta.term}/${rd.snapshot.meta.index}`);
  if (rd.entries.length) parts.push(`ents=${rd.entries[0]!.index}..${rd.entries[rd.entries.length - 1]!.index}`);
  if (rd.committedEntries.length) parts.push(`apply=${rd.committedEntries[0]!.index}..${rd.committedEntries[rd.committedEntries.length - 1]!.index}`);
  if (rd.messages.length) parts.push(`msgs=${rd.messages.length}`);
  if (rd.persistedMessages.length) parts.push(`pmsgs=${rd.persistedMessages.length}`);
  if (rd.readStates.length) parts.push(`reads=${rd.readStates.map((r) => r.index).join(',')}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}
