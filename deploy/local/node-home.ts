// How a local cluster's node is launched: as which user, from which copy of
// the build, with its data where that user can reach it.
//
// As root, node i of a local cluster (deploy/local/cluster.sh, the chaos
// tools, make chaos / chaos-ci) runs as system user quorumq-n<i>, so iptables
// can tell the nodes' traffic apart (`-m owner --uid-owner`, deploy/chaos/net.ts).
// Such a user can only load the build and keep its data where it may enter.
// A clone inside a private directory (`git clone` into /root/..., CI's
// `mktemp -d` folder) or files written under umask 077 are out of its reach,
// and every node would die with "Cannot find module .../dist/broker/cli/main.js".
//
// Then, and only then:
//  - the node runs from a copy of what a node loads at run time — package.json
//    (it makes dist/ ES modules), dist/, node_modules/ and proto/ (the .proto
//    files proto/load.ts reads: quorumq's and the standard health service's) — in <home>/runtime/<clone>-<hash>/tree, where
//    <home> is /var/lib/quorumq-dev (QUORUMQ_NODE_HOME moves it) and the hash is
//    of the clone's path. Files are hard links (a copy, with mode a+r, when a
//    file is not world readable or sits on another file system), so a refresh
//    takes a fraction of a second and no space; it is refreshed at every launch
//    (changed, new and removed files), so it always matches the build.
//  - its data directory lives in <home>/data/<cluster>-<hash>/node<i>, owned by
//    the node's user, and <cluster dir>/node<i> is a symlink to it, so every path
//    the docs name (.data/cluster/node<i>/data, .chaos/*/cluster/...) still works.
//    Logs, pid files, histories and results stay in the clone: the node gets its
//    stdout/stderr as open file descriptors from root.
// Entries whose clone or cluster directory is gone are removed at the next
// launch; `node dist/deploy/local/node-home.js forget-clone` removes this
// clone's at once (.ci/run does, at exit).
//
// Command line (used by cluster.sh):
//   node-home.js launch DIR SLOT     prints the data directory, then the command prefix (one word a line)
//   node-home.js forget-cluster DIR  removes the cluster directory and its data kept elsewhere
//   node-home.js forget-clone        removes this clone's runtime copy and data kept elsewhere

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withServerMalloc } from '../../broker/server/node/malloc-env.js';

/** The clone this module was built from (dist/deploy/local/ → the clone). */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, ''));

/** What `quorumq server` loads at run time, relative to the clone. */
export const RUNTIME_PATHS = ['package.json', 'proto', 'dist', 'node_modules'];
const CLI_REL = 'dist/broker/cli/main.js';

export const nodeHome = (): string => process.env.QUORUMQ_NODE_HOME ?? '/var/lib/quorumq-dev';
export const isRoot = (): boolean => process.getuid?.() === 0;
/** Whether nodes run under their own users: as root, unless QUORUMQ_SAME_UID=1. */
export const perNodeUsers = (): boolean => isRoot() && process.env.QUORUMQ_SAME_UID !== '1';

export interface NodeUser {
  name: string;
  uid: number;
  gid: number;
}

/** The system user of a slot (quorumq-n<slot>), created when missing. */
export function nodeUser(slot: number): NodeUser {
  const name = `quorumq-n${slot}`;
  const id = (flag: string): number | undefined => {
    const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
    return r.status === 0 ? Number(r.stdout.trim()) : undefined;
  };
  if (id('-u') === undefined) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: 'ignore' });
  }
  return { name, uid: id('-u')!, gid: id('-g')! };
}

/** setpriv's prefix that runs a command as `u` with no supplementary groups. */
export const asUser = (u: NodeUser): string[] => ['setpriv', `--reuid=${u.uid}`, `--regid=${u.gid}`, '--clear-groups'];

/** Whether `u` can read (r), search or execute (x), or write (w) a path: asked of the kernel, as that user. */
export function userCan(u: NodeUser, test: 'r' | 'x' | 'w', path: string): boolean {
  return spawnSync(asUser(u)[0]!, [...asUser(u).slice(1), 'test', `-${test}`, path], { stdio: 'ignore' }).status === 0;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 10);
const keyOf = (p: string): string => `${basename(p).replace(/[^\w.-]/g, '_') || 'root'}-${hash(p)}`;
const worldReadable = (st: Stats): boolean => (st.mode & 0o004) !== 0 && (!st.isDirectory() || (st.mode & 0o001) !== 0);

/** Every file, directory and symlink of the runtime, relative to the clone (lstat-walked). */
function* walk(base: string, rel: string): Generator<[string, Stats]> {
  let st: Stats;
  try {
    st = lstatSync(join(base, rel));
  } catch {
    return;
  }
  yield [rel, st];
  if (st.isDirectory()) for (const f of readdirSync(join(base, rel)).sort()) yield* walk(base, join(rel, f));
}

/** Whether a user other than root can load the runtime straight from the clone (mode bits, then the kernel's answer as `u`). */
export function runtimeReachable(root: string, u: NodeUser): boolean {
  for (const top of RUNTIME_PATHS) for (const [, st] of walk(root, top)) if (!st.isSymbolicLink() && !worldReadable(st)) return false;
  return userCan(u, 'r', join(root, CLI_REL)) && userCan(u, 'r', join(root, 'package.json')) && userCan(u, 'r', join(root, 'proto/quorumq.proto'));
}

export interface SyncStats {
  linked: number;
  copied: number;
  removed: number;
  unchanged: number;
}

let tmpSeq = 0;
const tmpName = (p: string): string => `${p}.tmp-${process.pid}-${tmpSeq++}`;

/**
 * Make `dest` hold the runtime of `root`: hard links where possible, copies
 * (world readable, same mtime) otherwise; stale entries removed. Safe to run
 * from two processes at once (every replacement is a rename).
 */
export function syncRuntime(root: string, dest: string): SyncStats {
  const s: SyncStats = { linked: 0, copied: 0, removed: 0, unchanged: 0 };
  mkdirSync(dest, { recursive: true, mode: 0o755 });
  chmodSync(dest, 0o755);
  const want = new Set<string>();
  for (const top of RUNTIME_PATHS) {
    mkdirOpen(dirname(join(dest, top)));
    for (const [rel, st] of walk(root, top)) {
      want.add(rel);
      const src = join(root, rel);
      const dst = join(dest, rel);
      let cur: Stats | undefined;
      try {
        cur = lstatSync(dst);
      } catch {
        cur = undefined;
      }
      if (st.isDirectory()) {
        if (cur && !cur.isDirectory()) rmSync(dst, { recursive: true, force: true });
        if (!cur?.isDirectory()) mkdirSync(dst, { recursive: true });
        chmodSync(dst, 0o755);
        continue;
      }
      if (st.isSymbolicLink()) {
        const target = readlinkSync(src);
        if (cur?.isSymbolicLink() && readlinkSync(dst) === target) {
          s.unchanged++;
          continue;
        }
        const t = tmpName(dst);
        symlinkSync(target, t);
        renameSync(t, dst);
        s.linked++;
        continue;
      }
      if (!st.isFile()) continue;
      // A hard link is the file itself (tsc rewrites files in place); a copy is current while size and mtime match.
      const same = cur?.isFile() && cur.dev === st.dev && cur.ino === st.ino;
      const copy = cur?.isFile() && cur.ino !== st.ino && cur.size === st.size && Math.abs(cur.mtimeMs - st.mtimeMs) < 1 && worldReadable(cur);
      if (same || copy) {
        s.unchanged++;
        continue;
      }
      if (cur?.isDirectory()) rmSync(dst, { recursive: true, force: true });
      const t = tmpName(dst);
      let linked = false;
      if (worldReadable(st)) {
        try {
          linkSync(src, t);
          linked = true;
        } catch {
          linked = false; // another file system: copy
        }
      }
      if (!linked) {
        copyFileSync(src, t, constants.COPYFILE_FICLONE);
        chmodSync(t, (st.mode & 0o777) | 0o444 | ((st.mode & 0o100) ? 0o111 : 0));
        utimesSync(t, st.atime, st.mtime);
      }
      renameSync(t, dst);
      if (linked) s.linked++;
      else s.copied++;
    }
  }
  // Anything the build no longer has (deepest first, so directories are empty by then).
  const have = [...RUNTIME_PATHS.flatMap((top) => [...walk(dest, top)])].reverse();
  for (const [rel] of have) {
    if (want.has(rel)) continue;
    rmSync(join(dest, rel), { recursive: true, force: true });
    s.removed++;
  }
  return s;
}

/** Where this clone's runtime copy lives. */
export const runtimeDir = (root = ROOT): string => join(nodeHome(), 'runtime', keyOf(root));
/** Where a cluster directory's node data lives when the node users cannot reach the directory. */
export const externalDataDir = (clusterDir: string): string => join(nodeHome(), 'data', keyOf(resolve(clusterDir)));

/** Create a directory (and its parents) readable and searchable by everyone. */
/** mkdir -p, each new directory 0755 whatever the umask (node users must traverse it). */
export function mkdirOpen(p: string): void {
  if (existsSync(p)) return;
  mkdirOpen(dirname(p));
  mkdirSync(p, { mode: 0o755 });
  chmodSync(p, 0o755);
}

/** Remove runtime copies whose clone, and data whose cluster directory, no longer exist. */
export function collectGarbage(): void {
  for (const kind of ['runtime', 'data']) {
    const base = join(nodeHome(), kind);
    if (!existsSync(base)) continue;
    for (const e of readdirSync(base)) {
      const originFile = join(base, e, 'origin');
      let origin: string | undefined;
      try {
        origin = readFileSync(originFile, 'utf8').trim();
      } catch {
        origin = undefined;
      }
      // No origin yet: another process is creating it right now.
      if (origin === undefined) continue;
      const alive = kind === 'runtime' ? existsSync(join(origin, 'package.json')) : existsSync(origin);
      if (!alive) rmSync(join(base, e), { recursive: true, force: true });
    }
  }
}

function chownTree(p: string, uid: number, gid: number): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return;
  chownSync(p, uid, gid);
  if (st.isDirectory()) for (const f of readdirSync(p)) chownTree(join(p, f), uid, gid);
}

/** Per clone: the runtime copy its nodes run from in this process ('' for the clone itself). */
const runtimes = new Map<string, string>();

export interface Launch {
  /** The command that runs `quorumq` (before its arguments): [setpriv ..., node, main.js]. */
  command: string[];
  /** The node's --data-dir (a real path the node can reach). */
  dataDir: string;
  /** The slot's user, when nodes run under their own users. */
  user?: NodeUser;
  /** The runtime copy the node runs from, when the clone is out of the user's reach. */
  runtime?: string;
  /** Whether the slot's data lives outside the cluster directory (behind <dir>/node<slot>). */
  dataElsewhere: boolean;
}

/**
 * Everything needed to start the node of `slot` in `clusterDir`: its user
 * (created when missing), a runtime that user can load (the clone, or a
 * refreshed copy), and its data directory (in the cluster directory, or
 * elsewhere behind a symlink), owned by that user.
 */
/**
 * A root `user` can load the build from: the clone itself, or the refreshed
 * runtime copy when the clone is out of its reach (checked and refreshed once
 * per process: a chaos run restarts nodes often).
 */
export function loadableRoot(user: NodeUser, root = ROOT): string {
  let runtime = runtimes.get(root);
  if (runtime === undefined) {
    runtime = '';
    if (!runtimeReachable(root, user)) {
      const rt = runtimeDir(root);
      mkdirOpen(rt);
      writeFileSync(join(rt, 'origin'), `${root}\n`);
      syncRuntime(root, join(rt, 'tree'));
      runtime = join(rt, 'tree');
    }
    runtimes.set(root, runtime);
  }
  return runtime || root;
}

export function prepareLaunch(clusterDir: string, slot: number, root = ROOT): Launch {
  const dir = resolve(clusterDir);
  const nodeDir = join(dir, `node${slot}`);
  mkdirSync(dir, { recursive: true });
  if (!perNodeUsers()) {
    mkdirSync(join(nodeDir, 'data'), { recursive: true });
    return { command: [process.execPath, join(root, CLI_REL)], dataDir: join(realpathSync(nodeDir), 'data'), dataElsewhere: false };
  }
  collectGarbage();
  const user = nodeUser(slot);
  const base = loadableRoot(user, root);
  const runtime = base === root ? '' : base;
  let cli = join(base, CLI_REL);
  let node = process.execPath;
  if (!userCan(user, 'x', node)) {
    // Node itself out of reach (e.g. under /root/.nvm): a link beside the runtime.
    const rt = runtimeDir(root);
    mkdirOpen(join(rt, 'bin'));
    const dst = join(rt, 'bin', 'node');
    const t = tmpName(dst);
    try {
      linkSync(process.execPath, t);
    } catch {
      copyFileSync(process.execPath, t);
    }
    chmodSync(t, 0o755);
    renameSync(t, dst);
    node = dst;
  }
  // The data directory.
  let dataElsewhere = false;
  let st: Stats | undefined;
  try {
    st = lstatSync(nodeDir);
  } catch {
    st = undefined;
  }
  if (st?.isSymbolicLink()) {
    dataElsewhere = true;
    const target = resolve(dir, readlinkSync(nodeDir));
    if (!existsSync(target)) {
      mkdirOpen(dirname(target));
      mkdirSync(target, { mode: 0o700 });
    }
  }
  else if (!userCan(user, 'x', dir)) {
    const ext = join(externalDataDir(dir), `node${slot}`);
    mkdirOpen(dirname(ext));
    writeFileSync(join(dirname(ext), 'origin'), `${dir}\n`);
    rmSync(ext, { recursive: true, force: true });
    if (st?.isDirectory()) {
      // A node directory left from a run that kept it here: move it along.
      try {
        renameSync(nodeDir, ext);
      } catch {
        execFileSync('cp', ['-a', nodeDir, ext]);
        rmSync(nodeDir, { recursive: true, force: true });
      }
    } else {
      mkdirSync(ext, { mode: 0o700 });
    }
    symlinkSync(ext, nodeDir);
    dataElsewhere = true;
  }
  mkdirSync(join(nodeDir, 'data'), { recursive: true });
  const real = realpathSync(nodeDir);
  chownTree(real, user.uid, user.gid);
  chmodSync(real, 0o700);
  return { command: [...asUser(user), node, cli], dataDir: join(real, 'data'), user, ...(runtime ? { runtime } : {}), dataElsewhere };
}

/** Remove a slot's node directory, and its data elsewhere when it is a symlink. */
export function removeNodeDir(clusterDir: string, slot: number): void {
  const nodeDir = join(resolve(clusterDir), `node${slot}`);
  try {
    if (lstatSync(nodeDir).isSymbolicLink()) rmSync(readlinkSync(nodeDir), { recursive: true, force: true });
  } catch {
    return;
  }
  rmSync(nodeDir, { recursive: true, force: true });
}

/** Remove a cluster directory with its data kept elsewhere. */
export function forgetCluster(clusterDir: string): void {
  rmSync(externalDataDir(clusterDir), { recursive: true, force: true });
  rmSync(clusterDir, { recursive: true, force: true });
}

/** Remove this clone's runtime copy and the data, kept elsewhere, of cluster directories inside it. */
export function forgetClone(root = ROOT): void {
  rmSync(runtimeDir(root), { recursive: true, force: true });
  const base = join(nodeHome(), 'data');
  if (!existsSync(base)) return;
  for (const e of readdirSync(base)) {
    let origin = '';
    try {
      origin = readFileSync(join(base, e, 'origin'), 'utf8').trim();
    } catch {
      origin = '';
    }
    const rel = origin ? relative(root, origin) : '..';
    if (!rel.startsWith('..') && !rel.startsWith(sep)) rmSync(join(base, e), { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const [cmd, a, b] = process.argv.slice(2);
  try {
    if (cmd === 'launch' && a && b) {
      const l = prepareLaunch(a, Number(b));
      // cluster.sh runs the command as printed: it starts with the server's allocator settings (malloc-env.ts).
      const tunables = withServerMalloc(process.env).GLIBC_TUNABLES!;
      process.stdout.write([l.dataDir, 'env', `GLIBC_TUNABLES=${tunables}`, ...l.command].join('\n') + '\n');
    } else if (cmd === 'forget-cluster' && a) forgetCluster(a);
    else if (cmd === 'forget-clone') forgetClone(a ? resolve(a) : ROOT);
    else {
      process.stderr.write('usage: node-home.js launch DIR SLOT | forget-cluster DIR | forget-clone [ROOT]\n');
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`node-home: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
