// The committed TypeScript types must be exactly what the generator makes from
// quorumq.proto today: a change to the .proto without regenerating fails here.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('proto/generated', () => {
  it('matches a fresh run of proto-loader-gen-types', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'quorumq-proto-'));
    try {
      execFileSync('bash', [join(here, 'generate.sh'), tmp], { stdio: 'pipe' });
      const fresh = files(tmp);
      const committed = files(join(here, 'generated'));
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      for (const [name, text] of fresh) expect(committed.get(name), `proto/generated/${name} is stale: run bash proto/generate.sh`).toBe(text);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
