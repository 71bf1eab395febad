// Record encoding: every value is
//
//   u8 format version | u32 crc32 | payload
//
// and the checksum covers the KEY as well as the payload, so a value that ends
// up under the wrong key (a misdirected write, a damaged key) fails too. The
// payloads are hand-laid-out binary: no JSON on the append path, and a reader
// needs no schema beyond the version byte. Decoding never copies entry data;
// the Entry's data is a view into the buffer LevelDB handed back.

import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * zlib.crc32, except that empty input returns the seed. zlib treats a null
 * buffer as "return the initial value" (0), and Node hands it a null pointer
 * for some empty arrays (new TextEncoder().encode(''), for one): an empty entry
 * then got checksum 0 and the node refused to restart on its own log.
 */
function crc32(data: Uint8Array, seed = 0): number {
  return data.byteLength === 0 ? seed >>> 0 : zlibCrc32(data, seed);
}
import type { ConfState, Entry, EntryType, GroupId, HardState, NodeId } from '../raft/core/types.js';
import { WalCorruptionError } from './errors.js';
import type { RecordKind } from './errors.js';

export const FORMAT_VERSION = 1;
const HEADER = 5;
const TWO_32 = 0x1_0000_0000;

function writeU53(buf: Buffer, off: number, v: number): void {
  buf.writeUInt32BE(Math.floor(v / TWO_32), off);
  buf.writeUInt32BE(v >>> 0, off + 4);
}

function readU53(buf: Buffer, off: number): number {
  return buf.readUInt32BE(off) * TWO_32 + buf.readUInt32BE(off + 4);
}

// CRC-32 (the zlib polynomial) of a short key in plain JavaScript: for a
// 14-byte entry key a table walk is several times cheaper than a second call
// into zlib, and the result is the same number zlib.crc32 gives.
const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

export function keyChecksum(key: Uint8Array): number {
  return extendChecksum(0, key, 0, key.length);
}

/** zlib.crc32(bytes[from, to), seed) in JavaScript, for a few bytes; falls back to zlib for many. */
function extendChecksum(seed: number, bytes: Uint8Array, from: number, to: number): number {
  if (to - from > 32) return crc32(bytes.subarray(from, to), seed);
  let c = ~seed;
  for (let i = from; i < to; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function seal(key: Uint8Array, value: Buffer): Buffer {
  value[0] = FORMAT_VERSION;
  value.writeUInt32BE(crc32(value.subarray(HEADER), keyChecksum(key)), 1);
  return value;
}

/** Where a record sits, for the error that names it when it is damaged. */
export interface RecordPlace {
  readonly group: GroupId | undefined;
  readonly kind: RecordKind;
  readonly index?: number | undefined;
}

/** Checks version and checksum and returns the payload (a view, no copy). */
export function openRecord(key: Uint8Array, value: Uint8Array, at: RecordPlace, minPayload = 0): Buffer {
  const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const fail = (reason: string): never => {
    throw new WalCorruptionError(at.group, at.kind, at.index, reason);
  };
  if (buf.length < HEADER) fail(`value is ${buf.length} bytes, shorter than its header`);
  if (buf[0] !== FORMAT_VERSION) fail(`unknown format version ${buf[0]}`);
  const want = buf.readUInt32BE(1);
  const got = crc32(buf.subarray(HEADER), keyChecksum(key));
  if (want !== got) fail(`checksum mismatch (stored ${want.toString(16)}, computed ${got.toString(16)})`);
  if (buf.length - HEADER < minPayload) fail(`payload is ${buf.length - HEADER} bytes, expected at least ${minPayload}`);
  return buf.subarray(HEADER);
}

// --- entries -----------------------------------------------------------------

const ENTRY_FIXED = 9;

export function encodeEntry(key: Uint8Array, e: Entry): Buffer {
  const v = Buffer.allocUnsafe(HEADER + ENTRY_FIXED + e.data.byteLength);
  writeU53(v, HEADER, e.term);
  v[HEADER + 8] = e.type;
  v.set(e.data, HEADER + ENTRY_FIXED);
  return seal(key, v);
}

/**
 * Encodes into a buffer shared by every caller and returns a view of it,
 * valid only until the next call: for a batch that copies the value at once
 * (see write-queue.ts), so the append path allocates nothing per entry.
 */
export function encodeEntryScratch(key: Uint8Array, e: Entry): Buffer {
  const n = HEADER + ENTRY_FIXED + e.data.byteLength;
  // An unusually large entry gets its own buffer rather than growing the shared one for good.
  if (n > SCRATCH_MAX) return encodeEntry(key, e);
  if (n > scratch.length) {
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(n, scratch.length * 2)));
    views.clear();
  }
  // Entries of a stream tend to have few distinct sizes: reuse one view per length.
  let v = views.get(n);
  if (!v) {
    if (views.size > 64) views.clear();
    v = scratch.subarray(0, n);
    views.set(n, v);
  }
  writeU53(v, HEADER, e.term);
  v[HEADER + 8] = e.type;
  v.set(e.data, HEADER + ENTRY_FIXED);
  // The same checksum as seal() computes, without a view of the payload: the
  // fixed fields in JavaScript, then zlib over the caller's data where it lies.
  const c = crc32(e.data, extendChecksum(keyChecksum(key), v, HEADER, HEADER + ENTRY_FIXED));
  v[0] = FORMAT_VERSION;
  v.writeUInt32BE(c, 1);
  return v;
}

const SCRATCH_MAX = 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(16 * 1024);
const views = new Map<number, Buffer>();

export function decodeEntry(key: Uint8Array, value: Uint8Array, group: GroupId, index: number): Entry {
  const p = openRecord(key, value, { group, kind: 'entry', index }, ENTRY_FIXED);
  return { term: readU53(p, 0), index, type: p[8] as EntryType, data: p.subarray(ENTRY_FIXED) };
}

// --- small records ---------------------------------------------------------------

export function encodeTermRun(key: Uint8Array, term: number): Buffer {
  const v = Buffer.allocUnsafe(HEADER + 8);
  writeU53(v, HEADER, term);
  return seal(key, v);
}

export function decodeTermRun(key: Uint8Array, value: Uint8Array, group: GroupId, index: number): number {
  return readU53(openRecord(key, value, { group, kind: 'term-run', index }, 8), 0);
}

export function encodeHardState(key: Uint8Array, hs: HardState): Buffer {
  const v = Buffer.allocUnsafe(HEADER + 20);
  writeU53(v, HEADER, hs.term);
  v.writeUInt32BE(hs.vote, HEADER + 8);
  writeU53(v, HEADER + 12, hs.commit);
  return seal(key, v);
}

export function decodeHardState(key: Uint8Array, value: Uint8Array, group: GroupId): HardState {
  const p = openRecord(key, value, { group, kind: 'hard-state' }, 20);
  return { term: readU53(p, 0), vote: p.readUInt32BE(8), commit: readU53(p, 12) };
}

/** First index of the log and the term of the entry just before it (the snapshot's, or a compacted one's). */
export interface FirstIndexRecord {
  readonly first: number;
  readonly prevTerm: number;
}

export function encodeFirstIndex(key: Uint8Array, r: FirstIndexRecord): Buffer {
  const v = Buffer.allocUnsafe(HEADER + 16);
  writeU53(v, HEADER, r.first);
  writeU53(v, HEADER + 8, r.prevTerm);
  return seal(key, v);
}

export function decodeFirstIndex(key: Uint8Array, value: Uint8Array, group: GroupId): FirstIndexRecord {
  const p = openRecord(key, value, { group, kind: 'first-index' }, 16);
  return { first: readU53(p, 0), prevTerm: readU53(p, 8) };
}

function confLength(c: ConfState): number {
  return 8 + 4 * (c.voters.length + c.learners.length);
}

function writeConf(buf: Buffer, off: number, c: ConfState): number {
  buf.writeUInt32BE(c.voters.length, off);
  off += 4;
  for (const n of c.voters) (buf.writeUInt32BE(n, off), (off += 4));
  buf.writeUInt32BE(c.learners.length, off);
  off += 4;
  for (const n of c.learners) (buf.writeUInt32BE(n, off), (off += 4));
  return off;
}

function readConf(p: Buffer, off: number, fail: (why: string) => never): ConfState {
  const readList = (): NodeId[] => {
    if (off + 4 > p.length) fail('membership list truncated');
    const n = p.readUInt32BE(off);
    off += 4;
    if (off + 4 * n > p.length) fail('membership list truncated');
    const out: NodeId[] = [];
    for (let i = 0; i < n; i++, off += 4) out.push(p.readUInt32BE(off));
    return out;
  };
  const voters = readList();
  const learners = readList();
  return { voters, learners };
}

export function encodeConfState(key: Uint8Array, c: ConfState): Buffer {
  const v = Buffer.allocUnsafe(HEADER + confLength(c));
  writeConf(v, HEADER, c);
  return seal(key, v);
}

export function decodeConfState(key: Uint8Array, value: Uint8Array, group: GroupId): ConfState {
  const p = openRecord(key, value, { group, kind: 'conf-state' });
  return readConf(p, 0, (why) => {
    throw new WalCorruptionError(group, 'conf-state', undefined, why);
  });
}

// --- snapshots ---------------------------------------------------------------------

/** Which generation of chunks holds the snapshot's data, and how to check it was read whole. */
export interface SnapshotMetaRecord {
  readonly generation: number;
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
  readonly dataLength: number;
  readonly chunkCount: number;
  readonly dataCrc: number;
}

export function encodeSnapshotMeta(key: Uint8Array, m: SnapshotMetaRecord): Buffer {
  const v = Buffer.allocUnsafe(HEADER + 36 + confLength(m.conf));
  v.writeUInt32BE(m.generation, HEADER);
  writeU53(v, HEADER + 4, m.index);
  writeU53(v, HEADER + 12, m.term);
  writeU53(v, HEADER + 20, m.dataLength);
  v.writeUInt32BE(m.chunkCount, HEADER + 28);
  v.writeUInt32BE(m.dataCrc, HEADER + 32);
  writeConf(v, HEADER + 36, m.conf);
  return seal(key, v);
}

export function decodeSnapshotMeta(key: Uint8Array, value: Uint8Array, group: GroupId): SnapshotMetaRecord {
  const p = openRecord(key, value, { group, kind: 'snapshot-meta' }, 36);
  const conf = readConf(p, 36, (why) => {
    throw new WalCorruptionError(group, 'snapshot-meta', undefined, why);
  });
  return {
    generation: p.readUInt32BE(0),
    index: readU53(p, 4),
    term: readU53(p, 12),
    dataLength: readU53(p, 20),
    chunkCount: p.readUInt32BE(28),
    dataCrc: p.readUInt32BE(32),
    conf,
  };
}

/** A checkpoint's meta: which generation of chunks holds its data. */
export interface CheckpointRecord {
  readonly generation: number;
  readonly index: number;
  readonly dataLength: number;
  readonly chunkCount: number;
  readonly dataCrc: number;
}

export function encodeCheckpoint(key: Uint8Array, m: CheckpointRecord): Buffer {
  const v = Buffer.allocUnsafe(HEADER + 28);
  v.writeUInt32BE(m.generation, HEADER);
  writeU53(v, HEADER + 4, m.index);
  writeU53(v, HEADER + 12, m.dataLength);
  v.writeUInt32BE(m.chunkCount, HEADER + 20);
  v.writeUInt32BE(m.dataCrc, HEADER + 24);
  return seal(key, v);
}

export function decodeCheckpoint(key: Uint8Array, value: Uint8Array, group: GroupId): CheckpointRecord {
  const p = openRecord(key, value, { group, kind: 'checkpoint' }, 28);
  return { generation: p.readUInt32BE(0), index: readU53(p, 4), dataLength: readU53(p, 12), chunkCount: p.readUInt32BE(20), dataCrc: p.readUInt32BE(24) };
}

export function encodeSnapshotChunk(key: Uint8Array, data: Uint8Array): Buffer {
  const v = Buffer.allocUnsafe(HEADER + data.byteLength);
  v.set(data, HEADER);
  return seal(key, v);
}

export function decodeSnapshotChunk(key: Uint8Array, value: Uint8Array, group: GroupId, chunk: number): Buffer {
  return openRecord(key, value, { group, kind: 'snapshot-chunk', index: chunk });
}

export function dataChecksum(data: Uint8Array): number {
  return crc32(data);
}

// --- node identity -----------------------------------------------------------------

export interface IdentityRecord {
  readonly clusterId: string;
  readonly nodeId: NodeId;
}

export function encodeIdentity(key: Uint8Array, id: IdentityRecord): Buffer {
  const name = Buffer.from(id.clusterId, 'utf8');
  const v = Buffer.allocUnsafe(HEADER + 4 + name.length);
  v.writeUInt32BE(id.nodeId, HEADER);
  name.copy(v, HEADER + 4);
  return seal(key, v);
}

export function decodeIdentity(key: Uint8Array, value: Uint8Array): IdentityRecord {
  const p = openRecord(key, value, { group: undefined, kind: 'identity' }, 4);
  return { nodeId: p.readUInt32BE(0), clusterId: p.subarray(4).toString('utf8') };
}
