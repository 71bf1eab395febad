// Child processes run compiled JavaScript (node 20 does not run .ts), so tests
// that spawn one make sure dist/ holds a build at least as new as the sources
// of the entry point they spawn. `make test` builds before running vitest; a
// bare `npx vitest run log` compiles just this entry point and its imports.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (name.name.endsWith('.ts') && !name.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Returns the path of the compiled `source` (relative to the repo root, e.g. log/testing/crash-writer.ts). */
export function ensureBuilt(root: string, source: string): string {
  const out = join(root, 'dist', source.replace(/\.ts$/, '.js'));
  const stale = !existsSync(out) || statSync(out).mtimeMs < Math.max(newestSource(join(root, 'log')), newestSource(join(root, 'raft', 'core')));
  if (stale) {
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    // The same settings as tsconfig.json, limited to this entry point and what it imports.
    try {
      execFileSync(
        process.execPath,
        [tsc, '--rootDir', root, '--outDir', join(root, 'dist'), '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--lib', 'ES2022', '--types', 'node', '--strict', '--skipLibCheck', '--sourceMap', join(root, source)],
        { cwd: root, stdio: 'pipe' },
      );
    } catch (e) {
      // tsc still emits on type errors (someone may be mid-edit elsewhere); only a missing output is fatal.
      if (!existsSync(out)) throw new Error(`building ${source} failed: ${(e as { stdout?: Buffer }).stdout?.toString() ?? e}`);
    }
  }
  if (!existsSync(out)) throw new Error(`could not build ${source} into ${out}; run "make build" first`);
  return out;
}
