import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_MALLOC_TUNABLES, missingMallocSettings, runsOnGlibc, withServerMalloc } from './malloc-env.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/dist\/?$/, '');

describe('the server allocator settings', () => {
  it('are added to an environment without them, and then found', () => {
    const env = withServerMalloc({ PATH: '/bin' });
    expect(env.GLIBC_TUNABLES).toBe(SERVER_MALLOC_TUNABLES);
    expect(env.PATH).toBe('/bin');
    expect(missingMallocSettings(env)).toEqual([]);
    expect(missingMallocSettings({})).toEqual(['glibc.malloc.mmap_threshold', 'glibc.malloc.trim_threshold']);
  });

  it("keep an operator's own tunables and values", () => {
    const env = withServerMalloc({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=1048576' });
    expect(env.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=1048576:glibc.malloc.mmap_threshold=33554432');
    expect(missingMallocSettings(env)).toEqual([]);
    const full = { GLIBC_TUNABLES: SERVER_MALLOC_TUNABLES };
    expect(withServerMalloc(full)).toBe(full);
  });

  it("count glibc's older variables as set", () => {
    const env = { MALLOC_MMAP_THRESHOLD_: '1048576' };
    expect(withServerMalloc(env).GLIBC_TUNABLES).toBe('glibc.malloc.trim_threshold=268435456');
    expect(missingMallocSettings(env)).toEqual(['glibc.malloc.trim_threshold']);
  });

  it('finds out whether the process runs on glibc', () => {
    expect(typeof runsOnGlibc()).toBe('boolean');
    if (process.platform === 'linux' && (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime) expect(runsOnGlibc()).toBe(true);
  });

  it('are what the systemd unit and the container image set', () => {
    for (const [file, line] of [
      ['deploy/systemd/quorumq@.service', `Environment=GLIBC_TUNABLES=${SERVER_MALLOC_TUNABLES}`],
      ['deploy/docker/Dockerfile', `ENV GLIBC_TUNABLES=${SERVER_MALLOC_TUNABLES}`],
    ]) {
      expect(readFileSync(`${ROOT}/${file}`, 'utf8').split('\n'), file).toContain(line);
    }
  });
});
