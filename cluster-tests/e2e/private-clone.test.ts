// A clone inside a private directory (CI clones into `mktemp -d`; a clone
// under /root is the same): as root every local node runs under its own user
// (quorumq-n<i>), which cannot enter that directory. Before node-home.ts every
// node died there ("node 1 did not start: exited with 1", Cannot find module
// .../dist/broker/cli/main.js) and nothing of `make test` could pass in CI.
//
// This test builds such a clone from the current build (hard links into a
// 0700 temp directory) and, from it, runs `deploy/local/cluster.sh` (make
// cluster) and the chaos smoke test (make chaos-ci, shortened) with kills and
// iptables partitions. Not as root there are no per-node users, and the same
// steps run as this user.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalDataDir } from '../../deploy/local/node-home.js';
import { waitFor } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, '');
const asRoot = process.getuid?.() === 0;

let priv = '';
let clone = '';

/** Whether a TCP port is free on 127.0.0.1, .2 and .3. */
async function free(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, host, () => s.close(() => resolve(true)));
    });
    if (!ok) return false;
  }
  return true;
}

/** A base B with B+1, B+101 and B+201 free on every node address (the layout of cluster.sh and run.ts). */
async function freeBase(from: number): Promise<number> {
  for (let b = from; b < from + 1000; b += 10) if ((await free(b + 1)) && (await free(b + 101)) && (await free(b + 201))) return b;
  throw new Error(`no free port base in ${from}..${from + 1000}`);
}

/** `quorumq server` processes whose --data-dir lies under one of `dirs`. */
function serversUnder(dirs: string[]): number[] {
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
    if (argv.includes('server') && i >= 0 && dirs.some((d) => argv[i + 1]?.startsWith(d))) pids.push(Number(e));
  }
  return pids;
}

const uidOf = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: clone, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

beforeAll(() => {
  priv = mkdtempSync(join(tmpdir(), 'quorumq-private-'));
  expect(statSync(priv).mode & 0o777).toBe(0o700);
  clone = join(priv, 'p');
  mkdirSync(join(clone, 'deploy'), { recursive: true });
  for (const d of ['dist', 'node_modules']) {
    // Hard links: fast, and the same files a clone's build would have.
    if (spawnSync('cp', ['-al', join(ROOT, d), clone]).status !== 0) execFileSync('cp', ['-a', join(ROOT, d), clone]);
  }
  execFileSync('cp', ['-r', join(ROOT, 'proto'), join(ROOT, 'package.json'), clone]);
  execFileSync('cp', ['-r', join(ROOT, 'deploy/local'), join(clone, 'deploy')]);
});

afterAll(() => {
  if (!clone) return;
  // Whatever a failed test left running from the clone (its cluster directories, or their data kept elsewhere).
  const dirs = [join(clone, '.data/cluster'), join(clone, '.chaos/smoke/cluster')];
  for (const pid of serversUnder(dirs.flatMap((d) => [d + '/', externalDataDir(d) + '/']))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (existsSync(join(clone, 'dist/deploy/local/node-home.js'))) spawnSync(process.execPath, [join(clone, 'dist/deploy/local/node-home.js'), 'forget-clone'], { stdio: 'ignore' });
  rmSync(priv, { recursive: true, force: true });
});

describe('a clone in a private directory', () => {
  it(`make cluster: cluster.sh starts 3 nodes that elect a leader${asRoot ? ', each under quorumq-n<i>' : ''}, and stops them`, async () => {
    const base = await freeBase(7900);
    const env = { QUORUMQ_CLUSTER_DIR: join(clone, '.data/cluster'), QUORUMQ_CLIENT_PORT: String(base + 1), QUORUMQ_PEER_PORT: String(base + 101), QUORUMQ_METRICS_PORT: String(base + 201) };
    const sh = join(clone, 'deploy/local/cluster.sh');
    try {
      const start = await run('bash', [sh, 'start', '3'], env);
      expect(start.out).not.toMatch(/failed to start|Cannot find module/);
      expect(start.code, start.out).toBe(0);
      const servers = readFileSync(join(clone, '.data/cluster/servers'), 'utf8').trim();
      const status = await waitFor('a leader that all three nodes report', async () => {
        const r = await run(process.execPath, [join(clone, 'dist/broker/cli/main.js'), 'cluster', 'status', '--server', servers, '--json']);
        if (r.code !== 0) return undefined;
        const s = JSON.parse(r.out) as { leader: number; members: { reachable: boolean }[] };
        return s.leader && s.members.length === 3 && s.members.every((m) => m.reachable) ? s : undefined;
      }, 60_000, 200);
      expect(status.leader).toBeGreaterThan(0);
      const pids = [1, 2, 3].map((i) => Number(readFileSync(join(clone, `.data/cluster/node${i}.pid`), 'utf8')));
      for (const [k, pid] of pids.entries()) {
        const want = asRoot ? Number(execFileSync('id', ['-u', `quorumq-n${k + 1}`], { encoding: 'utf8' })) : process.getuid!();
        expect(uidOf(pid)).toBe(want);
      }
      // Logs stay where the docs say; the data directory answers at its documented path.
      expect(readFileSync(join(clone, '.data/cluster/node1.out'), 'utf8')).toMatch(/ ready: /);
      expect(existsSync(join(clone, '.data/cluster/node1/data'))).toBe(true);
    } finally {
      const stop = await run('bash', [sh, 'stop'], env);
      expect(stop.out).toMatch(/stopped 3 node\(s\)/);
    }
    expect(serversUnder([join(clone, '.data/cluster') + '/'])).toEqual([]);
  }, 150_000);

  it(`make chaos-ci (shortened): partitions${asRoot ? ' (iptables, a uid per node)' : ''}, nothing lost`, async () => {
    const base = await freeBase(8300);
    const r = await run(process.execPath, [join(clone, 'dist/cluster-tests/chaos/run.js'), '--nodes', '3', '--duration', '15', '--nemesis', 'partition', '--hold', '1-2', '--quiet', '1-2', '--port-base', String(base), '--out', join(clone, '.chaos/smoke')], {}, 150_000);
    const summary = r.out.split('\n').find((l) => l.startsWith('chaos: '));
    expect(r.out).not.toMatch(/did not start/);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(summary).toMatch(/lost=0 duplicated=0/);
    if (asRoot) {
      expect(r.out).toMatch(/each node under its own uid/);
      expect(r.out).toMatch(/nemesis partition-\S+ start/);
    }
    expect(existsSync(join(clone, '.chaos/smoke/history.jsonl'))).toBe(true);
    const dir = join(clone, '.chaos/smoke/cluster');
    expect(serversUnder([dir + '/', externalDataDir(dir) + '/'])).toEqual([]);
  }, 180_000);
});
