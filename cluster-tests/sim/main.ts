// The simulation's command line. By default it runs the production host
// (host-cluster.ts: ReplicaHost, snapshotter, checkpoints and the real
// machines over the in-memory log on a simulated disk); --core runs the Raft
// core alone under the simulation's own driver (cluster.ts), which covers more
// events per second.
//
//   node dist/cluster-tests/sim/main.js --seeds 300          seeds 1..300
//   node dist/cluster-tests/sim/main.js --seed 1234 --verbose replay one seed with its trace
//
// Options: --seeds N, --from S (first seed of --seeds, default 1), --seed S,
// --core, --nodes 3|5 (default: drawn from each seed), --steps N (events in
// the safety phase; default 20 000 for the host, 50 000 for --core),
// --profile default|chaos, --unsafe NAME (plant a bug to watch the checkers
// catch it: commit-old-terms or ack-before-persist in the core,
// apply-uncommitted, ignore-live-indexes, restart-at-snapshot-index or
// ignore-leader-silence in the host), --no-promise-check
// (do not flag votes/acknowledgements sent before they are durable, to see
// what the lack of durability breaks), --json, --verbose.
//
// Stdout: for each failing seed its violations and the command that replays
// it, then exactly one summary line `sim: <N> seeds, <steps> steps, <V> violations`
// (with --json: a single JSON document instead, the summary line going to
// stderr). Progress goes to stderr every 100 seeds. Exit status 1 when V > 0.

import { performance } from 'node:perf_hooks';
import type { RunOptions } from './cluster.js';
import { runSeed } from './cluster.js';
import type { HostRunOptions } from './host-cluster.js';
import { runHostSeed } from './host-cluster.js';
import type { Violation } from './checkers.js';

type Unsafe = 'commit-old-terms' | 'ack-before-persist' | 'apply-uncommitted' | 'ignore-live-indexes' | 'restart-at-snapshot-index' | 'ignore-leader-silence';
const CORE_UNSAFE: readonly Unsafe[] = ['commit-old-terms', 'ack-before-persist'];
const HOST_UNSAFE: readonly Unsafe[] = ['apply-uncommitted', 'ignore-live-indexes', 'restart-at-snapshot-index', 'ignore-leader-silence'];

interface Cli {
  seeds: number;
  from: number;
  seed: number | undefined;
  core: boolean;
  nodes: number | undefined;
  steps: number | undefined;
  profile: 'default' | 'chaos';
  unsafe: Unsafe | undefined;
  promiseCheck: boolean;
  json: boolean;
  verbose: boolean;
}

const USAGE =
  'usage: main.js [--seeds N [--from S] | --seed S] [--core] [--nodes 3|5] [--steps N] [--profile default|chaos] ' +
  '[--unsafe commit-old-terms|ack-before-persist|apply-uncommitted|ignore-live-indexes|restart-at-snapshot-index|ignore-leader-silence] [--no-promise-check] [--json] [--verbose]';

function parse(argv: readonly string[]): Cli {
  const cli: Cli = { seeds: 300, from: 1, seed: undefined, core: false, nodes: undefined, steps: undefined, profile: 'default', unsafe: undefined, promiseCheck: true, json: false, verbose: false };
  const int = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--seeds':
        cli.seeds = int(a, argv[++i], 1);
        break;
      case '--from':
        cli.from = int(a, argv[++i], 0);
        break;
      case '--seed':
        cli.seed = int(a, argv[++i], 0);
        break;
      case '--nodes': {
        const n = int(a, argv[++i], 3);
        if (n !== 3 && n !== 5) throw new Error('--nodes is 3 or 5');
        cli.nodes = n;
        break;
      }
      case '--steps':
        cli.steps = int(a, argv[++i], 1);
        break;
      case '--profile': {
        const p = argv[++i];
        if (p !== 'default' && p !== 'chaos') throw new Error('--profile is default or chaos');
        cli.profile = p;
        break;
      }
      case '--unsafe': {
        const u = argv[++i] as Unsafe;
        if (![...CORE_UNSAFE, ...HOST_UNSAFE].includes(u)) throw new Error(`--unsafe is one of ${[...CORE_UNSAFE, ...HOST_UNSAFE].join(', ')}`);
        cli.unsafe = u;
        break;
      }
      case '--core':
        cli.core = true;
        break;
      case '--no-promise-check':
        cli.promiseCheck = false;
        break;
      case '--json':
        cli.json = true;
        break;
      case '--verbose':
        cli.verbose = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  if (cli.core && cli.unsafe && HOST_UNSAFE.includes(cli.unsafe)) throw new Error(`--unsafe ${cli.unsafe} plants a bug in the host: not with --core`);
  return cli;
}

function runOptions(cli: Cli, seed: number, trace?: (line: string) => void): RunOptions & HostRunOptions {
  return {
    seed,
    ...(cli.nodes !== undefined ? { nodes: cli.nodes } : {}),
    ...(cli.steps !== undefined ? { steps: cli.steps } : {}),
    profile: cli.profile,
    ...(cli.unsafe === 'commit-old-terms' ? { unsafe: { commitOldTermsByCounting: true } } : {}),
    ...(cli.unsafe === 'ack-before-persist' ? { unsafe: { ackBeforePersist: true } } : {}),
    ...(cli.unsafe === 'apply-uncommitted' ? { hostUnsafe: { applyUncommitted: true } } : {}),
    ...(cli.unsafe === 'ignore-live-indexes' ? { hostUnsafe: { ignoreLiveIndexes: true } } : {}),
    ...(cli.unsafe === 'restart-at-snapshot-index' ? { hostUnsafe: { restartAtSnapshotIndex: true } } : {}),
    // A quiet follower never wakes for a dead leader: only runs with quiescence on can show it.
    ...(cli.unsafe === 'ignore-leader-silence' ? { hostUnsafe: { ignoreLeaderSilence: true }, quiesce: true } : {}),
    ...(cli.promiseCheck ? {} : { checkPromises: false }),
    ...(trace ? { trace } : {}),
  };
}

/** The command that replays `seed` with the same settings. */
function replayCommand(cli: Pick<Cli, 'core' | 'nodes' | 'steps' | 'profile' | 'unsafe' | 'promiseCheck'>, seed: number): string {
  const extra: string[] = [];
  if (cli.core) extra.push('--core');
  if (cli.nodes !== undefined) extra.push(`--nodes ${cli.nodes}`);
  if (cli.steps !== undefined) extra.push(`--steps ${cli.steps}`);
  if (cli.profile !== 'default') extra.push(`--profile ${cli.profile}`);
  if (cli.unsafe !== undefined) extra.push(`--unsafe ${cli.unsafe}`);
  if (!cli.promiseCheck) extra.push('--no-promise-check');
  if (extra.length === 0) return `make sim SEED=${seed}`;
  return `node dist/cluster-tests/sim/main.js --seed ${seed} ${extra.join(' ')} --verbose`;
}

interface AnyResult {
  readonly nodes: number;
  readonly steps: number;
  readonly settings: string;
  readonly violations: readonly Violation[];
  readonly traceHash: number;
}

async function main(): Promise<number> {
  let cli: Cli;
  try {
    cli = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const seeds: number[] = [];
  if (cli.seed !== undefined) seeds.push(cli.seed);
  else for (let s = cli.from; s < cli.from + cli.seeds; s++) seeds.push(s);

  // Lines are written in chunks: a verbose trace has one line per event.
  let buffered: string[] = [];
  const flush = (): void => {
    if (buffered.length) process.stdout.write(buffered.join('\n') + '\n');
    buffered = [];
  };
  const out = (line: string): void => {
    buffered.push(line);
    if (buffered.length >= 2000) flush();
  };
  const started = performance.now();
  let steps = 0;
  let violations = 0;
  const failures: { seed: number; nodes: number; settings: string; replay: string; violations: readonly Violation[] }[] = [];
  const single = seeds.length === 1;
  for (let i = 0; i < seeds.length; i++) {
    const seed = seeds[i]!;
    const trace = cli.verbose && !cli.json ? out : undefined;
    const r: AnyResult = cli.core ? await runSeed(runOptions(cli, seed, trace)) : await runHostSeed(runOptions(cli, seed, trace));
    steps += r.steps;
    violations += r.violations.length;
    if (r.violations.length) {
      const replay = replayCommand(cli, seed);
      failures.push({ seed, nodes: r.nodes, settings: r.settings, replay, violations: r.violations });
      if (!cli.json) {
        out(`FAIL seed ${seed} (${r.settings})`);
        for (const v of r.violations.slice(0, 5)) out(`  ${v.kind} at step ${v.step} (t=${v.time}) node ${v.node}: ${v.message}`);
        if (r.violations.length > 5) out(`  ... and ${r.violations.length - 5} more`);
        out(`replay: ${replay}`);
      }
    }
    if (single && !cli.json && !cli.core) {
      const s = (r as Awaited<ReturnType<typeof runHostSeed>>).stats;
      const w = s.workload;
      out(
        `seed ${seed}: ${r.settings}\n` +
          `  ${r.steps} steps, virtual time ${s.time}, ${s.terms} terms with a leader, ${s.faults} faults (${s.crashes} crashes), ${s.readies} readies\n` +
          `  network: ${s.net.sent} sent, ${s.net.delivered} delivered, ${s.net.dropped} dropped, ${s.net.blocked} blocked, ${s.net.duplicated} duplicated\n` +
          `  clients: ${w.proposed} proposed, ${w.confirmed} confirmed (${w.appendsConfirmed} stream appends, ${w.duplicates} duplicates), ${w.superseded} superseded, ${w.unknown} unknown, ` +
          `${w.rejected} refused by the core, ${w.refusedByMachine} by a machine; ${w.reads} reads (${w.readsAnswered} answered); ${w.confChanges} membership changes; ${w.transfers} transfers; ${w.campaigns} campaigns\n` +
          `  machines: ${s.snapshots} snapshots and ${s.checkpoints} checkpoints saved, ${s.restarts} restarts from one, ${s.installs} snapshots installed from a leader (${s.sparseSent} live entries sent with them, ${s.sparseKept} kept below the first index at the end), ${s.claims} states compared, ${s.appendsRead} appends read back (${s.appendsDropped} found dropped by retention)\n` +
          `  queues: ${s.queue.published} publishes confirmed, ${s.queue.deliveriesSeen} deliveries seen, ${s.queue.settles} settles (${s.queue.acksConfirmed} acks confirmed); at the end ${s.queueMessagesHeld} confirmed messages found held and ${s.queueMessagesAcked} gone after an ack (all members)\n` +
          `  quiescence: ${s.quiets} times a member went quiet, ${s.silenceWakes} quiet followers woken for a silent leader (live incarnations)\n` +
          `  committed log: ${s.maxCommitted} entries; converged ${s.livenessTicks} ticks after faults stopped; trace hash ${r.traceHash.toString(16)}`,
      );
    } else if (single && !cli.json) {
      const s = (r as Awaited<ReturnType<typeof runSeed>>).stats;
      const w = s.workload;
      out(
        `seed ${seed}: ${r.settings}\n` +
          `  ${r.steps} steps, virtual time ${s.time}, ${s.terms} terms with a leader, ${s.faults} faults (${s.crashes} crashes), ${s.readies} readies\n` +
          `  network: ${s.net.sent} sent, ${s.net.delivered} delivered, ${s.net.dropped} dropped, ${s.net.blocked} blocked, ${s.net.duplicated} duplicated\n` +
          `  clients: ${w.proposed} proposed, ${w.confirmed} confirmed, ${w.failed} failed, ${w.rejected} refused; ${w.reads} reads (${w.readsAnswered} answered); ` +
          `${w.confChanges} membership changes (${w.confChangesApplied} applied); ${w.transfers} transfers; ${w.campaigns} campaigns\n` +
          `  committed log: ${s.maxCommitted} entries; converged ${s.livenessTicks} ticks after faults stopped; trace hash ${r.traceHash.toString(16)}`,
      );
    }
    flush();
    if (!single && (i + 1) % 100 === 0) {
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`sim: ${i + 1}/${seeds.length} seeds, ${steps} steps, ${violations} violations, ${secs}s\n`);
    }
  }
  const summary = `sim: ${seeds.length} seeds, ${steps} steps, ${violations} violations`;
  if (cli.json) {
    out(JSON.stringify({ seeds: seeds.length, steps, violations, failures, elapsedMs: Math.round(performance.now() - started), summary }));
    process.stderr.write(summary + '\n');
  } else {
    out(summary);
  }
  flush();
  return violations > 0 ? 1 : 0;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
