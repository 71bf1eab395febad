// make bench stops every server a phase started: when the phase fails (here:
// a 5-node cluster that never elects a leader, as in the run that left five
// `quorumq server` processes behind) and when the bench itself gets SIGTERM.
// The servers are found the way a user would find them: by scanning /proc for
// `quorumq server` processes whose --data-dir lies in the phase's directory.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, '');
const BENCH = join(ROOT, 'dist/cluster-tests/bench/main.js');

/** Pids of `quorumq server` processes whose --data-dir is inside `dir`. */
function serversIn(dir: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const i = argv.indexOf('--data-dir');
    if (argv.includes('server') && i >= 0 && argv[i + 1]?.startsWith(dir + '/')) pids.push(Number(e));
  }
  return pids;
}

interface BenchRun {
  proc: ChildProcess;
  stderr: () => string;
  exit: Promise<number | string>;
  /** The directory of the phase's cluster, once the bench has said it. */
  clusterDir: () => string | undefined;
  /** Every server pid seen in that directory so far (polled). */
  seen: Set<number>;
}

const started: BenchRun[] = [];
const outs: string[] = [];

function bench(args: string[]): BenchRun {
  const out = mkdtempSync(join(tmpdir(), 'quorumq-bench-out-'));
  outs.push(out);
  const proc = spawn(process.execPath, [BENCH, '--only', 'nodes5', '--runs', '1', '--messages', '100', '--phase-ms', '500', '--server-arg=--join', '--out', out, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const exit = new Promise<number | string>((r) => proc.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  const clusterDir = (): string | undefined => /starting a 5-node cluster in (\S+)/.exec(err)?.[1];
  const seen = new Set<number>();
  const timer = setInterval(() => {
    const d = clusterDir();
    if (d) for (const pid of serversIn(d)) seen.add(pid);
  }, 50);
  void exit.finally(() => clearInterval(timer));
  const run = { proc, stderr: () => err, exit, clusterDir, seen };
  started.push(run);
  return run;
}

afterEach(async () => {
  // Whatever a failed test left: the bench and any server of its phase.
  for (const r of started.splice(0)) {
    if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await r.exit;
    const d = r.clusterDir();
    if (d) for (const pid of serversIn(d)) process.kill(pid, 'SIGKILL');
  }
  for (const o of outs.splice(0)) rmSync(o, { recursive: true, force: true });
});

describe('make bench tears down what a phase started', () => {
  it('a phase whose cluster never elects a leader fails, and none of its five servers remains', async () => {
    const r = bench(['--start-timeout-ms', '3000']);
    const code = await r.exit;
    expect(r.stderr()).toMatch(/nodes5 failed: Error: timed out after 3000 ms waiting for a leader/);
    expect(code).toBe(0);
    const dir = r.clusterDir()!;
    expect(dir).toBeTruthy();
    // The servers were there while the phase ran...
    expect(r.seen.size).toBe(5);
    // ...and none is left (before: all five kept running after the bench ended).
    expect(serversIn(dir)).toEqual([]);
    for (const pid of r.seen) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);

  it('SIGTERM to the bench while a phase runs stops that phase\'s servers before the bench exits', async () => {
    const r = bench(['--start-timeout-ms', '120000']);
    await waitFor('the five servers of the phase', () => r.seen.size === 5 && serversIn(r.clusterDir()!).length === 5, 40_000, 50);
    r.proc.kill('SIGTERM');
    const code = await r.exit;
    expect(code).toBe(143);
    expect(r.stderr()).toMatch(/SIGTERM: stopping 5 process\(es\) the bench started/);
    expect(serversIn(r.clusterDir()!)).toEqual([]);
  }, 60_000);
});
