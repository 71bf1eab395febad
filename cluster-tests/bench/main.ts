// make bench: quorumq's numbers on this machine, beside what the machine
// allows for the same shapes. Workloads are plug-ins (workload.ts): the
// machine limits first, then the streams workloads on fresh local clusters;
// then the quorum-queue workloads: publish, consume and end to end
// (queues.ts), consuming with groups, priorities or TTL beside plain, and
// dead-letter moves (queue-features.ts), failover under load
// (queue-failover.ts), restart with a backlog (queues.ts), the queue
// machine's memory per queued message (queue-memory.ts, in-process); then the
// SDK beside raw gRPC (sdk.ts); many Raft groups: partitioned queues' publish
// rate and CPU balance, and what 1 000 idle groups cost (groups.ts). Every phase that moves messages reports its
// server CPU per message and the leader changes during it (cost.ts).
//
//   node dist/cluster-tests/bench/main.js [--messages N] [--size BYTES] [--nodes N]
//     [--window N] [--producers N] [--consumers N] [--runs N] [--phase-ms MS]
//     [--recovery-messages N] [--failovers N] [--idle-groups N] [--only a,b] [--skip a,b] [--variants a,b] [--out DIR]
//     [--start-timeout-ms MS] [--ports FROM-TO] [--server-arg ARG]...
//     [--node-arg ARG]... (e.g. --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=.bench/prof)
//
// Every cluster and helper process a phase starts is stopped when the phase
// fails, at the end, on SIGINT/SIGTERM/SIGHUP, and (SIGKILL) at any exit: cleanup.ts.
//
// Figures go to stdout as JSON lines, then a table; progress to stderr;
// results also to .bench/<time>/ and .bench/latest/ (git-ignored).

import { cpus, loadavg, totalmem, release } from 'node:os';
import { parseArgs } from 'node:util';
import { usePortRange } from '../e2e/cluster.js';
import { installSignalTeardown } from './cleanup.js';
import { groupsRows, groupsWorkload } from './groups.js';
import { limitsWorkload } from './limits.js';
import { queueDeadLetterWorkload, queueFeaturesWorkload } from './queue-features.js';
import { queueFailoverWorkload } from './queue-failover.js';
import { queueMemoryWorkload } from './queue-memory.js';
import { queueRecoveryWorkload, queueWorkload } from './queues.js';
import { sdkRows, sdkWorkload } from './sdk.js';
import { sdkPlacementRows, sdkPlacementWorkload } from './sdk-placement.js';
import { tlsWorkload } from './tls.js';
import { Report, progress } from './report.js';
import { appendWorkload, e2eWorkload, failoverWorkload, fiveNodesWorkload, latencyWorkload, readWorkload, recoveryWorkload, teardown } from './streams.js';
import type { BenchOptions, Workload } from './workload.js';

export const WORKLOADS: readonly Workload[] = [
  limitsWorkload,
  appendWorkload,
  latencyWorkload,
  e2eWorkload,
  recoveryWorkload,
  readWorkload,
  failoverWorkload,
  fiveNodesWorkload,
  queueWorkload,
  queueFeaturesWorkload,
  queueDeadLetterWorkload,
  queueFailoverWorkload,
  queueRecoveryWorkload,
  queueMemoryWorkload,
  sdkWorkload,
  sdkPlacementWorkload,
  tlsWorkload,
  groupsWorkload,
];

function options(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      messages: { type: 'string' },
      size: { type: 'string' },
      nodes: { type: 'string' },
      window: { type: 'string' },
      producers: { type: 'string' },
      consumers: { type: 'string' },
      runs: { type: 'string' },
      'phase-ms': { type: 'string' },
      'recovery-messages': { type: 'string' },
      failovers: { type: 'string' },
      'idle-groups': { type: 'string' },
      'start-timeout-ms': { type: 'string' },
      ports: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      variants: { type: 'string' },
      out: { type: 'string' },
      'server-arg': { type: 'string', multiple: true },
      'node-arg': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: bench [--messages 100000] [--size 1024] [--nodes 3] [--window 256] [--producers 1] [--consumers 1] [--runs 3] [--phase-ms 5000]\n' +
        '             [--recovery-messages 1000000] [--failovers 5] [--idle-groups 1000] [--only w1,w2] [--skip w1,w2] [--variants v1,v2] [--out .bench] [--start-timeout-ms 30000]\n' +
        '             [--ports FROM-TO (the cluster nodes\' ports; default: random free ports in 20000-31999)]\n' +
        '             [--server-arg A]... [--node-arg A]...\n' +
        'workloads: ' + WORKLOADS.map((w) => w.name).join(', ') + '\n',
    );
    process.exit(0);
  }
  const num = (k: keyof typeof values, d: number): number => {
    const v = values[k];
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${k} must be a positive integer, got ${String(v)}`);
    return n;
  };
  if (values.ports !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(values.ports);
    if (!m) throw new Error(`--ports must be FROM-TO (e.g. 35000-36999), got ${values.ports}`);
    usePortRange(Number(m[1]), Number(m[2]));
  }
  const list = (v: string | undefined): string[] => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
  return {
    messages: num('messages', 100_000),
    size: num('size', 1024),
    nodes: num('nodes', 3),
    window: num('window', 256),
    producers: num('producers', 1),
    consumers: num('consumers', 1),
    runs: num('runs', 3),
    phaseMs: num('phase-ms', 5000),
    recoveryMessages: num('recovery-messages', 1_000_000),
    failovers: num('failovers', 5),
    idleGroups: num('idle-groups', 1000),
    startTimeoutMs: num('start-timeout-ms', 30_000),
    only: list(values.only),
    skip: list(values.skip),
    variants: list(values.variants),
    out: values.out ?? '.bench',
    serverArgs: values['server-arg'] ?? [],
    nodeArgs: values['node-arg'] ?? [],
  };
}

/** A phase's server CPU per message and the leader changes during it (`leaderGoal`: 0 unless nodes are killed). */
function costRows(report: Report, section: string, label: string, prefix: string, leaderGoal = '0'): void {
  report.row({ section, label: `${label}server CPU per msg`, metric: `${prefix}_server_cpu`, lowerIsBetter: true });
  report.row({ section, label: `${label}leader changes`, metric: `${prefix}_leader_changes`, lowerIsBetter: true, goal: leaderGoal });
}

/** Issue 22's queue table, in its order and with its goals, then the other queue figures, then what each queue phase cost. */
function queueRows(o: BenchOptions, report: Report): void {
  const w = `w${o.window}`;
  const n = o.recoveryMessages;
  const Q = 'quorum queue (3 nodes)';
  report.row({ section: Q, label: 'publish with confirm, 1 KiB, 256 in flight through the SDK', metric: 'queue_sdk_publish_w256', limit: 'limit_level_sync_w3_b256', goal: '>= 75% of limit (RabbitMQ 3.10 QQ ~15000 msg/s)' });
  report.row({ section: Q, label: 'publish, 1 in flight', metric: 'queue_publish_w1', limit: 'limit_level_sync_w3_b1', goal: '>= 80% of limit (RabbitMQ QQ ~900 msg/s)' });
  report.row({ section: Q, label: 'publish, 1 in flight p50', metric: 'queue_publish_w1_p50', limit: 'limit_grpc_stream_rtt_p50', lowerIsBetter: true, goal: '<= 0.6 ms (RabbitMQ QQ 1.0 ms)' });
  report.row({ section: Q, label: 'publish, 1 in flight p99', metric: 'queue_publish_w1_p99', limit: 'limit_grpc_stream_rtt_p99', lowerIsBetter: true });
  report.row({ section: Q, label: 'consume with acks, prefetch 256, on a follower', metric: 'queue_consume_ack', goal: '>= 36000 msg/s (RabbitMQ QQ ~24000)' });
  report.row({ section: Q, label: 'end to end, publish -> delivered on a follower at half the max rate: p50', metric: 'queue_e2e_p50', lowerIsBetter: true, goal: '<= 2 ms' });
  report.row({ section: Q, label: 'end to end, publish -> delivered on a follower at half the max rate: p99', metric: 'queue_e2e_p99', lowerIsBetter: true, goal: '<= 10 ms' });
  report.row({ section: Q, label: 'end to end: offered rate achieved', metric: 'queue_e2e_rate' });
  report.row({ section: Q, label: '8 consumers, no groups, priorities or TTL: delivered', metric: 'queue_consume8_plain' });
  report.row({ section: Q, label: '1 000 groups, 8 consumers: delivered vs no groups', metric: 'queue_consume8_groups', limit: 'queue_consume8_plain', goal: 'ratio >= 0.8' });
  report.row({ section: Q, label: '32 priorities vs none', metric: 'queue_consume8_priority', limit: 'queue_consume8_plain', goal: 'ratio >= 0.9' });
  report.row({ section: Q, label: 'TTL on every message vs none', metric: 'queue_consume8_ttl', limit: 'queue_consume8_plain', goal: 'ratio >= 0.9' });
  report.row({ section: Q, label: 'dead-letter moves/s (delivery limit reached)', metric: 'queue_dead_letter_moves', goal: 'report' });
  report.row({ section: Q, label: 'heap per ready message with 1 000 000 queued', metric: 'queue_memory_plain', lowerIsBetter: true, goal: '<= 16 B (RabbitMQ QQ index >= 32 B)' });
  report.row({ section: Q, label: `restart with ${n} queued -> delivering`, metric: `queue_recovery_serving_${n}`, lowerIsBetter: true, goal: '<= 1000 ms' });
  report.row({ section: Q, label: 'failover under publish+consume load: leader killed -> first confirm', metric: 'queue_failover_kill_confirm', lowerIsBetter: true, goal: '< 1000 ms median' });
  report.row({ section: Q, label: 'failover under publish+consume load: leader killed -> first delivery', metric: 'queue_failover_kill_delivery', lowerIsBetter: true, goal: '< 1000 ms median' });
  const QO = 'quorum queue, more figures';
  report.row({ section: QO, label: `publish, ${o.window} in flight (raw PublishStream)`, metric: `queue_publish_${w}`, limit: 'limit_level_sync_w3_b256', goal: 'RabbitMQ QQ ~15000 msg/s' });
  report.row({ section: QO, label: 'publish, batches of 16', metric: 'queue_publish_b16', limit: 'limit_level_sync_w3_b16' });
  report.row({ section: QO, label: 'publish through the SDK: p50', metric: 'queue_sdk_publish_w256_p50', lowerIsBetter: true });
  report.row({ section: QO, label: 'publish through the SDK: p99', metric: 'queue_sdk_publish_w256_p99', lowerIsBetter: true });
  for (const k of ['priority', 'ttl', 'groups']) report.row({ section: QO, label: `heap per ready message with ${k}`, metric: `queue_memory_${k}`, lowerIsBetter: true });
  report.row({ section: QO, label: "queue machine snapshot read (a restart's share), plain", metric: 'queue_snapshot_read_plain', lowerIsBetter: true, goal: '<= 1000 ms (whole restart)' });
  report.row({ section: QO, label: `restart with ${n} queued: ready`, metric: `queue_recovery_ready_${n}`, lowerIsBetter: true });
  report.row({ section: QO, label: `restart with ${n} queued: RSS`, metric: `queue_recovery_rss_${n}`, lowerIsBetter: true });
  report.row({ section: QO, label: `restart with ${n} queued: node CPU to ready`, metric: `queue_recovery_start_cpu_${n}`, lowerIsBetter: true });
  const QC = 'quorum queue phases: server CPU per message, leader changes';
  const phases: Array<[string, string]> = [
    ['publish with confirm, 256 in flight through the SDK: ', 'queue_sdk_publish_w256'],
    ['publish, 1 in flight: ', 'queue_publish_w1'],
    [`publish, ${o.window} in flight: `, `queue_publish_${w}`],
    ['publish, batches of 16: ', 'queue_publish_b16'],
    ['consume with acks: ', 'queue_consume_ack'],
    ['end to end: ', 'queue_e2e'],
    ['8 consumers, plain: ', 'queue_consume8_plain'],
    ['8 consumers, 1 000 groups: ', 'queue_consume8_groups'],
    ['8 consumers, 32 priorities: ', 'queue_consume8_priority'],
    ['8 consumers, TTL: ', 'queue_consume8_ttl'],
    ['dead-letter moves: ', 'queue_dead_letter_moves'],
  ];
  for (const [label, prefix] of phases) costRows(report, QC, label, prefix);
  costRows(report, QC, 'failover (per confirmed publish, restart included): ', 'queue_failover_kill', 'expected: the leader is killed');
}

function rows(o: BenchOptions, report: Report): void {
  const w = `w${o.window}`;
  const A = 'append with confirm (3 nodes)';
  report.row({ section: A, label: '1 in flight', metric: 'stream_append_w1', limit: 'limit_level_sync_w3_b1', goal: '>= 80% of limit (>= 1800 msg/s)' });
  report.row({ section: A, label: '1 in flight p50', metric: 'stream_append_w1_p50', limit: 'limit_grpc_stream_rtt_p50', lowerIsBetter: true, goal: '<= 0.6 ms' });
  report.row({ section: A, label: '1 in flight p99', metric: 'stream_append_w1_p99', limit: 'limit_grpc_stream_rtt_p99', lowerIsBetter: true, goal: '<= 2 ms' });
  report.row({ section: A, label: '1 in flight p99.9', metric: 'stream_append_w1_p999' });
  report.row({ section: A, label: `${o.window} in flight`, metric: `stream_append_${w}`, limit: 'limit_level_sync_w3_b256', goal: '>= 24000 msg/s, >= 75% of limit' });
  report.row({ section: A, label: `${o.window} in flight (vs raw gRPC)`, metric: `stream_append_${w}`, limit: `limit_grpc_stream_${w}_b1`, goal: '>= 75% of raw gRPC' });
  report.row({ section: A, label: `${o.window} in flight: server CPU per msg`, metric: `stream_append_${w}_server_cpu`, lowerIsBetter: true, goal: '<= 80 us' });
  report.row({ section: A, label: `${o.window} in flight: client CPU per msg`, metric: `stream_append_${w}_client_cpu`, lowerIsBetter: true });
  report.row({ section: A, label: `${o.window} in flight p50`, metric: `stream_append_${w}_p50` });
  report.row({ section: A, label: `${o.window} in flight p99`, metric: `stream_append_${w}_p99` });
  report.row({ section: A, label: 'batches of 16', metric: 'stream_append_b16', limit: 'limit_level_sync_w3_b16', goal: 'approach limit' });
  report.row({ section: A, label: 'batches of 256', metric: 'stream_append_b256', limit: 'limit_level_sync_w3_b256', goal: '>= 90% of limit' });
  report.row({ section: A, label: '1 in flight: server CPU per msg', metric: 'stream_append_w1_server_cpu', lowerIsBetter: true });
  report.row({ section: A, label: 'batches of 16: server CPU per msg', metric: 'stream_append_b16_server_cpu', lowerIsBetter: true });
  report.row({ section: A, label: 'batches of 256: server CPU per msg', metric: 'stream_append_b256_server_cpu', lowerIsBetter: true });
  report.row({ section: A, label: 'batches of 256 (vs raw gRPC)', metric: 'stream_append_b256', limit: 'limit_grpc_stream_b256' });
  for (const k of ['w1', w, 'b16', 'b256']) {
    const label = k === 'w1' ? '1 in flight' : k === w ? `${o.window} in flight` : k === 'b16' ? 'batches of 16' : 'batches of 256';
    report.row({ section: A, label: `${label}: log writes per msg`, metric: `stream_append_${k}_log_writes`, lowerIsBetter: true });
    report.row({ section: A, label: `${label}: peer messages per msg`, metric: `stream_append_${k}_peer_msgs`, lowerIsBetter: true });
    report.row({ section: A, label: `${label}: leader changes`, metric: `stream_append_${k}_leader_changes`, lowerIsBetter: true, goal: '0' });
  }
  const L = 'latency at half the maximum rate';
  report.row({ section: L, label: 'offered rate achieved', metric: 'stream_append_halfmax_rate' });
  report.row({ section: L, label: 'p50', metric: 'stream_append_halfmax_p50', lowerIsBetter: true, goal: '<= 2 ms' });
  report.row({ section: L, label: 'p99', metric: 'stream_append_halfmax_p99', lowerIsBetter: true });
  report.row({ section: L, label: 'p99.9', metric: 'stream_append_halfmax_p999', lowerIsBetter: true });
  costRows(report, L, '', 'stream_append_halfmax');
  const E = 'end to end (append -> subscriber on a follower, 1000 msg/s)';
  report.row({ section: E, label: 'p50', metric: 'stream_e2e_p50' });
  report.row({ section: E, label: 'p99', metric: 'stream_e2e_p99' });
  costRows(report, E, '', 'stream_e2e');
  const R = 'read and subscribe (from disk)';
  report.row({ section: R, label: 'read from leader', metric: 'stream_read_leader', limit: 'limit_grpc_stream_b256' });
  report.row({ section: R, label: 'read from follower', metric: 'stream_read_follower', limit: 'limit_grpc_stream_b256', goal: '>= 100000 msg/s' });
  report.row({ section: R, label: 'subscribe from leader', metric: 'stream_subscribe_leader', limit: 'limit_grpc_stream_b256' });
  report.row({ section: R, label: 'subscribe from follower', metric: 'stream_subscribe_follower', limit: 'limit_grpc_stream_b256', goal: '>= 100000 msg/s' });
  for (const k of ['read_leader', 'read_follower', 'subscribe_leader', 'subscribe_follower']) costRows(report, R, `${k.replace('_', ' from ')}: `, `stream_${k}`);
  const F = 'failover and recovery';
  report.row({ section: F, label: 'leader killed -> first confirmed append', metric: 'stream_failover_kill', goal: '< 1000 ms' });
  report.row({ section: F, label: 'leader partitioned -> first confirmed append', metric: 'stream_failover_partition', goal: '< 2000 ms' });
  report.row({ section: F, label: `restart with ${o.recoveryMessages} msgs: ready`, metric: `stream_recovery_ready_${o.recoveryMessages}` });
  report.row({ section: F, label: `restart with ${o.recoveryMessages} msgs: serving`, metric: `stream_recovery_serving_${o.recoveryMessages}`, goal: '< 1000 ms' });
  report.row({ section: F, label: `restart with ${o.recoveryMessages} msgs: RSS`, metric: `stream_recovery_rss_${o.recoveryMessages}` });
  report.row({ section: F, label: `restart with ${o.recoveryMessages} msgs: node CPU to ready`, metric: `stream_recovery_start_cpu_${o.recoveryMessages}` });
  const N = '5 nodes';
  report.row({ section: N, label: `${o.window} in flight (vs 3 nodes)`, metric: `stream_append_5nodes_${w}`, limit: `stream_append_${w}`, goal: '>= 0.8 of the 3-node figure' });
  report.row({ section: N, label: `${o.window} in flight (vs limit)`, metric: `stream_append_5nodes_${w}`, limit: 'limit_level_sync_w3_b256' });
  costRows(report, N, `${o.window} in flight: `, `stream_append_5nodes_${w}`, '0 (no election during the run)');
  queueRows(o, report);
  sdkRows(report);
  sdkPlacementRows(report);
  groupsRows(o, report);
  const T = 'TLS overhead (append with confirm, 3 nodes, same run)';
  for (const k of ['w1', w]) {
    const label = k === 'w1' ? '1 in flight' : `${o.window} in flight`;
    report.row({ section: T, label: `${label}, TLS on (vs off)`, metric: `tls_on_append_${k}`, limit: `tls_off_append_${k}` });
    report.row({ section: T, label: `${label} p50, TLS on (vs off)`, metric: `tls_on_append_${k}_p50`, limit: `tls_off_append_${k}_p50`, lowerIsBetter: true });
  }
  const M = 'machine limits';
  report.row({ section: M, label: 'fsync 4 KiB p50', metric: 'limit_fsync_p50' });
  report.row({ section: M, label: 'fsync 4 KiB p99', metric: 'limit_fsync_p99' });
  for (const wr of [1, 3]) for (const b of [1, 16, 256]) report.row({ section: M, label: `classic-level sync, ${wr} writer(s), batch ${b} (per writer)`, metric: `limit_level_sync_w${wr}_b${b}` });
  report.row({ section: M, label: 'raw gRPC stream, 1 in flight', metric: 'limit_grpc_stream_w1_b1' });
  report.row({ section: M, label: 'raw gRPC stream round trip p50', metric: 'limit_grpc_stream_rtt_p50' });
  report.row({ section: M, label: 'raw gRPC stream round trip p99', metric: 'limit_grpc_stream_rtt_p99' });
  report.row({ section: M, label: `raw gRPC stream, ${o.window} in flight`, metric: `limit_grpc_stream_${w}_b1` });
  report.row({ section: M, label: 'raw gRPC stream, 16 per request', metric: 'limit_grpc_stream_b16' });
  report.row({ section: M, label: 'raw gRPC stream, 256 per request', metric: 'limit_grpc_stream_b256' });
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  installSignalTeardown(teardown);
  const started = performance.now();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `quorumq bench ${new Date().toISOString()}`,
    `machine: ${cpus().length} x ${cpu}, ${Math.round(totalmem() / (1 << 30))} GiB, Linux ${release()}, Node ${process.version}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    `workload: ${o.messages} messages of ${o.size} B per phase (at most ${o.phaseMs} ms per run), ${o.nodes} nodes, ${o.window} in flight, ${o.producers} producer(s), ${o.consumers} consumer(s), ${o.runs} runs per figure (median), fsync on, default server settings`,
  ].join('\n');
  process.stderr.write(header + '\n');
  const report = new Report();
  rows(o, report);
  const chosen = WORKLOADS.filter((w) => (o.only.length === 0 || o.only.includes(w.name)) && !o.skip.includes(w.name));
  for (const w of chosen) process.stderr.write(`  - ${w.name}: ${w.describe(o)}\n`);
  try {
    for (const w of chosen) {
      const t0 = performance.now();
      progress(`== ${w.name}`);
      try {
        await w.run(o, report);
      } catch (e) {
        const msg = `${w.name} failed: ${(e as Error).stack ?? String(e)}`;
        progress(msg);
        report.note(`${w.name} failed: ${(e as Error).message}`);
      }
      progress(`== ${w.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s, load average ${loadavg()[0]!.toFixed(2)}`);
    }
  } finally {
    await teardown();
  }
  report.note(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const table = report.table();
  process.stdout.write('\n' + header + '\n\n' + table + '\n');
  const dir = report.save(o.out, header);
  progress(`results written to ${dir}`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
