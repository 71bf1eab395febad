// A stream's settings, their defaults and validation. Every check returns a
// sentence naming the setting and the limit, because it reaches users as the
// message of an INVALID_ARGUMENT or FAILED_PRECONDITION status.

export type DiscardPolicy = 'old' | 'reject';

export interface StreamConfig {
  /** Messages older than this are removed (0 = no age limit). Milliseconds. */
  readonly maxAgeMs: number;
  /** Total message bytes kept (0 = unlimited). */
  readonly maxBytes: number;
  /** Messages kept (0 = unlimited). */
  readonly maxMessages: number;
  /** Largest single message (headers + body) accepted. */
  readonly maxMessageBytes: number;
  /** How long a producer's sequence numbers are remembered for deduplication. Milliseconds. */
  readonly dedupWindowMs: number;
  /** At a limit: drop the oldest messages, or refuse new ones. */
  readonly discard: DiscardPolicy;
}

export const DEFAULT_STREAM_CONFIG: StreamConfig = {
  maxAgeMs: 0,
  maxBytes: 0,
  maxMessages: 0,
  maxMessageBytes: 1 << 20,
  dedupWindowMs: 2 * 60_000,
  discard: 'old',
};

/** The most a single append (one Raft entry) may carry. */
export const MAX_BATCH_MESSAGES = 10_000;
export const MAX_BATCH_BYTES = 8 << 20;
export const MAX_MESSAGE_BYTES_LIMIT = 8 << 20;
export const MAX_HEADERS = 64;
export { MAX_NAME_LENGTH, validateName } from '../names.js';

export function validateConfig(c: StreamConfig): string | undefined {
  const nonNeg: (keyof StreamConfig)[] = ['maxAgeMs', 'maxBytes', 'maxMessages', 'dedupWindowMs'];
  for (const k of nonNeg) {
    const v = c[k] as number;
    if (!Number.isSafeInteger(v) || v < 0) return `${k} must be a non-negative integer, got ${v}`;
  }
  if (!Number.isSafeInteger(c.maxMessageBytes) || c.maxMessageBytes <= 0 || c.maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
    return `maxMessageBytes must be between 1 and ${MAX_MESSAGE_BYTES_LIMIT}, got ${c.maxMessageBytes}`;
  }
  if (c.maxBytes > 0 && c.maxBytes < c.maxMessageBytes) return `maxBytes (${c.maxBytes}) must be at least maxMessageBytes (${c.maxMessageBytes})`;
  if (c.discard !== 'old' && c.discard !== 'reject') return `discard must be "old" or "reject", got "${String(c.discard)}"`;
  return undefined;
}

/** The first setting that differs, for "redeclared with different settings". */
export function firstDifference(a: StreamConfig, b: StreamConfig): string | undefined {
  for (const k of Object.keys(DEFAULT_STREAM_CONFIG) as (keyof StreamConfig)[]) {
    if (a[k] !== b[k]) return `${k} is ${String(a[k])}, not ${String(b[k])}`;
  }
  return undefined;
}
