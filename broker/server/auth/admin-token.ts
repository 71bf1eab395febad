// The first administrator of a cluster with authentication on: a token in a
// file given at start (--admin-token-file). The leader installs it as user
// "admin" with every permission, once per cluster (the users machine refuses
// a second bootstrap, so a restart or another node with another file changes
// nothing). A missing file is created with a new token, readable only by its
// owner, so a new cluster needs no setup: `quorumq --token-file <it> ...`.

import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { checkToken, newToken } from './tokens.js';

export const BOOTSTRAP_ADMIN = 'admin';

/** The token in `path` (created if missing); an Error naming the file when it is unusable. */
export function adminToken(path: string): string {
  // Written aside, then linked into place: nodes started together with the
  // same missing file never read it half-written, and only one token wins.
  const aside = `${path}.${process.pid}.new`;
  try {
    writeFileSync(aside, newToken() + '\n', { mode: 0o600 });
    linkSync(aside, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`--admin-token-file ${path}: cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // never written
    }
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`--admin-token-file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const token = text.trim();
  const bad = checkToken(token);
  if (bad) throw new Error(`--admin-token-file ${path}: ${bad}`);
  return token;
}
