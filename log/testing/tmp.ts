// Scratch directories for tests and the benchmark, under the system temp dir,
// removed by the caller.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `quorumq-${prefix}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Bytes of all files under dir (LevelDB keeps a flat directory). */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const s = await stat(join(dir, name));
    if (s.isFile()) total += s.size;
  }
  return total;
}
