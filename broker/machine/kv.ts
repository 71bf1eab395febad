// The replicated key-value store the front door serves until the queue and
// stream machines arrive. Pure: state changes only through apply(), in log
// order, so every member holds the same map at the same index.

import { Reader, Writer } from './bytes.js';

export interface KvValue {
  readonly value: Uint8Array;
  /** The Raft index of the write that set it. */
  readonly index: number;
}

export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1 << 20;

/** Why a key or value is not acceptable, or undefined when it is. */
export function validatePut(key: string, value: Uint8Array): string | undefined {
  if (key.length === 0) return 'key must not be empty';
  const kb = new TextEncoder().encode(key).byteLength;
  if (kb > MAX_KEY_BYTES) return `key is ${kb} bytes; the limit is ${MAX_KEY_BYTES}`;
  if (value.byteLength > MAX_VALUE_BYTES) return `value is ${value.byteLength} bytes; the limit is ${MAX_VALUE_BYTES}`;
  return undefined;
}

export class KvMachine {
  private readonly map = new Map<string, KvValue>();

  put(key: string, value: Uint8Array, index: number): void {
    // Copy: the entry's buffer may be a view into a larger batch.
    this.map.set(key, { value: value.slice(), index });
  }

  get(key: string): KvValue | undefined {
    return this.map.get(key);
  }

  get size(): number {
    return this.map.size;
  }

  write(w: Writer): void {
    w.u32(this.map.size);
    // Sorted: the same state always snapshots to the same bytes.
    for (const k of [...this.map.keys()].sort()) {
      const v = this.map.get(k)!;
      w.str(k).u53(v.index).bytes(v.value);
    }
  }

  read(r: Reader): void {
    this.map.clear();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      const index = r.u53();
      this.map.set(k, { index, value: r.bytes().slice() });
    }
  }
}
