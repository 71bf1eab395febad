// What a queue keeps per message, in columns of typed arrays indexed by a
// message id (ids are reused through a free list): where the body is in the
// Raft log (entry index, the command's position in the entry, the message's
// position in the command), its size, priority, deadlines and counters.
// About 60 bytes per message and no object per message, so a backlog of
// millions neither fills the heap with objects nor slows a snapshot.

export const enum MsgState {
  Free = 0,
  Ready = 1,
  Delayed = 2,
  Unacked = 3,
  Dead = 4,
}

import type { Column, Reader, Writer } from '../bytes.js';

export class MessageTable {
  private cap = 0;
  private next = 0;
  private free: number[] = [];
  state = new Uint8Array(0);
  priority = new Uint8Array(0);
  /** Deliveries that failed: nack, reject, ack timeout. */
  failed = new Uint16Array(0);
  /** Times acquired by a consumer, including returns after a disconnect. */
  acquired = new Uint16Array(0);
  /** Why it was dead-lettered (see DeadReason). */
  reason = new Uint8Array(0);
  part = new Uint32Array(0);
  slot = new Uint32Array(0);
  bytes = new Uint32Array(0);
  raftIndex = new Float64Array(0);
  /** Publish order within the queue. */
  seq = new Float64Array(0);
  /** Leader time after which it is never delivered (0: never expires). */
  expiresAt = new Float64Array(0);
  /** Delayed: when it may be delivered; unacked: its ack deadline; dead: when it was dead-lettered. */
  at = new Float64Array(0);
  /** The delivery tag while unacked (0 otherwise). */
  tag = new Float64Array(0);
  /** The message group it belongs to (0: none). */
  group = new Uint32Array(0);
  /** The queue's mark of its latest push onto a deadline heap (delayed, ack timeout): only that heap entry is live. */
  mark = new Float64Array(0);

  get live(): number {
    return this.next - this.free.length;
  }

  /** Ids in use are below this. */
  get size(): number {
    return this.next;
  }

  alloc(): number {
    const id = this.free.length ? this.free.pop()! : this.next++;
    if (id >= this.cap) this.grow(Math.max(16, this.cap * 2));
    return id;
  }

  release(id: number): void {
    this.state[id] = MsgState.Free;
    this.free.push(id);
  }

  private grow(cap: number): void {
    const g = <A extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a);
      return b;
    };
    this.state = g(this.state);
    this.priority = g(this.priority);
    this.failed = g(this.failed);
    this.acquired = g(this.acquired);
    this.reason = g(this.reason);
    this.part = g(this.part);
    this.slot = g(this.slot);
    this.bytes = g(this.bytes);
    this.raftIndex = g(this.raftIndex);
    this.seq = g(this.seq);
    this.expiresAt = g(this.expiresAt);
    this.at = g(this.at);
    this.tag = g(this.tag);
    this.group = g(this.group);
    this.mark = g(this.mark);
    this.cap = cap;
  }

  /**
   * Every row below `size` (free ones too) and the free list, exactly: a
   * restored table hands out the same ids. `columns` (snapshot version 4 on):
   * each column as runs of equal steps (Writer.steps): a million queued
   * messages took 68 MB value by value, which a restart read back from the
   * log (1.1 s) and decoded one value at a time (547 ms of CPU).
   */
  write(w: Writer, columns = true): void {
    w.u32(this.next).u32(this.free.length);
    for (const id of this.free) w.u32(id);
    if (columns) {
      for (const c of this.columns()) w.steps(c, this.next);
      return;
    }
    for (let id = 0; id < this.next; id++) {
      w.u8(this.state[id]!).u8(this.priority[id]!).u32(this.failed[id]!).u32(this.acquired[id]!).u8(this.reason[id]!);
      w.u32(this.part[id]!).u32(this.slot[id]!).u32(this.bytes[id]!);
      w.u53(this.raftIndex[id]!).u53(this.seq[id]!).u53(this.expiresAt[id]!).u53(this.at[id]!).u53(this.tag[id]!).u32(this.group[id]!).u53(this.mark[id]!);
    }
  }

  /** The columns in their order on the wire. */
  private columns(): Column[] {
    return [this.state, this.priority, this.failed, this.acquired, this.reason, this.part, this.slot, this.bytes, this.raftIndex, this.seq, this.expiresAt, this.at, this.tag, this.group, this.mark];
  }

  read(r: Reader, columns = true): void {
    const next = r.u32();
    const nf = r.u32();
    this.free = [];
    for (let i = 0; i < nf; i++) this.free.push(r.u32());
    this.next = 0;
    this.cap = 0;
    // Room to grow by a quarter: the publishes a restart replays after the
    // snapshot then do not double (allocate and copy) a million-row table at once.
    this.grow(Math.max(16, next + (next >> 2)));
    this.next = next;
    if (columns) {
      for (const c of this.columns()) r.steps(c, next);
      return;
    }
    for (let id = 0; id < next; id++) {
      this.state[id] = r.u8();
      this.priority[id] = r.u8();
      this.failed[id] = r.u32();
      this.acquired[id] = r.u32();
      this.reason[id] = r.u8();
      this.part[id] = r.u32();
      this.slot[id] = r.u32();
      this.bytes[id] = r.u32();
      this.raftIndex[id] = r.u53();
      this.seq[id] = r.u53();
      this.expiresAt[id] = r.u53();
      this.at[id] = r.u53();
      this.tag[id] = r.u53();
      this.group[id] = r.u32();
      this.mark[id] = r.u53();
    }
  }
}
