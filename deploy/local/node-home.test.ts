// node-home.ts: the runtime copy (links, copies, refresh, removal), garbage
// collection, and — as root — a launch from a clone inside a private
// directory: the node's user can load the runtime and write its data.

import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage, externalDataDir, forgetClone, isRoot, perNodeUsers, prepareLaunch, removeNodeDir, runtimeDir, syncRuntime, userCan } from './node-home.js';

const dirs: string[] = [];
const temp = (prefix: string, mode = 0o700): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, mode);
  dirs.push(d);
  return d;
};
const put = (p: string, text: string, mode = 0o644): void => {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  chmodSync(p, mode);
};

/** A clone with just what a node loads: package.json, the proto, dist/ and node_modules/. */
function fakeClone(base: string): string {
  const root = join(base, 'clone');
  put(join(root, 'package.json'), '{"type":"module"}');
  put(join(root, 'proto/quorumq.proto'), 'syntax = "proto3";');
  put(join(root, 'dist/broker/cli/main.js'), 'console.log("quorumq");');
  put(join(root, 'dist/broker/server/main.js'), 'export {};');
  put(join(root, 'node_modules/dep/index.js'), 'module.exports = 1;');
  put(join(root, 'node_modules/dep/private.js'), 'module.exports = 2;', 0o600);
  mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
  symlinkSync('../dep/index.js', join(root, 'node_modules/.bin/dep'));
  put(join(root, 'src-only.ts'), 'not part of the runtime');
  return root;
}

let savedHome: string | undefined;
beforeEach(() => {
  savedHome = process.env.QUORUMQ_NODE_HOME;
  process.env.QUORUMQ_NODE_HOME = join(temp('quorumq-nodehome-', 0o755), 'home');
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.QUORUMQ_NODE_HOME;
  else process.env.QUORUMQ_NODE_HOME = savedHome;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('syncRuntime', () => {
  it('links world-readable files, copies the others readable, keeps symlinks, and leaves sources alone', () => {
    const root = fakeClone(temp('quorumq-clone-'));
    const dest = join(temp('quorumq-rt-', 0o755), 'tree');
    const s = syncRuntime(root, dest);
    expect(s).toMatchObject({ copied: 1, removed: 0 });
    const main = join('dist/broker/cli/main.js');
    expect(statSync(join(dest, main)).ino).toBe(statSync(join(root, main)).ino);
    const priv = 'node_modules/dep/private.js';
    expect(statSync(join(dest, priv)).ino).not.toBe(statSync(join(root, priv)).ino);
    expect(statSync(join(dest, priv)).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(dest, priv), 'utf8')).toBe('module.exports = 2;');
    expect(statSync(join(root, priv)).mode & 0o777).toBe(0o600);
    expect(readlinkSync(join(dest, 'node_modules/.bin/dep'))).toBe('../dep/index.js');
    expect(existsSync(join(dest, 'proto/quorumq.proto'))).toBe(true);
    expect(existsSync(join(dest, 'src-only.ts'))).toBe(false);
    expect(statSync(join(dest, 'dist')).mode & 0o777).toBe(0o755);
    // Nothing changed: nothing to do.
    expect(syncRuntime(root, dest)).toMatchObject({ linked: 0, copied: 0, removed: 0 });
  });

  it('follows the build: in-place rewrites, changed copies, new and removed files', () => {
    const root = fakeClone(temp('quorumq-clone-'));
    const dest = join(temp('quorumq-rt-', 0o755), 'tree');
    syncRuntime(root, dest);
    // tsc rewrites a file in place: the link is the file.
    writeFileSync(join(root, 'dist/broker/cli/main.js'), 'console.log("v2");');
    // A private file changes: its copy is replaced.
    const priv = join(root, 'node_modules/dep/private.js');
    writeFileSync(priv, 'module.exports = 22;');
    utimesSync(priv, new Date(), new Date(Date.now() + 5000));
    rmSync(join(root, 'dist/broker/server'), { recursive: true });
    put(join(root, 'dist/broker/new.js'), 'export const n = 1;');
    const s = syncRuntime(root, dest);
    expect(s).toMatchObject({ linked: 1, copied: 1, removed: 2 });
    expect(readFileSync(join(dest, 'dist/broker/cli/main.js'), 'utf8')).toBe('console.log("v2");');
    expect(readFileSync(join(dest, 'node_modules/dep/private.js'), 'utf8')).toBe('module.exports = 22;');
    expect(existsSync(join(dest, 'dist/broker/server'))).toBe(false);
    expect(readFileSync(join(dest, 'dist/broker/new.js'), 'utf8')).toBe('export const n = 1;');
  });
});

describe('garbage collection and forgetting', () => {
  it('removes runtime copies and data whose clone or cluster directory is gone, and keeps the rest', () => {
    const home = process.env.QUORUMQ_NODE_HOME!;
    const live = fakeClone(temp('quorumq-clone-'));
    const mk = (kind: string, name: string, origin: string | undefined): string => {
      const d = join(home, kind, name);
      mkdirSync(d, { recursive: true });
      if (origin !== undefined) writeFileSync(join(d, 'origin'), `${origin}\n`);
      return d;
    };
    const gone = mk('runtime', 'gone', '/nonexistent/clone');
    const kept = mk('runtime', 'kept', live);
    const starting = mk('runtime', 'starting', undefined);
    const goneData = mk('data', 'gone', '/nonexistent/cluster');
    const keptData = mk('data', 'kept', temp('quorumq-cluster-elsewhere-'));
    collectGarbage();
    expect([existsSync(gone), existsSync(kept), existsSync(starting), existsSync(goneData), existsSync(keptData)]).toEqual([false, true, true, false, true]);
    // forget-clone: this clone's runtime copy and the data of cluster directories inside it.
    const rt = mk('runtime', runtimeDir(live).split('/').pop()!, live);
    const inside = mk('data', externalDataDir(join(live, '.data/cluster')).split('/').pop()!, join(live, '.data/cluster'));
    forgetClone(live);
    expect([existsSync(rt), existsSync(inside), existsSync(keptData)]).toEqual([false, false, true]);
  });
});

describe('prepareLaunch from a clone in a private directory', () => {
  it(isRoot() ? 'as root: the node user loads a runtime copy and owns data it can reach, behind <dir>/node<i>' : 'not root: the node runs as this user from the clone itself', () => {
    const priv = temp('quorumq-private-');
    const root = fakeClone(priv);
    const clusterDir = join(root, '.data/cluster');
    const l = prepareLaunch(clusterDir, 1, root);
    if (!perNodeUsers()) {
      expect(l.command).toEqual([process.execPath, join(root, 'dist/broker/cli/main.js')]);
      expect(l.dataDir).toBe(join(clusterDir, 'node1/data'));
      expect(l.runtime).toBeUndefined();
      return;
    }
    const u = l.user!;
    expect(u.name).toBe('quorumq-n1');
    expect(l.command.slice(0, 4)).toEqual(['setpriv', `--reuid=${u.uid}`, `--regid=${u.gid}`, '--clear-groups']);
    // Before the fix the node ran <clone>/dist/broker/cli/main.js, which its user cannot reach.
    expect(userCan(u, 'r', join(root, 'dist/broker/cli/main.js'))).toBe(false);
    expect(l.runtime).toBe(join(runtimeDir(root), 'tree'));
    const cli = l.command[l.command.length - 1]!;
    expect(cli).toBe(join(l.runtime!, 'dist/broker/cli/main.js'));
    for (const f of [cli, join(l.runtime!, 'package.json'), join(l.runtime!, 'proto/quorumq.proto'), join(l.runtime!, 'node_modules/dep/private.js')]) expect(userCan(u, 'r', f), f).toBe(true);
    expect(userCan(u, 'x', l.command[4]!)).toBe(true);
    // Its data: elsewhere, owned by the node's user, and still at <dir>/node1/data for root.
    expect(l.dataElsewhere).toBe(true);
    expect(lstatSync(join(clusterDir, 'node1')).isSymbolicLink()).toBe(true);
    expect(l.dataDir.startsWith(externalDataDir(clusterDir))).toBe(true);
    expect(userCan(u, 'w', l.dataDir)).toBe(true);
    expect(statSync(l.dataDir).uid).toBe(u.uid);
    writeFileSync(join(clusterDir, 'node1/data/probe'), 'x');
    expect(readFileSync(join(l.dataDir, 'probe'), 'utf8')).toBe('x');
    // Launching again reuses both; removing the node directory removes the data too.
    const again = prepareLaunch(clusterDir, 1, root);
    expect(again.dataDir).toBe(l.dataDir);
    expect(existsSync(join(l.dataDir, 'probe'))).toBe(true);
    removeNodeDir(clusterDir, 1);
    expect(existsSync(l.dataDir)).toBe(false);
    expect(existsSync(join(clusterDir, 'node1'))).toBe(false);
    forgetClone(root);
    expect(existsSync(runtimeDir(root))).toBe(false);
  });

  it(isRoot() ? 'as root: a clone the node users can reach runs in place, data in the cluster directory' : 'not root: data in the cluster directory', () => {
    const open = temp('quorumq-open-', 0o755);
    const root = fakeClone(open);
    chmodSync(join(root, 'node_modules/dep/private.js'), 0o644);
    const clusterDir = join(root, '.data/cluster');
    const l = prepareLaunch(clusterDir, 2, root);
    expect(l.runtime).toBeUndefined();
    expect(l.command[l.command.length - 1]).toBe(join(root, 'dist/broker/cli/main.js'));
    expect(l.dataDir).toBe(join(clusterDir, 'node2/data'));
    expect(lstatSync(join(clusterDir, 'node2')).isDirectory()).toBe(true);
    if (l.user) expect(userCan(l.user, 'w', l.dataDir)).toBe(true);
  });
});
