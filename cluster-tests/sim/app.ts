// The replicated state machine of the simulation. Its state is a hash chain
// over every entry applied (term, type and data): h(i) = mix(h(i-1), entry i).
// Two replicas that applied the same sequence up to i have the same h(i), and
// one number per index is enough to compare whole prefixes, so the checkers
// compare replicas in O(1) per entry. The same chain, computed over a node's
// log instead of its applied entries, is what the Log Matching check uses; a
// snapshot carries h at its index, so a log that starts at a snapshot still
// knows the chain value of its prefix.

import type { Entry, Snapshot } from '../../raft/core/types.js';

/** The chain value before any entry: index 0. */
export const CHAIN_ORIGIN = 0x1badb002;

/** Chain values are 53-bit numbers built from two independent 32-bit lanes. */
export function chain(prev: number, e: Entry): number {
  return chainRaw(prev, e.term, e.type, e.data);
}

export function chainRaw(prev: number, term: number, type: number, data: Uint8Array): number {
  const lo = prev >>> 0;
  const hi = Math.floor(prev / 4294967296) >>> 0;
  let h1 = mix(0x243f6a88 ^ lo, hi);
  let h2 = mix(0x85a308d3 ^ hi, lo);
  h1 = mix(h1, term);
  h2 = mix(h2, term ^ 0x3c6ef372);
  h1 = mix(h1, type + 1);
  h2 = mix(h2, (type + 1) ^ data.byteLength);
  const n = data.byteLength;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    h1 = mix(h1, w);
    h2 = mix(h2, w ^ i);
  }
  let tail = n;
  for (; i < n; i++) tail = (tail << 8) | data[i]!;
  h1 = fmix(mix(h1, tail));
  h2 = fmix(mix(h2, tail ^ 0x9e3779b9));
  return (h2 & 0x1fffff) * 4294967296 + (h1 >>> 0);
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** What a snapshot's data holds: the applied index and the chain value there. */
export interface AppSnapshotState {
  readonly index: number;
  readonly hash: number;
  readonly normalEntries: number;
}

export function encodeAppState(s: AppSnapshotState): Uint8Array {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setFloat64(0, s.index);
  dv.setFloat64(8, s.hash);
  dv.setFloat64(16, s.normalEntries);
  return b;
}

/** Decode snapshot data; an empty payload (the bootstrap snapshot) is the origin. */
export function decodeAppState(data: Uint8Array, index: number): AppSnapshotState {
  if (data.byteLength === 0) {
    if (index !== 0) throw new Error(`empty snapshot data at index ${index}`);
    return { index: 0, hash: CHAIN_ORIGIN, normalEntries: 0 };
  }
  if (data.byteLength !== 24) throw new Error(`snapshot data of ${data.byteLength} bytes`);
  const dv = new DataView(data.buffer, data.byteOffset, 24);
  return { index: dv.getFloat64(0), hash: dv.getFloat64(8), normalEntries: dv.getFloat64(16) };
}

/** One replica's state machine. */
export class App {
  applied = 0;
  hash = CHAIN_ORIGIN;
  /** Non-empty normal entries applied (the workload's payloads). */
  normalEntries = 0;

  /** Apply the next committed entry; returns the new chain value. */
  apply(e: Entry): number {
    this.applied = e.index;
    this.hash = chain(this.hash, e);
    if (e.type === 0 && e.data.byteLength > 0) this.normalEntries++;
    return this.hash;
  }

  /** Replace the state with a snapshot's (install, or restart from disk). */
  restore(snap: Snapshot): AppSnapshotState {
    const s = decodeAppState(snap.data, snap.meta.index);
    if (s.index !== snap.meta.index) throw new Error(`snapshot data says index ${s.index}, meta says ${snap.meta.index}`);
    this.applied = s.index;
    this.hash = s.hash;
    this.normalEntries = s.normalEntries;
    return s;
  }

  snapshotData(): Uint8Array {
    return encodeAppState({ index: this.applied, hash: this.hash, normalEntries: this.normalEntries });
  }
}

/** How a node takes snapshots and compacts its log. */
export interface SnapshotPolicy {
  /** Take a snapshot once this many entries were applied since the last one (0: never). */
  every: number;
  /** Entries kept before the snapshot index when compacting (so a follower just behind needs no snapshot). */
  keep: number;
}
