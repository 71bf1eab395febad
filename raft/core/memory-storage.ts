// An in-memory Storage: the reference implementation of the read interface,
// used by unit tests, the deterministic simulation (as a node's durable disk)
// and the in-process benchmark. Writes are synchronous here; the simulation
// decides what "durable" means by when it calls them.

import { CompactedError } from './errors.js';
import type { InitialState, Storage, Unavailable } from './storage.js';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';
import { entryBytes } from './types.js';

const EMPTY_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

export class MemoryStorage implements Storage {
  private hard: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot;
  /** ents[0] is a dummy standing for the snapshot: its index and term. */
  private ents: Entry[];

  constructor(conf: ConfState = { voters: [], learners: [] }) {
    this.snap = { meta: { index: 0, term: 0, conf }, data: new Uint8Array(0) };
    this.ents = [{ term: 0, index: 0, type: 0, data: new Uint8Array(0) }];
  }

  initialState(): InitialState {
    return { hardState: this.hard, confState: this.conf };
  }

  /** Membership: the snapshot's, overridden by setConfState as changes are applied. */
  private confOverride: ConfState | undefined;
  get conf(): ConfState {
    return this.confOverride ?? this.snap.meta.conf;
  }
  setConfState(conf: ConfState): void {
    this.confOverride = conf;
  }

  hardState(): HardState {
    return this.hard;
  }

  setHardState(hs: HardState): void {
    this.hard = hs;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable {
    const offset = this.ents[0]!.index;
    if (lo <= offset) throw new CompactedError(lo, offset + 1);
    const last = this.lastIndex();
    if (hi > last + 1) throw new RangeError(`entries [${lo}, ${hi}) beyond last index ${last}`);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.ents[i - offset]!;
      bytes += entryBytes(e);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  term(i: number): number {
    const offset = this.ents[0]!.index;
    if (i < offset) throw new CompactedError(i, offset + 1);
    if (i - offset >= this.ents.length) return 0;
    return this.ents[i - offset]!.term;
  }

  firstIndex(): number {
    return this.ents[0]!.index + 1;
  }

  lastIndex(): number {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Append entries, dropping any existing entries at and after the first new index. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    let es = entries;
    // Entries below the snapshot are already covered by it.
    if (es[0]!.index < first) {
      const skip = first - es[0]!.index;
      if (skip >= es.length) return;
      es = es.slice(skip);
    }
    const offset = this.ents[0]!.index;
    const at = es[0]!.index - offset;
    if (at > this.ents.length) {
      throw new RangeError(`gap: appending index ${es[0]!.index} after last index ${this.lastIndex()}`);
    }
    this.ents.length = at;
    for (const e of es) this.ents.push(e);
  }

  /** Replace everything with a snapshot received from a leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index <= this.snap.meta.index) return;
    this.snap = snap;
    this.confOverride = undefined;
    this.ents = [{ term: snap.meta.term, index: snap.meta.index, type: 0, data: new Uint8Array(0) }];
  }

  /** Record a snapshot the application took at `index` (which must be applied, so it is in the log). */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.meta.index) return this.snap;
    const term = this.term(index);
    this.snap = { meta: { index, term, conf }, data };
    return this.snap;
  }

  /** Drop entries before `index`; the entry at index-1 becomes the dummy. */
  compact(index: number): void {
    const offset = this.ents[0]!.index;
    if (index <= offset + 1) return;
    const last = this.lastIndex();
    if (index > last + 1) throw new RangeError(`compact ${index} beyond last index ${last}`);
    const keep = index - 1 - offset;
    const dummy = this.ents[keep]!;
    this.ents = [{ term: dummy.term, index: dummy.index, type: 0, data: new Uint8Array(0) }, ...this.ents.slice(keep + 1)];
  }
}
