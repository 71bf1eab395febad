// The replicated key-value store. State changes only through apply(), in log
// order, so every member holds the same map at the same index.

import type { ApplyMeta, Failure, Machine, Outcome } from '../api.js';
import { failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';

export const KV_MACHINE_ID = 1;

export interface KvValue {
  readonly value: Uint8Array;
  /** The Raft index of the write that set it. */
  readonly index: number;
}

export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1 << 20;

export type KvCommand = { readonly op: 'put'; readonly key: string; readonly value: Uint8Array };
export type KvReply = { readonly ok: true } | Failure;

const PUT = 1;

/** Why a key or value is not acceptable, or undefined when it is. */
export function validatePut(key: string, value: Uint8Array): string | undefined {
  if (key.length === 0) return 'key must not be empty';
  const kb = new TextEncoder().encode(key).byteLength;
  if (kb > MAX_KEY_BYTES) return `key is ${kb} bytes; the limit is ${MAX_KEY_BYTES}`;
  if (value.byteLength > MAX_VALUE_BYTES) return `value is ${value.byteLength} bytes; the limit is ${MAX_VALUE_BYTES}`;
  return undefined;
}

const OK: Outcome<KvReply> = { reply: { ok: true } };

export class KvMachine implements Machine<KvCommand, KvReply> {
  readonly id = KV_MACHINE_ID;
  readonly name = 'kv';
  readonly snapshotVersion = 1;
  private readonly map = new Map<string, KvValue>();

  encodeCommand(c: KvCommand): Uint8Array {
    return new Writer().u8(PUT).str(c.key).bytes(c.value).finish();
  }

  decodeCommand(payload: Uint8Array): KvCommand {
    const r = new Reader(payload);
    const op = r.u8();
    if (op !== PUT) throw new DecodeError(`unknown kv operation ${op}`);
    const c: KvCommand = { op: 'put', key: r.str(), value: r.bytes() };
    r.end();
    return c;
  }

  encodeReply(): Uint8Array {
    return new Uint8Array(0);
  }

  decodeReply(): { ok: true } {
    return { ok: true };
  }

  apply(meta: ApplyMeta, c: KvCommand): Outcome<KvReply> {
    const bad = validatePut(c.key, c.value);
    if (bad) return { reply: failure('invalid-argument', bad) };
    // Copy: the command is a view into the entry's buffer.
    this.map.set(c.key, { value: c.value.slice(), index: meta.index });
    return OK;
  }

  get(key: string): KvValue | undefined {
    return this.map.get(key);
  }

  get size(): number {
    return this.map.size;
  }

  writeSnapshot(w: Writer): void {
    w.u32(this.map.size);
    // Sorted: the same state always snapshots to the same bytes.
    for (const k of [...this.map.keys()].sort()) {
      const v = this.map.get(k)!;
      w.str(k).u53(v.index).bytes(v.value);
    }
  }

  readSnapshot(r: Reader): void {
    this.map.clear();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      const index = r.u53();
      this.map.set(k, { index, value: r.bytes().slice() });
    }
  }
}
