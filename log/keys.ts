// The key layout of the LevelDB that holds every group's log on a node.
//
//   'n' 'i'                              node identity (cluster id, node id)
//   'g' u32 group  'e' u64 index         one Raft entry
//   'g' u32 group  't' u64 index         a term run starts at index (see term-runs.ts)
//   'g' u32 group  'h'                   hard state
//   'g' u32 group  'c'                   membership set since the last snapshot
//   'g' u32 group  'f'                   first index and the term just before it
//   'g' u32 group  'm'                   snapshot meta (points at one generation)
//   'g' u32 group  's' u32 gen u32 chunk snapshot (and checkpoint) data, in chunks
//   'g' u32 group  'k'                   checkpoint meta (points at one generation)
//   'g' u32 group  'l' u64 index         an entry kept below the first index (sparse part)
//   'g' u32 group  'i' u64 index         a mark (empty value) for each 'l' key: the sparse part's index
//   'g' u32 group  'j'                   present once the 'i' marks list every 'l' key
//
// Why marks: the sparse part can hold a whole stream's bodies (a gigabyte),
// and LevelDB keeps values in the same blocks as their keys, so even a
// keys-only scan of the 'l' range reads and decompresses all of it (340 ms of
// a restart with 1 000 000 messages). The marks are tiny keys of their own,
// written and deleted in the same batch as the entry they mark.
//
// All integers are big-endian so that LevelDB's bytewise order is numeric
// order: a group's keys are contiguous, its entries sorted by index, and a
// range of entries is one key range to iterate or delete. Indexes stay below
// 2^53, written as two u32 halves.

import type { GroupId } from '../raft/core/types.js';

export const KeyType = {
  Entry: 0x65, // 'e'
  TermRun: 0x74, // 't'
  HardState: 0x68, // 'h'
  ConfState: 0x63, // 'c'
  FirstIndex: 0x66, // 'f'
  SnapshotMeta: 0x6d, // 'm'
  SnapshotChunk: 0x73, // 's'
  Checkpoint: 0x6b, // 'k'
  Sparse: 0x6c, // 'l'
  SparseMark: 0x69, // 'i'
  SparseMarksComplete: 0x6a, // 'j'
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

const GROUP = 0x67; // 'g'
const NODE = 0x6e; // 'n'
const PREFIX_LEN = 5;
const TWO_32 = 0x1_0000_0000;

export const IDENTITY_KEY: Buffer = Buffer.from([NODE, 0x69]);

/** The keys of one group; the prefix is built once and copied into each key. */
export class GroupKeys {
  private readonly prefix: Buffer;
  private scratchKey: Buffer | undefined;

  constructor(readonly group: GroupId) {
    if (!Number.isInteger(group) || group < 0 || group >= TWO_32) throw new RangeError(`group id ${group} is not a u32`);
    this.prefix = Buffer.allocUnsafe(PREFIX_LEN);
    this.prefix[0] = GROUP;
    this.prefix.writeUInt32BE(group, 1);
  }

  private indexed(type: KeyType, index: number): Buffer {
    const k = Buffer.allocUnsafe(PREFIX_LEN + 9);
    this.prefix.copy(k, 0);
    k[PREFIX_LEN] = type;
    k.writeUInt32BE(Math.floor(index / TWO_32), PREFIX_LEN + 1);
    k.writeUInt32BE(index >>> 0, PREFIX_LEN + 5);
    return k;
  }

  private single(type: KeyType): Buffer {
    const k = Buffer.allocUnsafe(PREFIX_LEN + 1);
    this.prefix.copy(k, 0);
    k[PREFIX_LEN] = type;
    return k;
  }

  entry(index: number): Buffer {
    return this.indexed(KeyType.Entry, index);
  }

  /** The key of entry `index` in a buffer this GroupKeys reuses: valid until the next call. */
  entryScratch(index: number): Buffer {
    const k = (this.scratchKey ??= this.entry(0));
    k.writeUInt32BE(Math.floor(index / TWO_32), PREFIX_LEN + 1);
    k.writeUInt32BE(index >>> 0, PREFIX_LEN + 5);
    return k;
  }

  /** An entry of the sparse part below the first index: kept by compaction or sent with a snapshot. */
  sparse(index: number): Buffer {
    return this.indexed(KeyType.Sparse, index);
  }

  /** The mark of sparse entry `index` (see the layout above). */
  sparseMark(index: number): Buffer {
    return this.indexed(KeyType.SparseMark, index);
  }

  /** Present when the sparse marks are complete: opening may trust them instead of scanning the sparse part. */
  sparseMarksComplete(): Buffer {
    return this.single(KeyType.SparseMarksComplete);
  }

  termRun(index: number): Buffer {
    return this.indexed(KeyType.TermRun, index);
  }

  hardState(): Buffer {
    return this.single(KeyType.HardState);
  }

  confState(): Buffer {
    return this.single(KeyType.ConfState);
  }

  firstIndex(): Buffer {
    return this.single(KeyType.FirstIndex);
  }

  snapshotMeta(): Buffer {
    return this.single(KeyType.SnapshotMeta);
  }

  checkpoint(): Buffer {
    return this.single(KeyType.Checkpoint);
  }

  snapshotChunk(generation: number, chunk: number): Buffer {
    const k = Buffer.allocUnsafe(PREFIX_LEN + 9);
    this.prefix.copy(k, 0);
    k[PREFIX_LEN] = KeyType.SnapshotChunk;
    k.writeUInt32BE(generation >>> 0, PREFIX_LEN + 1);
    k.writeUInt32BE(chunk >>> 0, PREFIX_LEN + 5);
    return k;
  }

  /** The exclusive upper bound of every key of one indexed type (entries, term runs). */
  typeEnd(type: KeyType): Buffer {
    const k = Buffer.allocUnsafe(PREFIX_LEN + 1);
    this.prefix.copy(k, 0);
    k[PREFIX_LEN] = type + 1;
    return k;
  }

  /** The whole group's key range, [start, end). */
  range(): { start: Buffer; end: Buffer } {
    const end = Buffer.allocUnsafe(PREFIX_LEN);
    end[0] = GROUP;
    if (this.group === TWO_32 - 1) {
      end[0] = GROUP + 1;
      end.writeUInt32BE(0, 1);
    } else {
      end.writeUInt32BE(this.group + 1, 1);
    }
    return { start: Buffer.from(this.prefix), end };
  }
}

/** The index in an entry or term-run key (the layout is fixed, so no type check beyond length). */
export function indexOfKey(key: Uint8Array): number {
  if (key.length !== PREFIX_LEN + 9) throw new RangeError(`not an indexed key (length ${key.length})`);
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return view.getUint32(PREFIX_LEN + 1) * TWO_32 + view.getUint32(PREFIX_LEN + 5);
}
