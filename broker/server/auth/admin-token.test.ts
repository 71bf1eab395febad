import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminToken } from './admin-token.js';
import { MIN_TOKEN_LENGTH, hashToken, newToken } from './tokens.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'quorumq-admin-token-'));
  dirs.push(d);
  return d;
};

describe('the admin token file', () => {
  it('is created with a new token, readable by its owner only, and read back the same by every later call', () => {
    const f = join(dir(), 'admin.token');
    const t = adminToken(f);
    expect(t).toMatch(/^qq_[A-Za-z0-9_-]{43}$/);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(adminToken(f)).toBe(t);
    expect(readFileSync(f, 'utf8').trim()).toBe(t);
  });

  it('takes a token the operator wrote (trimmed), and refuses one too short to be safe, naming the file', () => {
    const f = join(dir(), 'mine');
    writeFileSync(f, '  ' + 'x'.repeat(MIN_TOKEN_LENGTH) + '\n');
    expect(adminToken(f)).toBe('x'.repeat(MIN_TOKEN_LENGTH));
    writeFileSync(f, 'short\n');
    expect(() => adminToken(f)).toThrow(new RegExp(`--admin-token-file ${f}: the token is 5 characters; at least ${MIN_TOKEN_LENGTH}`));
  });

  it('hashes tokens to 64 hex digits, different tokens to different hashes', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).not.toBe(b);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toBe(hashToken(b));
    expect(hashToken(a)).toBe(hashToken(a));
  });
});
