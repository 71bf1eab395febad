// make bench-raft: three in-memory nodes in one process, 1 KiB proposals.
// Measures how many entries per second the consensus core itself commits
// (and applies on every node) when disk and network cost nothing, so we know
// the core is never what limits a cluster. Prints JSON lines, then a table.

import { MemoryStorage } from '../core/memory-storage.js';
import { RawNode } from '../core/raw-node.js';
import type { Message, NodeId } from '../core/types.js';

interface Options {
  entries: number;
  batch: number;
  size: number;
  runs: number;
}

function parse(argv: string[]): Options {
  const o: Options = { entries: 200_000, batch: 256, size: 1024, runs: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!.replace(/^--/, '') as keyof Options;
    const v = Number(argv[i + 1]);
    if (!(k in o) || !Number.isFinite(v) || v <= 0) throw new Error(`usage: bench-raft [--entries N] [--batch N] [--size BYTES] [--runs N]; bad ${argv[i]}`);
    o[k] = v;
  }
  return o;
}

function rng(seed: number): { nextInt(n: number): number } {
  let s = seed >>> 0 || 1;
  return {
    nextInt(n: number) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) % n;
    },
  };
}

/** One run: returns committed-and-applied-everywhere entries per second. */
function run(o: Options): number {
  const ids: NodeId[] = [1, 2, 3];
  const nodes = new Map<NodeId, { node: RawNode; storage: MemoryStorage; applied: number }>();
  for (const id of ids) {
    const storage = new MemoryStorage({ voters: ids, learners: [] });
    nodes.set(id, { node: new RawNode({ id, group: 0, storage, random: rng(id) }), storage, applied: 0 });
  }
  let queue: Message[] = [];
  const pump = (): void => {
    for (let guard = 0; guard < 1000; guard++) {
      let moved = false;
      for (const n of nodes.values()) {
        if (!n.node.hasReady()) continue;
        moved = true;
        const rd = n.node.ready();
        for (const m of rd.messages) queue.push(m);
        if (rd.entries.length) n.storage.append(rd.entries);
        if (rd.hardState) n.storage.setHardState(rd.hardState);
        for (const m of rd.persistedMessages) queue.push(m);
        if (rd.committedEntries.length) n.applied = rd.committedEntries[rd.committedEntries.length - 1]!.index;
        n.node.advance(rd);
      }
      const q = queue;
      queue = [];
      for (const m of q) nodes.get(m.to)!.node.step(m);
      if (!moved && q.length === 0) return;
    }
  };
  nodes.get(1)!.node.campaign();
  pump();
  const leader = nodes.get(1)!;
  if (leader.node.status().role !== 'leader') throw new Error('bench: node 1 did not become leader');
  const payload = new Uint8Array(o.size).fill(7);
  const batch: Uint8Array[] = new Array(o.batch).fill(payload);
  const base = leader.node.status().lastIndex;
  const target = base + o.entries;
  const start = process.hrtime.bigint();
  let proposed = 0;
  let compactedTo = 0;
  while (Math.min(...[...nodes.values()].map((n) => n.applied)) < target) {
    if (proposed < o.entries) {
      leader.node.proposeBatch(batch);
      proposed += o.batch;
    }
    pump();
    // Keep memory flat like a real node would: compact what every node applied.
    const low = Math.min(...[...nodes.values()].map((n) => n.applied));
    if (low - compactedTo > 50_000) {
      for (const n of nodes.values()) n.storage.compact(low);
      compactedTo = low;
    }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return (target - base) / secs;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const o = parse(process.argv.slice(2));
const explicitBatch = process.argv.includes('--batch');
const batches = explicitBatch ? [o.batch] : [1, 16, 256];
process.stderr.write(`bench-raft: 3 in-memory nodes, ${o.size} B entries, batches ${batches.join('/')}, ${o.runs} runs each\n`);
run({ ...o, entries: 20_000 }); // warm-up (JIT)
const lines = [];
for (const batch of batches) {
  // One proposal per Ready costs far more per entry: size the run to a similar duration.
  const entries = batch === 1 ? Math.min(o.entries, 50_000) : o.entries;
  const results: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    const v = run({ ...o, batch, entries });
    results.push(v);
    process.stderr.write(`  batch ${batch} run ${r + 1}/${o.runs}: ${Math.round(v)} entries/s\n`);
  }
  const line = {
    metric: `raft_core_commit_throughput_batch${batch}`,
    value: Math.round(median(results)),
    unit: 'entries/s',
    runs: o.runs,
    min: Math.round(Math.min(...results)),
    max: Math.round(Math.max(...results)),
    entry_bytes: o.size,
    batch,
  };
  lines.push(line);
  console.log(JSON.stringify(line));
}
console.log('');
console.log('metric                                  median          min          max   goal: >= 300000 entries/s');
for (const l of lines) {
  console.log(
    `${l.metric.padEnd(36)} ${String(l.value).padStart(10)} ${String(l.min).padStart(12)} ${String(l.max).padStart(12)}   ${l.value >= 300000 ? 'met' : 'missed'}`,
  );
}
