// Fake wall clocks for the clock-jump nemesis. Each node runs with
// libfaketime preloaded, reading its offset from its own file (one line,
// "+<seconds>" or "-<seconds>"): writing the file moves that node's wall clock
// (Date.now(), what a leader stamps into entries) while its monotonic clock
// (timers, performance.now()) stays real, as an NTP step or an operator's
// `date -s` would. libfaketime re-reads the file at most once a second
// (FAKETIME_CACHE_DURATION=1): re-reading it on every clock call
// (FAKETIME_NO_CACHE) cost ~9 µs per Date.now(), once a second ~0.3 µs.

import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime', '/usr/lib/faketime', '/usr/local/lib/faketime'];

/** The libfaketime library, if installed. */
export function faketimeLib(): string | undefined {
  for (const d of LIB_DIRS) if (existsSync(join(d, 'libfaketime.so.1'))) return join(d, 'libfaketime.so.1');
  return undefined;
}

/** Why fake clocks cannot be used here (undefined: they can). */
export function clockProblem(): string | undefined {
  if (process.platform !== 'linux') return 'libfaketime needs Linux';
  if (!faketimeLib()) return 'libfaketime is not installed (bash deploy/chaos/clock/install-deps.sh)';
  return undefined;
}

/**
 * The offset files of one cluster's nodes, in a directory every node's user
 * can read (the nodes run under their own uids; the cluster directory may be
 * out of their reach).
 */
export class FakeClocks {
  readonly dir: string;

  constructor(key: string) {
    this.dir = join(tmpdir(), `quorumq-clock-${key}`);
    mkdirSync(this.dir, { recursive: true });
    chmodSync(this.dir, 0o755);
  }

  file(slot: number): string {
    return join(this.dir, `node${slot}`);
  }

  /** libfaketime's settings for a node on its fake clock (offset 0 until set). */
  env(slot: number): Record<string, string> {
    const f = this.file(slot);
    if (!existsSync(f)) this.set(slot, 0);
    return { FAKETIME_TIMESTAMP_FILE: f, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' };
  }

  /**
   * The node's command ([...prefix, node, main.js]) with libfaketime preloaded
   * into node only: preloaded into the setpriv that drops to the node's user,
   * libfaketime made a root-owned semaphore the node then could not open, and
   * the node exited ("sem_open failed ... Permission denied").
   */
  wrap(command: readonly string[]): string[] {
    const at = command.length - 2;
    return [...command.slice(0, at), '/usr/bin/env', `LD_PRELOAD=${faketimeLib()!}`, ...command.slice(at)];
  }

  /** Move a node's wall clock `seconds` from real time (0: back to real time); it takes effect within a second. */
  set(slot: number, seconds: number): void {
    writeFileSync(this.file(slot), `${seconds >= 0 ? '+' : ''}${seconds}\n`, { mode: 0o644 });
  }

  /** Every node back to real time. */
  resetAll(): void {
    for (const f of readdirSync(this.dir)) if (f.startsWith('node')) writeFileSync(join(this.dir, f), '+0\n');
  }

  private readonly pids = new Set<number>();

  /**
   * A node started on a fake clock: libfaketime leaves a shared-memory
   * segment and a semaphore named after its pid in /dev/shm, which a killed
   * node never removes; remove() does.
   */
  started(pid: number): void {
    this.pids.add(pid);
  }

  /** The offset files and the nodes' libfaketime leftovers (call once the nodes are stopped). */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    for (const pid of this.pids) for (const f of [`faketime_shm_${pid}`, `sem.faketime_sem_${pid}`]) rmSync(join('/dev/shm', f), { force: true });
    this.pids.clear();
  }
}
