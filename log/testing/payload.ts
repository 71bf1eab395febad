// Deterministic entry contents for tests, the crash writer and the benchmark:
// anyone who knows (index, term) can regenerate and compare the bytes, so a
// reader checks data it never saw being written.

import type { Entry } from '../../raft/core/types.js';

/** Bytes for (index, term), of a length that varies with both unless `size` is given. */
export function payload(index: number, term: number, size?: number): Uint8Array {
  const n = size ?? ((index * 31 + term * 7) % 61) + 3;
  const out = new Uint8Array(n);
  let x = (Math.imul(index >>> 0, 2654435761) + Math.imul(term >>> 0, 40503) + Math.floor(index / 0x1_0000_0000)) >>> 0;
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[k] = x >>> 24;
  }
  return out;
}

export function entry(index: number, term: number, size?: number): Entry {
  return { index, term, type: 0, data: payload(index, term, size) };
}

export function range(lo: number, hi: number, term: number | ((i: number) => number), size?: number): Entry[] {
  const out: Entry[] = [];
  for (let i = lo; i < hi; i++) out.push(entry(i, typeof term === 'number' ? term : term(i), size));
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
