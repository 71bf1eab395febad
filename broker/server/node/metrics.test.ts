import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../../raft/core/api.js';
import type { TransportStats } from '../../../raft/transport/peer-transport.js';
import { Metrics } from './metrics.js';
import type { MetricsSource } from './metrics.js';

function source(): MetricsSource {
  const status = {
    id: 2,
    term: 7,
    commit: 40,
    applied: 39,
    lastIndex: 41,
    leader: 1,
    role: 'follower',
    conf: { voters: [1, 2, 3], learners: [] },
    elections: { timeout: 1, transfer: 0, manual: 0, checkQuorum: 0 },
    peers: [],
  } as unknown as Status;
  const stats = new Proxy({}, { get: () => 3 }) as TransportStats;
  return {
    status: () => status,
    transportStats: () => stats,
    serving: () => true,
    logRepair: () => ({ discarded: 0, salvaged: 1 }),
    ticker: () => ({ awake: 1, quiet: 2, silenceWakes: 0 }) as ReturnType<NonNullable<MetricsSource['ticker']>>,
  };
}

/** What a node's start and its first requests do to the metrics. */
function exercise(m: Metrics): void {
  m.appliedEntries.inc(25);
  m.appliedEntries.inc(14);
  m.leaderChanges.inc();
  m.persistSeconds.observe(0.0003);
  m.persistSeconds.observe(0.02);
  m.fsyncSeconds.observe(0.02);
  m.requests.inc({ method: 'Read', code: 'OK' });
  m.requests.inc({ method: 'Read', code: 'OK' });
  m.requests.inc({ method: 'Append', code: 'UNAVAILABLE' });
  m.requestSeconds.observe({ method: 'Read' }, 0.004);
  m.forwarded.inc({ method: 'Append' });
  m.resent.inc({ why: 'leader-changed' }, 2);
  m.held.inc(0);
  m.authRefused.inc({ reason: 'unauthenticated' });
  m.tlsHandshakeFailures.inc({ port: 'metrics' });
  m.connectionsRefused.inc();
  m.addGauge({
    name: 'quorumq_queue_ready',
    help: 'Per queue: ready',
    labelNames: ['queue'],
    collect() {
      this.set({ queue: 'q1' }, 5);
    },
  });
}

/** The exposition less the default metrics (process_*, nodejs_*), whose values move on their own. */
function ours(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(# (HELP|TYPE) )?(process|nodejs)_/.test(l))
    .join('\n');
}

describe('Metrics', () => {
  it('shows in /metrics what was counted before prom-client loaded exactly as if it had been loaded from the start', async () => {
    const early = new Metrics(source(), 2);
    exercise(early);
    const eager = new Metrics(source(), 2);
    eager.registry();
    exercise(eager);
    const a = await early.registry().metrics();
    const b = await eager.registry().metrics();
    expect(ours(a)).toBe(ours(b));
    expect(a).toContain('quorumq_raft_applied_entries_total{node="2"} 39');
    expect(a).toContain('quorumq_requests_total{method="Read",code="OK",node="2"} 2');
    expect(a).toContain('quorumq_log_persist_seconds_count{node="2"} 2');
    expect(a).toContain('quorumq_writes_held_total{node="2"} 0');
    expect(a).toContain('quorumq_queue_ready{queue="q1",node="2"} 5');
    // The default metrics are all there, under the node label.
    const names = (t: string): string[] => [...t.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    expect(names(a)).toEqual(names(b));
    expect(names(a)).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'nodejs_heap_size_used_bytes']));
    early.close();
    eager.close();
  });

  it('counts on after loading, and takes gauges defined then', async () => {
    const m = new Metrics(source(), 1);
    m.requests.inc({ method: 'Read', code: 'OK' });
    m.registry();
    m.requests.inc({ method: 'Read', code: 'OK' });
    const end = m.requestSeconds.startTimer({ method: 'Read' });
    expect(end()).toBeGreaterThanOrEqual(0);
    m.addGauge({ name: 'quorumq_exchange_routed_total', help: 'routed', labelNames: ['exchange'], collect() { this.set({ exchange: 'x' }, 3); } });
    const text = await m.registry().metrics();
    expect(text).toContain('quorumq_requests_total{method="Read",code="OK",node="1"} 2');
    expect(text).toContain('quorumq_request_seconds_count{node="1",method="Read"} 1');
    expect(text).toContain('quorumq_exchange_routed_total{exchange="x",node="1"} 3');
    m.close();
  });

  it("refuses at the call what prom-client refuses, before it is loaded too", () => {
    const m = new Metrics(source(), 1);
    expect(() => m.requests.inc({ method: 'Read', nope: 'x' } as never)).toThrow(/not included in initial labelset/);
    expect(() => m.appliedEntries.inc(-1)).toThrow(/decrease a counter/);
    expect(() => m.persistSeconds.observe(Number.NaN)).toThrow(/not a valid number/);
    m.registry();
    expect(() => m.requests.inc({ method: 'Read', nope: 'x' } as never)).toThrow(/not included in initial labelset/);
    expect(() => m.appliedEntries.inc(-1)).toThrow(/decrease a counter/);
    m.close();
  });

  it('keeps the garbage collections before the registry for nodejs_gc_duration_seconds', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const m = new Metrics(source(), 1);
    gc();
    // Node queues a GC's entry from an immediate of its own; the registry takes what is queued.
    await new Promise((r) => setImmediate(r));
    const text = await m.registry().metrics();
    const counts = [...text.matchAll(/^nodejs_gc_duration_seconds_count\{node="1",kind="\w+"\} (\d+)$/gm)].map((c) => Number(c[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    m.close();
  });
});
