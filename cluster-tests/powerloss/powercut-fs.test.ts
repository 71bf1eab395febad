// powercut-fs's own self-test: what survives a cut is exactly what was made
// durable — file bytes once the file is fsynced, names once their directory
// is fsynced — and the mount is usable by another uid (chaos nodes run as
// quorumq-n<i>). Needs root and FUSE (make powercut-deps).

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync, ftruncateSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowercutMount, powercutProblem } from '../../deploy/chaos/powercut.js';

const syncPath = (p: string): void => {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

describe('powercut-fs', () => {
  const base = join(tmpdir(), `quorumq-powercut-self-${process.pid}`);
  let m: PowercutMount;
  let root: string;

  beforeAll(async () => {
    const problem = powercutProblem();
    if (problem) throw new Error(`power-loss tests need FUSE: ${problem}`);
    m = await PowercutMount.mount(join(base, 'mnt'), join(base, 'disk'));
    root = m.mountpoint;
  });
  afterAll(async () => {
    await m?.unmount();
    rmSync(base, { recursive: true, force: true });
  });

  it('keeps fsynced bytes and drops writes and truncations made after the last fsync', () => {
    syncPath(root);
    const f = join(root, 'data');
    const fd = openSync(f, 'w');
    writeSync(fd, 'durable-');
    fsyncSync(fd);
    writeSync(fd, 'volatile');
    expect(readFileSync(f, 'utf8')).toBe('durable-volatile');
    closeSync(fd);
    syncPath(root);
    const g = join(root, 'shrunk');
    writeFileSync(g, 'abcdefgh');
    syncPath(g);
    ftruncateSync(openSync(g, 'r+'), 2); // not fsynced: the truncation is lost
    expect(readFileSync(g, 'utf8')).toBe('ab');
    syncPath(root);
    const before = m.stats();
    m.cut();
    expect(readFileSync(f, 'utf8')).toBe('durable-');
    expect(readFileSync(g, 'utf8')).toBe('abcdefgh');
    const after = m.stats();
    expect(after.cuts).toBe(before.cuts + 1);
    expect(after.lostWrites).toBeGreaterThanOrEqual(before.lostWrites + 2);
  });

  it('keeps a new name only once its directory is fsynced, even when the file itself was', () => {
    const d = join(root, 'dir');
    mkdirSync(d);
    syncPath(root);
    const synced = join(d, 'named');
    const unnamed = join(d, 'unnamed');
    writeFileSync(synced, 'one');
    syncPath(synced);
    syncPath(d);
    writeFileSync(unnamed, 'two');
    syncPath(unnamed); // its bytes are durable, its name is not
    expect(readdirSync(d).sort()).toEqual(['named', 'unnamed']);
    m.cut();
    expect(readdirSync(d)).toEqual(['named']);
    expect(readFileSync(synced, 'utf8')).toBe('one');
  });

  it('rolls back renames and deletions whose directory was not fsynced, and keeps those that were', () => {
    const d = join(root, 'ren');
    mkdirSync(d);
    writeFileSync(join(d, 'CURRENT'), 'MANIFEST-1\n');
    syncPath(join(d, 'CURRENT'));
    writeFileSync(join(d, 'gone'), 'x');
    syncPath(join(d, 'gone'));
    syncPath(d);
    syncPath(root);
    // LevelDB's way of replacing CURRENT: write a temp file, sync it, rename it over.
    writeFileSync(join(d, 'tmp'), 'MANIFEST-2\n');
    syncPath(join(d, 'tmp'));
    renameSync(join(d, 'tmp'), join(d, 'CURRENT'));
    unlinkSync(join(d, 'gone'));
    expect(readFileSync(join(d, 'CURRENT'), 'utf8')).toBe('MANIFEST-2\n');
    m.cut();
    expect(readFileSync(join(d, 'CURRENT'), 'utf8')).toBe('MANIFEST-1\n');
    expect(readdirSync(d).sort()).toEqual(['CURRENT', 'gone']);
    // The same again, with the directory fsynced: it all holds.
    writeFileSync(join(d, 'tmp'), 'MANIFEST-3\n');
    syncPath(join(d, 'tmp'));
    renameSync(join(d, 'tmp'), join(d, 'CURRENT'));
    unlinkSync(join(d, 'gone'));
    syncPath(d);
    m.cut();
    expect(readdirSync(d)).toEqual(['CURRENT']);
    expect(readFileSync(join(d, 'CURRENT'), 'utf8')).toBe('MANIFEST-3\n');
  });

  it('loses a whole new directory tree when only the deepest directory was fsynced', () => {
    const d = join(root, 'a', 'b', 'c');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'f'), 'deep');
    syncPath(join(d, 'f'));
    syncPath(d);
    m.cut();
    expect(existsSync(join(root, 'a'))).toBe(false);
    // Fsyncing every level, from the new file up to the mount root, keeps it.
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'f'), 'deep');
    for (const p of [join(d, 'f'), d, join(root, 'a', 'b'), join(root, 'a'), root]) syncPath(p);
    m.cut();
    expect(readFileSync(join(d, 'f'), 'utf8')).toBe('deep');
  });

  it('invalidates handles opened before a cut', () => {
    const f = join(root, 'open');
    writeFileSync(f, 'x');
    syncPath(f);
    syncPath(root);
    const fd = openSync(f, 'r');
    try {
      m.cut();
      expect(() => readSync(fd, Buffer.alloc(1), 0, 1, 0)).toThrow(/EIO/);
    } finally {
      closeSync(fd);
    }
  });

  it('is usable by another uid (allow_other), as the chaos nodes run', () => {
    const d = join(root, 'other');
    mkdirSync(d, { mode: 0o777 });
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', `echo hi > ${join(d, 'by-nobody')} && cat ${join(d, 'by-nobody')}`]);
    expect(readFileSync(join(d, 'by-nobody'), 'utf8')).toBe('hi\n');
  });
});
