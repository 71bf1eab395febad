// Real quorumq processes on loopback, for end-to-end tests. Everything here
// touches the system the way a user does: it starts `quorumq server` from
// dist/, and talks to it over the public Broker gRPC API or the CLI. Ports are
// picked free per node, data lives in a temp directory, and every process is
// killed when the cluster is torn down (also when a test fails).

import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrokerPool } from '../../broker/cli/client.js';
import type { CallError } from '../../broker/cli/client.js';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import { waitFor as pollUntil } from '../../deploy/chaos/cluster-ctl.js';
import { loadableRoot } from '../../deploy/local/node-home.js';
import { withServerMalloc } from '../../broker/server/node/malloc-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, '');
export const CLI = join(ROOT, 'dist/broker/cli/main.js');

/**
 * A port free now, below the kernel's ephemeral range (32768 and up): a port
 * the kernel handed out (listen on 0) can be taken by any outgoing connection
 * (every gRPC client's) between this check and the node's bind, and a node
 * then fails with "address already in use". Ports are drawn at random per
 * process, so concurrent test processes rarely try the same one. A process
 * told to keep to a range of its own (the bench's --ports) draws from that
 * instead: see usePortRange.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { from, to } = portRange;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (taken.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, host, () => s.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port found on ${host} between ${from} and ${to}`);
}

let portRange = { from: 20_000, to: 31_999 };

/** Draw every later port of this process from [from, to] (inclusive). */
export function usePortRange(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1024 || to > 65_535 || to - from < 63) {
    throw new Error(`a port range must lie within 1024-65535 and hold at least 64 ports, got ${from}-${to}`);
  }
  portRange = { from, to };
}
/** Ports this process handed out already (a test may allocate many before starting any node). */
const taken = new Set<number>();

export interface NodeInfo {
  readonly id: number;
  readonly client: string;
  readonly peer: string;
  readonly metrics: string;
  readonly dataDir: string;
  readonly logFile: string;
  proc: ChildProcess | undefined;
}

export interface StartResult {
  /** The process's exit code when it refused to start, or undefined when it became ready. */
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Wait for a condition, polling; never a bare sleep (the chaos tools' waitFor, with the e2e defaults). */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  return pollUntil(what, fn, timeoutMs, everyMs);
}

/** The error a call that must fail failed with (a test that expects a refusal reads its code and message). */
export async function failure<E = CallError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected the call to fail');
}

export class LocalCluster {
  readonly nodes = new Map<number, NodeInfo>();
  readonly dir: string;
  private readonly pools: BrokerPool[] = [];

  private constructor(
    readonly clusterId: string,
    private readonly timing: readonly string[],
    /** Each node runs under a uid of its own (root only), so iptables can tell its packets apart (see faults.ts). */
    private readonly ownUids: boolean,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'quorumq-e2e-'));
    if (ownUids) chmodSync(this.dir, 0o755);
  }

  /** Allocate addresses for `n` nodes; nothing is started yet. */
  static async create(n: number, opts: { clusterId?: string; timing?: string[]; ownUids?: boolean } = {}): Promise<LocalCluster> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json)`);
    if (opts.ownUids && process.getuid?.() !== 0) throw new Error('nodes under their own uids need root (the test cuts links with iptables)');
    const c = new LocalCluster(opts.clusterId ?? 'e2e', opts.timing ?? [], opts.ownUids ?? false);
    for (let id = 1; id <= n; id++) await c.allocate(id);
    return c;
  }

  async allocate(id: number): Promise<NodeInfo> {
    const info: NodeInfo = {
      id,
      client: `127.0.0.1:${await freePort()}`,
      peer: `127.0.0.1:${await freePort()}`,
      metrics: `127.0.0.1:${await freePort()}`,
      dataDir: join(this.dir, `node${id}`),
      logFile: join(this.dir, `node${id}.log`),
      proc: undefined,
    };
    this.nodes.set(id, info);
    return info;
  }

  get initialMembers(): string {
    return [...this.nodes.values()].map((n) => `${n.id}=${n.peer}`).join(',');
  }

  serverArgs(id: number, extra: string[] = [], members = this.initialMembers): string[] {
    const n = this.node(id);
    return [
      CLI,
      'server',
      '--id', String(id),
      '--cluster-id', this.clusterId,
      '--members', members,
      '--client', n.client,
      '--peer', n.peer,
      '--metrics', n.metrics,
      '--data-dir', n.dataDir,
      ...this.timing,
      ...extra,
    ];
  }

  node(id: number): NodeInfo {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /**
   * The uid node `id` runs under with `ownUids`: unused system ids, distinct
   * per test process so that concurrent runs never match each other's rules.
   */
  uidOf(id: number): number | undefined {
    return this.ownUids ? 40_000 + (process.pid % 2000) * 16 + id : undefined;
  }

  /** Start one node and wait for its ready line (or its exit). */
  startNode(id: number, extra: string[] = [], members?: string): Promise<StartResult> {
    const n = this.node(id);
    if (this.running(id)) throw new Error(`node ${id} is already running`);
    const uid = this.uidOf(id);
    if (uid !== undefined) {
      mkdirSync(n.dataDir, { recursive: true });
      chownSync(n.dataDir, uid, uid);
    }
    let args = this.serverArgs(id, extra, members);
    if (uid !== undefined) {
      // A clone the node's uid cannot enter (CI's private folder): run it from the runtime copy it can load.
      const root = loadableRoot({ name: `uid ${uid}`, uid, gid: uid }, ROOT);
      if (root !== ROOT) args = args.map((a) => (a === CLI ? join(root, 'dist/broker/cli/main.js') : a));
    }
    // With the allocator settings every launcher in deploy/ gives a server.
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: withServerMalloc(process.env), ...(uid !== undefined ? { uid, gid: uid } : {}) });
    n.proc = proc;
    const log = createWriteStream(n.logFile, { flags: 'a' });
    let stdout = '';
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      log.write(d);
    });
    return new Promise((resolve) => {
      proc.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes(' ready: ')) resolve({ exitCode: undefined, stdout, stderr });
      });
      proc.once('exit', (code) => {
        log.end();
        resolve({ exitCode: code ?? -1, stdout, stderr });
      });
    });
  }

  /** Start every allocated node; throws if one refuses. */
  async startAll(): Promise<void> {
    const results = await Promise.all([...this.nodes.keys()].map((id) => this.startNode(id)));
    results.forEach((r, i) => {
      if (r.exitCode !== undefined) throw new Error(`node ${i + 1} exited with ${r.exitCode}: ${r.stderr.trim().split('\n').pop()}`);
    });
  }

  /** Send a signal and wait for the process to exit; resolves with its exit code (or the signal). */
  stopNode(id: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    const p = this.node(id).proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p?.exitCode ?? p?.signalCode ?? 'not running');
    return new Promise((resolve) => {
      p.once('exit', (code, sig) => resolve(code ?? sig ?? -1));
      p.kill(signal);
    });
  }

  running(id: number): boolean {
    const p = this.node(id).proc;
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  /** A gRPC Broker client over the given nodes (default: all), closed at teardown. */
  client(ids: number[] = [...this.nodes.keys()], timeoutMs = 2000): BrokerPool {
    const pool = new BrokerPool(ids.map((id) => this.node(id).client), timeoutMs);
    this.pools.push(pool);
    return pool;
  }

  /** Status as node `via` (default: any live node) reports it. */
  async status(via?: number): Promise<ClusterStatusResponse__Output> {
    const ids = via ? [via] : [...this.nodes.keys()].filter((id) => this.running(id));
    return this.client(ids, 2000).call<ClusterStatusResponse__Output>('ClusterStatus', {});
  }

  /** Wait until a leader is elected that every live member reports as leader. */
  async waitForLeader(timeoutMs = 20_000, except: number[] = []): Promise<number> {
    return waitFor(
      'a leader that every running node agrees on',
      async () => {
        const s = await this.status();
        if (!s.leader || except.includes(s.leader)) return undefined;
        const live = s.members.filter((m) => this.running(m.id));
        return live.every((m) => m.reachable && m.role !== 'CANDIDATE' && m.role !== 'PRE_CANDIDATE') ? s.leader : undefined;
      },
      timeoutMs,
    );
  }

  /** Run the real CLI; resolves with its exit code and output. */
  cli(args: string[], timeoutMs = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  logTail(id: number, lines = 20): string {
    try {
      return readFileSync(this.node(id).logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Kill everything (SIGKILL: teardown must not wait) and remove the data. */
  async destroy(): Promise<void> {
    for (const p of this.pools) p.close();
    await Promise.all([...this.nodes.keys()].map((id) => this.stopNode(id, 'SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
