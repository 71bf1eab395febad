// Control of a local cluster laid out as deploy/local/cluster.sh lays it out:
// node in slot i listens on 127.0.0.i; its pid, output and log live in
// <dir>/node<i>.{pid,out,log}, its data in <dir>/node<i>/data. When run as
// root every node runs under its own system user quorumq-n<i>, so iptables
// can tell the nodes' traffic apart with `-m owner --uid-owner` (a loopback
// connection leaves from 127.0.0.1 whatever address its node listens on).
// Where the build or the cluster directory is out of those users' reach (a
// clone in a private directory), deploy/local/node-home.ts runs the nodes from
// a copy of the runtime and keeps their data elsewhere, behind
// <dir>/node<i> symlinks.
//
// <dir>/cluster.json (optional) holds the ports, cluster id and extra server
// flags; without it the defaults of cluster.sh apply (7001/7101/7201, "local").
// <dir>/node<i>.id holds the Raft id of the node in slot i when it is not i (a
// wiped node rejoins under a fresh id), and <dir>/node<i>.join marks a node
// that must start with --join.
//
// A cluster made with cfg.tls 'all' has a throwaway CA in <dir>/tls/ (every
// node, fresh members included, gets a certificate for its id when it first
// starts, deploy/local/node-tls.ts) and serves every port over TLS; one made
// with cfg.auth has its first administrator's token in <dir>/admin-token,
// handed to every node (--auth on --admin-token-file). The controller's own
// clients (pool(), status(), clientAccess() for the workloads) use both.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import { BrokerPool } from '../../broker/cli/client.js';
import { withServerMalloc } from '../../broker/server/node/malloc-env.js';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import { externalDataDir, forgetCluster, isRoot, mkdirOpen, nodeUser, perNodeUsers, prepareLaunch, removeNodeDir } from '../local/node-home.js';
import type { Launch, NodeUser } from '../local/node-home.js';
import { caDir, initClusterTls, nodeTlsArgs } from '../local/node-tls.js';
import { FakeClocks } from './clock.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, ''));
export const CLI = join(ROOT, 'dist/broker/cli/main.js');

export interface ClusterConfig {
  n: number;
  clusterId: string;
  clientPort: number;
  peerPort: number;
  metricsPort: number;
  /** Extra `quorumq server` flags (timing). */
  args: string[];
  /**
   * 'powercut': each node's data lives on its own powercut-fs mount at
   * <dir>/node<i>/disk (mounted by the caller, see powercut.ts), in disk/data.
   */
  disk?: 'plain' | 'powercut' | undefined;
  /** Extra environment for the nodes (tests only, e.g. QUORUMQ_UNSAFE_NO_DIR_SYNC). */
  env?: Record<string, string> | undefined;
  /**
   * 'all': a throwaway CA made at create(), every node run with --tls all
   * (peer mutual TLS, TLS client and metrics ports). Absent: peer mutual TLS
   * only if the directory has a CA (cluster.sh's), else plaintext.
   */
  tls?: 'all' | undefined;
  /** Client authentication on (--auth on), the first administrator's token made at create(). */
  auth?: boolean | undefined;
  /** Every node on a fake wall clock (libfaketime, see clock.ts) that the clock-jump nemesis moves. */
  fakeClocks?: boolean | undefined;
}

/** What a client of the cluster needs: the CA to trust (cfg.tls) and a token (cfg.auth). */
export interface ClientAccess {
  readonly tls?: { readonly ca: Buffer };
  readonly token?: string;
}

function fsyncDir(d: string): void {
  const fd = openSync(d, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export { isRoot };

/** A timestamped line on stdout: every chaos action says what it did and when. */
export function say(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last error: ${(last as Error).message}` : ''}`);
    await sleep(everyMs);
  }
}

export class ClusterCtl {
  private pools: BrokerPool[] = [];
  private fakeClocks: FakeClocks | undefined;

  /** The nodes' fake wall clocks, when the cluster runs on them (cfg.fakeClocks). */
  get clocks(): FakeClocks | undefined {
    if (this.cfg.fakeClocks) this.fakeClocks ??= new FakeClocks(String(this.cfg.clientPort));
    return this.fakeClocks;
  }

  private constructor(
    readonly dir: string,
    readonly cfg: ClusterConfig,
  ) {}

  /** Open an existing cluster directory (one made by cluster.sh or by create()). */
  static open(dir = join(ROOT, '.data/cluster')): ClusterCtl {
    const f = join(dir, 'cluster.json');
    let cfg: ClusterConfig;
    if (existsSync(f)) cfg = JSON.parse(readFileSync(f, 'utf8')) as ClusterConfig;
    else {
      const size = existsSync(join(dir, 'size')) ? Number(readFileSync(join(dir, 'size'), 'utf8').trim()) : 0;
      if (!size) throw new Error(`no cluster in ${dir}: start one with "make cluster N=3"`);
      cfg = { n: size, clusterId: 'local', clientPort: 7001, peerPort: 7101, metricsPort: 7201, args: [] };
    }
    return new ClusterCtl(dir, cfg);
  }

  /** A fresh cluster directory (anything there before is removed); nothing is started. */
  static create(dir: string, cfg: ClusterConfig): ClusterCtl {
    forgetCluster(dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cfg, null, 2));
    writeFileSync(join(dir, 'size'), `${cfg.n}\n`);
    if (cfg.tls === 'all') initClusterTls(dir, cfg.clusterId);
    // The token format the server makes itself (broker/server/auth/tokens.ts): any ≥ 24 characters without spaces do.
    if (cfg.auth) writeFileSync(ClusterCtl.adminTokenFile(dir), `qq_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    return new ClusterCtl(dir, cfg);
  }

  private static adminTokenFile(dir: string): string {
    return join(dir, 'admin-token');
  }

  private access: ClientAccess | undefined;

  /** The CA and the administrator's token, for clients of a cluster made with tls/auth (empty otherwise). */
  clientAccess(): ClientAccess {
    return (this.access ??= {
      ...(this.cfg.tls === 'all' ? { tls: { ca: readFileSync(join(caDir(this.dir), 'ca.pem')) } } : {}),
      ...(this.cfg.auth ? { token: readFileSync(ClusterCtl.adminTokenFile(this.dir), 'utf8').trim() } : {}),
    });
  }

  /** A Broker client pool over `addrs` with this cluster's credentials. */
  private brokerPool(addrs: string[], timeoutMs: number): BrokerPool {
    const a = this.clientAccess();
    return new BrokerPool(addrs, timeoutMs, a.tls ? grpc.credentials.createSsl(a.tls.ca) : undefined, a.token);
  }

  /**
   * --auth flags for a node: the administrator's token copied into its node
   * directory (beside `dataDir`), owned by the node's user, who may not read
   * the cluster directory.
   */
  private authArgs(dataDir: string): string[] {
    if (!this.cfg.auth) return [];
    const dest = join(dirname(dataDir), 'admin-token');
    copyFileSync(ClusterCtl.adminTokenFile(this.dir), dest);
    const owner = statSync(dataDir);
    chownSync(dest, owner.uid, owner.gid);
    return ['--auth', 'on', '--admin-token-file', dest];
  }

  get slots(): number[] {
    return Array.from({ length: this.cfg.n }, (_, i) => i + 1);
  }

  host(slot: number): string {
    return `127.0.0.${slot}`;
  }
  client(slot: number): string {
    return `${this.host(slot)}:${this.cfg.clientPort}`;
  }
  peer(slot: number): string {
    return `${this.host(slot)}:${this.cfg.peerPort}`;
  }
  dataDir(slot: number): string {
    return this.cfg.disk === 'powercut' ? join(this.diskDir(slot), 'data') : join(this.dir, `node${slot}`, 'data');
  }
  /**
   * Where a slot's powercut-fs is mounted (cfg.disk 'powercut'): beside the
   * node directories, or — when nodes run under their own users — under the
   * node home (node-home.ts), where those users can reach it whatever the
   * clone's permissions (a private clone would hide a mount inside it).
   */
  diskDir(slot: number): string {
    const base = perNodeUsers() ? externalDataDir(this.dir) : this.dir;
    mkdirOpen(base);
    return join(base, `disk${slot}`);
  }
  logFile(slot: number): string {
    return join(this.dir, `node${slot}.log`);
  }

  /** The Raft id of the node in a slot. */
  id(slot: number): number {
    const f = join(this.dir, `node${slot}.id`);
    return existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : slot;
  }
  slotOf(id: number): number | undefined {
    return this.slots.find((s) => this.id(s) === id);
  }
  /** A fresh Raft id, never used in this cluster directory. */
  freshId(): number {
    const f = join(this.dir, 'next-id');
    const next = existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : 100;
    writeFileSync(f, `${next + 1}\n`);
    return next;
  }
  setId(slot: number, id: number, join_: boolean): void {
    writeFileSync(join(this.dir, `node${slot}.id`), `${id}\n`);
    if (join_) writeFileSync(join(this.dir, `node${slot}.join`), '');
    else rmSync(join(this.dir, `node${slot}.join`), { force: true });
  }

  members(): string {
    return this.slots.map((s) => `${this.id(s)}=${this.peer(s)}`).join(',');
  }

  /** The system user a slot's node runs as (created when missing), or undefined when not root. */
  user(slot: number): NodeUser | undefined {
    if (!perNodeUsers()) return undefined;
    return (this.users[slot] ??= nodeUser(slot));
  }
  private users: Record<number, NodeUser> = {};

  /** How the last start of each slot launched its node (user, runtime copy, data directory). */
  readonly launches: Record<number, Launch> = {};

  pid(slot: number): number | undefined {
    const f = join(this.dir, `node${slot}.pid`);
    if (!existsSync(f)) return undefined;
    const pid = Number(readFileSync(f, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  }

  running(slot: number): boolean {
    const pid = this.pid(slot);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    // A zombie (killed, not yet reaped by its parent) is not running.
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^\d+ \(.*\) Z/.test(st);
    } catch {
      return false;
    }
  }

  /** Whether the process is stopped by SIGSTOP. */
  paused(slot: number): boolean {
    const pid = this.pid(slot);
    if (!pid) return false;
    try {
      return /^\d+ \(.*\) T/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  /**
   * Start the node of a slot (detached: it outlives this process) and wait
   * for its ready line. Resolves { ok: false, error } when it exits instead.
   */
  async start(slot: number, timeoutMs = 30_000): Promise<{ ok: boolean; error?: string }> {
    if (this.running(slot)) return { ok: true };
    // Its user, a runtime that user can load and a data directory it can reach (node-home.ts).
    const launch = prepareLaunch(this.dir, slot, ROOT);
    this.launches[slot] = launch;
    let data = launch.dataDir;
    if (this.cfg.disk === 'powercut') {
      // On a powercut disk the data directory is provisioned durably, as an
      // operator's (or systemd's StateDirectory) would be: only what the node
      // itself writes is at stake in a cut.
      data = this.dataDir(slot);
      mkdirSync(data, { recursive: true });
      if (launch.user) chownSync(data, launch.user.uid, launch.user.gid);
      for (const d of [data, this.diskDir(slot)]) fsyncDir(d);
    }
    const outFile = join(this.dir, `node${slot}.out`);
    const out = openSync(outFile, 'w');
    const err = openSync(this.logFile(slot), 'a');
    const joining = existsSync(join(this.dir, `node${slot}.join`));
    const args = [
      'server',
      '--id', String(this.id(slot)),
      '--cluster-id', this.cfg.clusterId,
      '--members', this.members(),
      '--client', this.client(slot),
      '--peer', this.peer(slot),
      '--metrics', `${this.host(slot)}:${this.cfg.metricsPort}`,
      '--data-dir', data,
      ...(joining ? ['--join'] : []),
      // TLS on every port for a cluster made with tls 'all'; else peer mTLS when the
      // directory has a CA (one made by cluster.sh); else none.
      ...(await nodeTlsArgs(this.dir, this.id(slot), launch.dataDir, this.host(slot), this.cfg.tls === 'all' ? 'all' : 'peer')),
      ...this.authArgs(launch.dataDir),
      ...this.cfg.args,
    ];
    const [cmd, ...prefix] = this.clocks ? this.clocks.wrap(launch.command) : launch.command;
    const clock = this.clocks?.env(slot);
    // With the server's allocator settings (malloc-env.ts), unless the cluster's own env sets others.
    const env = withServerMalloc(this.cfg.env || clock ? { ...process.env, ...this.cfg.env, ...clock } : process.env);
    const p = spawn(cmd!, [...prefix, ...args], { detached: true, stdio: ['ignore', out, err], env });
    p.unref();
    closeSync(out);
    closeSync(err);
    writeFileSync(join(this.dir, `node${slot}.pid`), `${p.pid}\n`);
    if (p.pid !== undefined) this.clocks?.started(p.pid);
    let exited: number | string | undefined;
    p.once('exit', (code, sig) => (exited = code ?? sig ?? -1));
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (readFileSync(outFile, 'utf8').includes(' ready: ')) return { ok: true };
      if (exited !== undefined) {
        const tail = readFileSync(this.logFile(slot), 'utf8').trim().split('\n').slice(-3).join('\n');
        return { ok: false, error: `exited with ${exited}: ${tail}` };
      }
      if (Date.now() > end) return { ok: false, error: `not ready within ${timeoutMs} ms` };
      await sleep(50);
    }
  }

  /** Send a signal to a slot's node. */
  signal(slot: number, sig: NodeJS.Signals): boolean {
    const pid = this.pid(slot);
    if (!pid) return false;
    try {
      process.kill(pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /** Signal and wait until the process is gone (SIGCONT first, so a paused node can die of SIGTERM). */
  async stop(slot: number, sig: NodeJS.Signals = 'SIGKILL', timeoutMs = 20_000): Promise<void> {
    if (!this.running(slot)) return;
    this.signal(slot, sig);
    if (sig !== 'SIGKILL') this.signal(slot, 'SIGCONT');
    try {
      await waitFor(`node in slot ${slot} to exit`, () => !this.running(slot), timeoutMs, 20);
    } catch {
      this.signal(slot, 'SIGKILL');
      await waitFor(`node in slot ${slot} to exit after SIGKILL`, () => !this.running(slot), 10_000, 20);
    }
  }

  async stopAll(sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.slots.map((s) => this.stop(s, sig)));
  }

  /** Wipe a slot's data (the node must be stopped). */
  wipe(slot: number): void {
    if (this.running(slot)) throw new Error(`slot ${slot} is running`);
    // A powercut disk stays mounted: only the data on it goes.
    // Retried on ENOTEMPTY: right after a SIGKILL the kernel may not yet have
    // sent FUSE the killed node's closes, and it hides a still-open file it is
    // told to unlink as .fuse_hidden* instead (seen once: a membership change
    // right after a power cut failed the run with ENOTEMPTY on disk<i>/data).
    if (this.cfg.disk === 'powercut') rmSync(this.dataDir(slot), { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    else removeNodeDir(this.dir, slot);
  }

  /** A Broker client over the given slots (default: all), closed by close(). */
  pool(slots = this.slots, timeoutMs = 3000): BrokerPool {
    const p = this.brokerPool(slots.map((s) => this.client(s)), timeoutMs);
    this.pools.push(p);
    return p;
  }

  async status(slots = this.slots.filter((s) => this.running(s) && !this.paused(s))): Promise<ClusterStatusResponse__Output> {
    const p = this.brokerPool(slots.map((s) => this.client(s)), 2000);
    try {
      return await p.call<ClusterStatusResponse__Output>('ClusterStatus', {});
    } finally {
      p.close();
    }
  }

  /** The slot of the current leader as a live node reports it, or undefined. */
  async leaderSlot(): Promise<number | undefined> {
    try {
      const s = await this.status();
      return s.leader ? this.slotOf(s.leader) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Wait for a leader that every running member sees, with every running voter caught up to within `lag` entries. */
  async waitHealthy(timeoutMs = 60_000, lag = 1000): Promise<number> {
    return waitFor(
      'a leader with every running member reachable and caught up',
      async () => {
        const s = await this.status();
        if (!s.leader) return undefined;
        const live = s.members.filter((m) => {
          const slot = this.slotOf(m.id);
          return slot !== undefined && this.running(slot) && !this.paused(slot);
        });
        const ok = live.every((m) => m.reachable && m.role !== 'CANDIDATE' && m.role !== 'PRE_CANDIDATE' && m.lag <= lag);
        return ok ? this.slotOf(s.leader) : undefined;
      },
      timeoutMs,
      100,
    );
  }

  close(): void {
    for (const p of this.pools.splice(0)) p.close();
  }
}
