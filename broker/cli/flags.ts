// Parsing of the CLI's shared flags: durations, sizes, counts, headers,
// read consistency.

import { UsageError } from './usage.js';

export type Flags = Record<string, string | boolean | string[] | undefined>;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const UNITS_B: Record<string, number> = { b: 1, k: 1024, kb: 1000, kib: 1024, m: 1 << 20, mb: 1e6, mib: 1 << 20, g: 1 << 30, gb: 1e9, gib: 1 << 30 };

/** "90s", "5m", "1h", "250ms" or a number of milliseconds. */
export function parseDuration(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new UsageError(`${name} must be a duration like 500ms, 30s, 5m, 1h or 7d, got "${v}"`);
  return Number(m[1]) * UNITS_MS[m[2] ?? 'ms']!;
}

/** "512", "64KiB", "10MB", "1GiB". */
export function parseSize(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*([a-zA-Z]*)$/.exec(v.trim());
  const unit = UNITS_B[(m?.[2] || 'b').toLowerCase()];
  if (!m || unit === undefined) throw new UsageError(`${name} must be a size like 512, 64KiB, 10MB or 1GiB, got "${v}"`);
  return Number(m[1]) * unit;
}

export function count(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

export function strip<T extends { _server?: string }>(r: T): Omit<T, '_server'> {
  const { _server, ...rest } = r;
  void _server;
  return rest;
}

export function headersOf(flags: Flags): { key: string; value: string }[] {
  const hs = (flags.header as string[] | undefined) ?? [];
  return hs.map((h) => {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new UsageError(`--header must be key=value, got "${h}"`);
    return { key: h.slice(0, eq), value: h.slice(eq + 1) };
  });
}

export function consistency(flags: Flags): 'LOCAL' | 'LINEARIZABLE' {
  const c = (flags.consistency as string | undefined) ?? (flags.local ? 'local' : 'linearizable');
  if (c !== 'local' && c !== 'linearizable') throw new UsageError(`--consistency must be local or linearizable, got "${c}"`);
  return c === 'local' ? 'LOCAL' : 'LINEARIZABLE';
}
