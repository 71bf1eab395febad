// One measurement of the queue machine's memory per queued message, in its
// own process (run with --expose-gc; queue-memory.ts starts it): a
// QueuesMachine in-process, one queue, `count` messages of 1 KiB published
// one per command and entry (the worst case for anything shared per
// publish), nothing consumed. Prints one JSON line: the heap and
// array-buffer growth per message after a full collection.
//
//   node --expose-gc dist/cluster-tests/bench/queue-memory-probe.js <plain|priority|ttl|groups> [count]

import { DEFAULT_QUEUE_CONFIG } from '../../broker/machine/queues/config.js';
import type { QueueMessage } from '../../broker/machine/queues/commands.js';
import { QueuesMachine } from '../../broker/machine/queues/machine.js';
import { Reader, Writer } from '../../broker/machine/bytes.js';

export const KINDS = ['plain', 'priority', 'ttl', 'groups'] as const;
export type Kind = (typeof KINDS)[number];
/** Distinct group keys in the groups kind (messages go round-robin over them). */
export const GROUPS = 1000;

export interface MemoryFigure {
  readonly kind: Kind;
  readonly messages: number;
  readonly heapPerMsg: number;
  readonly arrayBuffersPerMsg: number;
  readonly totalPerMsg: number;
  readonly publishMs: number;
  /** The queue machine's snapshot section: bytes per message, and ms to write it and to read it back (a restart's share). */
  readonly snapshotBytesPerMsg: number;
  readonly snapshotWriteMs: number;
  readonly snapshotReadMs: number;
}

function message(kind: Kind, i: number, body: Uint8Array): QueueMessage {
  return {
    headers: [],
    body,
    priority: kind === 'priority' ? i % 32 : 0,
    ttlMs: kind === 'ttl' ? 3_600_000 : 0,
    delayMs: 0,
    id: '',
    group: kind === 'groups' ? `g${i % GROUPS}` : '',
  };
}

function measure(kind: Kind, count: number): MemoryFigure {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const m = new QueuesMachine();
  let index = 1;
  let time = 1_000;
  m.apply({ index: index++, term: 1, part: 0, time }, { op: 'declare', name: 'q', config: DEFAULT_QUEUE_CONFIG });
  const body = new Uint8Array(1024);
  gc();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) time++;
    const out = m.apply({ index: index++, term: 1, part: 0, time }, { op: 'publish', queue: 'q', producer: '', seq: 0, messages: [message(kind, i, body)] });
    if (!out.reply.ok) throw new Error(`publish ${i} refused: ${JSON.stringify(out.reply)}`);
  }
  const publishMs = performance.now() - t0;
  gc();
  gc();
  const after = process.memoryUsage();
  const info = m.info('q');
  if (!info || info.stats.ready !== count) throw new Error(`expected ${count} ready, the queue says ${JSON.stringify(info?.stats)}`);
  const heap = (after.heapUsed - before.heapUsed) / count;
  const ab = (after.arrayBuffers - before.arrayBuffers) / count;
  const t1 = performance.now();
  const w = new Writer();
  m.writeSnapshot(w);
  const bytes = w.finish();
  const t2 = performance.now();
  const restored = new QueuesMachine();
  restored.readSnapshot(new Reader(bytes));
  const t3 = performance.now();
  if (restored.info('q')?.stats.ready !== count) throw new Error('the restored machine lost messages');
  return {
    kind,
    messages: count,
    heapPerMsg: round(heap),
    arrayBuffersPerMsg: round(ab),
    totalPerMsg: round(heap + ab),
    publishMs: Math.round(publishMs),
    snapshotBytesPerMsg: round(bytes.length / count),
    snapshotWriteMs: Math.round(t2 - t1),
    snapshotReadMs: Math.round(t3 - t2),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

if (process.argv[1]?.endsWith('queue-memory-probe.js')) {
  const kind = process.argv[2] as Kind;
  if (!KINDS.includes(kind)) throw new Error(`kind must be one of ${KINDS.join(', ')}, got ${String(kind)}`);
  const count = Number(process.argv[3] ?? 1_000_000);
  process.stdout.write(JSON.stringify(measure(kind, count)) + '\n');
}
