// A synchronous in-memory cluster for the core's own tests and benchmark:
// each node's "disk" is a MemoryStorage written exactly as a driver would
// (entries, hard state, snapshot), messages are delivered from a queue that the
// test controls, and nothing here knows about wall-clock time.

import type { Config } from '../config.js';
import { RawNode } from '../raw-node.js';
import { MemoryStorage } from '../memory-storage.js';
import type { Entry, Message, NodeId, ReadState } from '../types.js';
import { EntryType } from '../types.js';

/** A tiny deterministic generator (mulberry32) for election jitter in tests. */
export function seededRandom(seed: number): { nextInt(n: number): number } {
  let a = seed >>> 0;
  return {
    nextInt(n: number): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(r * n);
    },
  };
}

export interface TestNode {
  id: NodeId;
  node: RawNode;
  storage: MemoryStorage;
  applied: Entry[];
  reads: ReadState[];
}

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Messages waiting for delivery. */
  queue: Message[] = [];
  /** Links that drop messages: "from->to". */
  readonly cut = new Set<string>();

  constructor(
    ids: NodeId[],
    private readonly overrides: Partial<Config> = {},
    voters: NodeId[] = ids,
  ) {
    for (const id of ids) this.add(id, new MemoryStorage({ voters, learners: [] }));
  }

  add(id: NodeId, storage: MemoryStorage, applied = 0): TestNode {
    const node = new RawNode({ id, group: 0, storage, random: seededRandom(id * 7919), applied, ...this.overrides });
    const n: TestNode = { id, node, storage, applied: [], reads: [] };
    this.nodes.set(id, n);
    return n;
  }

  get(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Process every pending Ready once: persist, queue messages, apply, advance. */
  processReady(id: NodeId): boolean {
    const n = this.get(id);
    if (!n.node.hasReady()) return false;
    const rd = n.node.ready();
    this.queue.push(...rd.messages);
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    this.queue.push(...rd.persistedMessages);
    if (rd.snapshot) n.applied = [];
    for (const e of rd.committedEntries) n.applied.push(e);
    n.reads.push(...rd.readStates);
    n.node.advance(rd);
    return true;
  }

  deliver(): number {
    const q = this.queue;
    this.queue = [];
    let delivered = 0;
    for (const m of q) {
      if (this.cut.has(`${m.from}->${m.to}`) || this.cut.has(`*->${m.to}`) || this.cut.has(`${m.from}->*`)) continue;
      const n = this.nodes.get(m.to);
      if (!n) continue;
      n.node.step(m);
      delivered++;
    }
    return delivered;
  }

  /** Deliver and process until nothing moves. */
  stabilize(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      let moved = false;
      for (const id of this.nodes.keys()) if (this.processReady(id)) moved = true;
      if (this.deliver() > 0) moved = true;
      if (!moved) return;
    }
    throw new Error('cluster did not stabilize');
  }

  tick(id?: NodeId, times = 1): void {
    for (let t = 0; t < times; t++) for (const n of this.nodes.values()) if (id === undefined || n.id === id) n.node.tick();
  }

  /** Tick everyone and stabilize until some node leads, or throw. */
  electLeader(maxTicks = 1000): NodeId {
    for (let t = 0; t < maxTicks; t++) {
      const l = this.leader();
      if (l) return l;
      this.tick();
      this.stabilize();
    }
    throw new Error('no leader elected');
  }

  leader(): NodeId {
    for (const n of this.nodes.values()) if (n.node.status().role === 'leader') return n.id;
    return 0;
  }

  isolate(id: NodeId): void {
    this.cut.add(`${id}->*`);
    this.cut.add(`*->${id}`);
  }

  heal(): void {
    this.cut.clear();
  }

  appliedData(id: NodeId): string[] {
    return this.get(id)
      .applied.filter((e) => e.type === EntryType.Normal && e.data.byteLength > 0)
      .map((e) => new TextDecoder().decode(e.data));
  }
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
