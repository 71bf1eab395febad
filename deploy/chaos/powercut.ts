// powercut-fs (powercut/powercut_fs.py) from TypeScript: mount it, cut power,
// read its counters, unmount. A mount is a FUSE filesystem (one Python process)
// over <work>/durable that keeps in memory whatever was not made durable —
// file bytes not fsynced, names whose directory was not fsynced — and drops it
// at a cut. Used by the power-loss nemesis and by the tests that need it.
//
// Needs root, /dev/fuse, fuse3 and Debian's python3-fusepy (powercut/install-deps.sh
// installs them; `make powercut-deps`).

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, sleep } from './cluster-ctl.js';

export const POWERCUT_FS = join(ROOT, 'deploy/chaos/powercut/powercut_fs.py');
const PYTHON = '/usr/bin/python3';

export interface PowercutStats {
  cuts: number;
  fsyncs: number;
  dirFsyncs: number;
  writes: number;
  /** Totals over every cut: writes, bytes and names dropped because they were not durable. */
  lostWrites: number;
  lostBytes: number;
  lostNames: number;
  /** The names the last cut dropped (at most 50). */
  lastLostNames: string[];
}

/** Why powercut-fs cannot be mounted here, or undefined when it can. */
export function powercutProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'powercut-fs needs root (it mounts a FUSE filesystem with allow_other)';
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  try {
    execFileSync(PYTHON, ['-c', 'import fusepy'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} cannot import fusepy: run "make powercut-deps" (apt-get install fuse3 python3-fusepy)`;
  }
  return undefined;
}

function mounted(mountpoint: string): boolean {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[1] === mountpoint);
  } catch {
    return false;
  }
}

export class PowercutMount {
  private exited: number | string | undefined;

  private constructor(
    readonly mountpoint: string,
    readonly work: string,
    private readonly proc: ChildProcess,
    readonly logFile: string,
  ) {
    proc.once('exit', (code, sig) => (this.exited = code ?? sig ?? -1));
  }

  /** Mounts powercut-fs on `mountpoint` (created if missing) over `work` (kept across mounts: it is the disk). */
  static async mount(mountpointArg: string, workArg: string, timeoutMs = 15_000): Promise<PowercutMount> {
    const mountpoint = resolve(mountpointArg);
    const work = resolve(workArg);
    const problem = powercutProblem();
    if (problem) throw new Error(problem);
    mkdirSync(mountpoint, { recursive: true });
    mkdirSync(work, { recursive: true });
    if (mounted(mountpoint)) throw new Error(`${mountpoint} is already a mount point`);
    const logFile = `${work.replace(/\/$/, '')}.log`;
    const log = openSync(logFile, 'a');
    const proc = spawn(PYTHON, [POWERCUT_FS, mountpoint, work], { stdio: ['ignore', log, log] });
    closeSync(log);
    const m = new PowercutMount(mountpoint, work, proc, logFile);
    const end = Date.now() + timeoutMs;
    while (!(mounted(mountpoint) && existsSync(join(mountpoint, '.powercut')))) {
      if (m.exited !== undefined || Date.now() > end) {
        await m.unmount();
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(`powercut-fs did not mount on ${mountpoint} (${m.exited !== undefined ? `exited with ${m.exited}` : 'timed out'}): ${tail}`);
      }
      await sleep(20);
    }
    return m;
  }

  /**
   * Cuts the power: everything not durable is gone. The processes using the
   * mount must be dead already (a cut stands for the whole machine going down).
   */
  cut(): void {
    writeFileSync(join(this.mountpoint, '.powercut'), 'cut\n');
  }

  stats(): PowercutStats {
    return JSON.parse(readFileSync(join(this.mountpoint, '.powercut'), 'utf8')) as PowercutStats;
  }

  /** Unmounts (lazily if busy) and ends the daemon; safe to call twice and after a failed mount. */
  async unmount(): Promise<void> {
    if (mounted(this.mountpoint)) {
      try {
        execFileSync('umount', [this.mountpoint], { stdio: 'ignore' });
      } catch {
        try {
          execFileSync('umount', ['-l', this.mountpoint], { stdio: 'ignore' });
        } catch {
          // gone meanwhile
        }
      }
    }
    const end = Date.now() + 5000;
    while (this.exited === undefined && Date.now() < end) await sleep(20);
    if (this.exited === undefined) {
      this.proc.kill('SIGKILL');
      while (this.exited === undefined) await sleep(20);
    }
  }

  /** Unmounts and removes the backing store. */
  async destroy(): Promise<void> {
    await this.unmount();
    rmSync(this.work, { recursive: true, force: true });
    rmSync(this.logFile, { force: true });
  }
}
