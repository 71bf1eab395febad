// Runs every script in testdata/ and compares each block's output.
// Regenerate after an intended change: REWRITE=1 npx vitest run raft/core/interaction
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Interaction, formatScript, parseScript } from './testing/interaction.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const rewrite = process.env['REWRITE'] === '1';

describe('interaction scripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    it(file, () => {
      const path = join(dir, file);
      const blocks = parseScript(readFileSync(path, 'utf8'));
      const it = new Interaction();
      const got = blocks.map((b) => ({ ...b, expected: it.run(b.command) }));
      if (rewrite) writeFileSync(path, formatScript(got));
      else for (let i = 0; i < blocks.length; i++) expect(`${blocks[i]!.command}\n${got[i]!.expected}`).toBe(`${blocks[i]!.command}\n${blocks[i]!.expected}`);
    });
  }
});
