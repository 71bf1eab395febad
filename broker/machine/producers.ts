// Idempotent producers (streams and queues): each (producer id, sequence) is
// stored once. A retry of a recent sequence returns what it got the first time
// (a stream's offsets, a queue's publish position) — also on a new leader
// after a failover, because this state is replicated. Records are forgotten
// after the dedup window without use.

import type { Reader, Writer } from './bytes.js';

/** How many recent sequences per producer keep their offsets (covers a deep in-flight window). */
export const RECENT_PER_PRODUCER = 1024;

export interface SeqRecord {
  readonly seq: number;
  readonly firstOffset: number;
  readonly count: number;
  /**
   * A checksum of the batch's messages (batchChecksum), so a sequence reused
   * with other messages is told from a retry. Undefined for records restored
   * from a version-1 snapshot, which did not keep it: those match any retry.
   */
  readonly sum?: number;
}

export interface ProducerState {
  lastSeq: number;
  lastTime: number;
  /** Ring of the newest sequences, oldest first once full. */
  recent: SeqRecord[];
}

export type SeqCheck =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly record: SeqRecord }
  | { readonly kind: 'error'; readonly message: string };

export class Producers {
  readonly byId = new Map<string, ProducerState>();

  /** `sum`: the batch's checksum (batchChecksum). */
  check(id: string, seq: number, sum: number): SeqCheck {
    const p = this.byId.get(id);
    // A producer we do not know (new, or forgotten after the window) may start anywhere.
    if (!p) return { kind: 'new' };
    if (seq === p.lastSeq + 1) return { kind: 'new' };
    if (seq > p.lastSeq + 1) {
      return { kind: 'error', message: `producer "${id}" sent sequence ${seq} but the next expected is ${p.lastSeq + 1}: sequences must not skip` };
    }
    const record = p.recent.find((r) => r.seq === seq);
    if (record && (record.sum === undefined || record.sum === sum)) return { kind: 'duplicate', record };
    if (record) {
      return {
        kind: 'error',
        message: `producer "${id}" reused sequence ${seq} with other messages than the ${record.count} stored at offset ${record.firstOffset}: a retry must resend the same messages; new messages need the next sequence (${p.lastSeq + 1})`,
      };
    }
    return {
      kind: 'error',
      message: `producer "${id}" reused sequence ${seq}, older than the ${p.recent.length} remembered (the last is ${p.lastSeq})`,
    };
  }

  record(id: string, r: SeqRecord, time: number): void {
    let p = this.byId.get(id);
    if (!p) {
      p = { lastSeq: r.seq, lastTime: time, recent: [] };
      this.byId.set(id, p);
    }
    p.lastSeq = r.seq;
    p.lastTime = time;
    p.recent.push(r);
    if (p.recent.length > RECENT_PER_PRODUCER) p.recent.splice(0, p.recent.length - RECENT_PER_PRODUCER);
  }

  /** The last use of the producer idle the longest, or undefined when none is remembered. */
  oldestUse(): number | undefined {
    let t: number | undefined;
    for (const p of this.byId.values()) if (t === undefined || p.lastTime < t) t = p.lastTime;
    return t;
  }

  /** Forget producers idle for longer than the window. */
  expire(now: number, windowMs: number): void {
    for (const [id, p] of this.byId) if (now - p.lastTime > windowMs) this.byId.delete(id);
  }

  /** In insertion order, which every member shares (a restored copy keeps it). */
  write(w: Writer): void {
    w.u32(this.byId.size);
    for (const [id, p] of this.byId) {
      w.str(id).u53(p.lastSeq).u53(p.lastTime).u32(p.recent.length);
      for (const r of p.recent) w.u53(r.seq).u53(r.firstOffset).u53(r.count).u53(r.sum ?? NO_SUM);
    }
  }

  /** `withSums`: false for sections written before records kept their batch's checksum (such records match any retry). */
  read(r: Reader, withSums = true): void {
    this.byId.clear();
    const np = r.u32();
    for (let j = 0; j < np; j++) {
      const id = r.str();
      const lastSeq = r.u53();
      const lastTime = r.u53();
      const nr = r.u32();
      const recent: SeqRecord[] = [];
      for (let k = 0; k < nr; k++) {
        const seq = r.u53();
        const firstOffset = r.u53();
        const count = r.u53();
        const sum = withSums ? r.u53() : NO_SUM;
        recent.push(sum === NO_SUM ? { seq, firstOffset, count } : { seq, firstOffset, count, sum });
      }
      this.byId.set(id, { lastSeq, lastTime, recent });
    }
  }
}

/** A remembered sequence without a checksum (restored from an older snapshot), as written in a snapshot. */
const NO_SUM = 2 ** 32;

/**
 * FNV-1a (32 bits) over a batch's headers and bodies, with lengths between
 * them so no two different batches line up. Deterministic on every member:
 * computed from the command as applied.
 */
export function batchChecksum(messages: ReadonlyArray<{ readonly headers: ReadonlyArray<readonly [string, string]>; readonly body: Uint8Array }>): number {
  let h = 0x811c9dc5;
  const mix = (b: number): void => {
    h ^= b & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  const num = (n: number): void => {
    mix(n);
    mix(n >>> 8);
    mix(n >>> 16);
    mix(n >>> 24);
  };
  const str = (t: string): void => {
    num(t.length);
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      mix(c);
      mix(c >>> 8);
    }
  };
  num(messages.length);
  for (const m of messages) {
    num(m.headers.length);
    for (const [k, v] of m.headers) {
      str(k);
      str(v);
    }
    num(m.body.byteLength);
    for (let i = 0; i < m.body.byteLength; i++) mix(m.body[i]!);
  }
  return h >>> 0;
}
