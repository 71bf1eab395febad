// A queue's settings, their defaults and validation. Every check returns a
// sentence naming the setting and the rule: it reaches users as the message
// of an INVALID_ARGUMENT or FAILED_PRECONDITION status.

import type { Reader, Writer } from '../bytes.js';
import { validateName } from '../names.js';

/**
 * At a limit: 'reject-publish' refuses the publish; 'reject-publish-dlx'
 * refuses it too and dead-letters its messages (RabbitMQ's semantics: the
 * producer hears no, the dead-letter target still gets what was refused);
 * 'drop-head' stores it and dead-letters the oldest ready messages.
 */
export type Overflow = 'reject-publish' | 'drop-head' | 'reject-publish-dlx';
export type DeadLetterMode = 'store' | 'drop';

export interface QueueConfig {
  /** Messages held (ready, delayed and unacked; 0 = unlimited). */
  readonly maxMessages: number;
  /** Bytes of those messages (0 = unlimited). */
  readonly maxBytes: number;
  /** Largest single message (headers + body). */
  readonly maxMessageBytes: number;
  /** At a limit: see Overflow. */
  readonly overflow: Overflow;
  /** A message not delivered within this long after its publish is dead-lettered (0 = never). Milliseconds. */
  readonly messageTtlMs: number;
  /** Failed deliveries (nack, reject, ack timeout) after which a message is dead-lettered (0 = unlimited). */
  readonly deliveryLimit: number;
  /** A delivery not settled within this long is returned to the queue as failed (0 = never). Milliseconds. */
  readonly ackTimeoutMs: number;
  /** Dead letters go to the queue's own dead-letter store, or are dropped (counted). */
  readonly deadLetter: DeadLetterMode;
  /** The dead-letter store keeps at most this many; beyond it the oldest are dropped (counted). */
  readonly maxDeadLetters: number;
  /** How long a producer's sequences and messages' ids are remembered for deduplication. Milliseconds. */
  readonly dedupWindowMs: number;
  /** Only one consumer receives at a time; when it goes away the next takes over (see queue.ts). */
  readonly singleActiveConsumer: boolean;
  /** When not empty: dead letters move to this queue (else to the queue's own store, see deadLetter). */
  readonly deadLetterQueue: string;
  /** A requeue without its own delay waits base * factor^(failed - 1), at most max, less a jitter (0 = no backoff). Milliseconds. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly retryFactor: number;
  /** Up to this percentage of the delay is taken off, by a hash of the message and the attempt (deterministic). */
  readonly retryJitterPercent: number;
  /**
   * When not empty: dead letters are routed through this exchange (RabbitMQ's
   * DLX) to the queues it reaches, instead of to deadLetterQueue, with
   * deadLetterRoutingKey (empty: the source queue's name).
   */
  readonly deadLetterExchange: string;
  readonly deadLetterRoutingKey: string;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  maxMessages: 0,
  maxBytes: 0,
  maxMessageBytes: 1 << 20,
  overflow: 'reject-publish',
  messageTtlMs: 0,
  deliveryLimit: 20,
  ackTimeoutMs: 0,
  deadLetter: 'store',
  maxDeadLetters: 100_000,
  dedupWindowMs: 2 * 60_000,
  singleActiveConsumer: false,
  deadLetterQueue: '',
  retryBaseMs: 0,
  retryMaxMs: 0,
  retryFactor: 2,
  retryJitterPercent: 50,
  deadLetterExchange: '',
  deadLetterRoutingKey: '',
};

export const MAX_PRIORITY = 31;
export const MAX_PUBLISH_MESSAGES = 10_000;
export const MAX_PUBLISH_BYTES = 8 << 20;
export const MAX_MESSAGE_BYTES_LIMIT = 8 << 20;
export const MAX_PREFETCH = 65_535;
export const MAX_SETTLE = 10_000;
/** A Get: at most this many messages, waiting at most this long; a pull consumer's lease between Gets at most this long. */
export const MAX_GET = 10_000;
export const MAX_GET_WAIT_MS = 5 * 60_000;
export const MAX_PULL_LEASE_MS = 60 * 60_000;
/** Counters per message are 16 bits. */
export const MAX_DELIVERY_LIMIT = 65_535;
export const MAX_RETRY_MS = 24 * 3600_000;
export const MAX_RETRY_FACTOR = 16;
/** A schedule's interval. */
export const MIN_SCHEDULE_EVERY_MS = 100;
export const MAX_SCHEDULE_EVERY_MS = 366 * 24 * 3600_000;
/**
 * Queue stats and /metrics name at most this many message groups (those with
 * the most ready messages): a queue of 100 000 groups gives 10 rows and 10
 * series, not 100 000; the number of groups is given in full.
 */
export const MAX_TOP_GROUPS = 10;
/** Consumer priorities: 0 (the default) to this, higher first. */
export const MAX_CONSUMER_PRIORITY = 255;

// The index is the byte a snapshot and a declare command carry: append only.
// 'reject-publish-dlx' (2) came later as a new value of the same byte, so the
// layout (queues snapshot version 5) did not change.
const OVERFLOW: readonly Overflow[] = ['reject-publish', 'drop-head', 'reject-publish-dlx'];
const DEAD_LETTER: readonly DeadLetterMode[] = ['store', 'drop'];

export function validateQueueConfig(c: QueueConfig): string | undefined {
  for (const k of ['maxMessages', 'maxBytes', 'messageTtlMs', 'deliveryLimit', 'ackTimeoutMs', 'maxDeadLetters', 'dedupWindowMs'] as const) {
    if (!Number.isSafeInteger(c[k]) || c[k] < 0) return `${k} must be a non-negative integer, got ${c[k]}`;
  }
  if (!Number.isSafeInteger(c.maxMessageBytes) || c.maxMessageBytes <= 0 || c.maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
    return `maxMessageBytes must be between 1 and ${MAX_MESSAGE_BYTES_LIMIT}, got ${c.maxMessageBytes}`;
  }
  if (c.maxBytes > 0 && c.maxBytes < c.maxMessageBytes) return `maxBytes (${c.maxBytes}) must be at least maxMessageBytes (${c.maxMessageBytes})`;
  if (c.deliveryLimit > MAX_DELIVERY_LIMIT) return `deliveryLimit must be at most ${MAX_DELIVERY_LIMIT}, got ${c.deliveryLimit}`;
  if (!OVERFLOW.includes(c.overflow)) return `overflow must be one of ${OVERFLOW.join(', ')}, got "${String(c.overflow)}"`;
  if (!DEAD_LETTER.includes(c.deadLetter)) return `deadLetter must be one of ${DEAD_LETTER.join(', ')}, got "${String(c.deadLetter)}"`;
  if (typeof c.singleActiveConsumer !== 'boolean') return `singleActiveConsumer must be true or false, got ${String(c.singleActiveConsumer)}`;
  if (c.deadLetterQueue !== '') {
    const bad = validateName('deadLetterQueue', c.deadLetterQueue);
    if (bad) return bad;
  }
  if (c.deadLetterExchange !== '') {
    const bad = validateName('deadLetterExchange', c.deadLetterExchange);
    if (bad) return bad;
    if (c.deadLetterQueue !== '') return 'deadLetterExchange and deadLetterQueue exclude each other: dead letters go to one of them';
  }
  if (c.deadLetterRoutingKey.length > 255) return `deadLetterRoutingKey is ${c.deadLetterRoutingKey.length} characters; the limit is 255`;
  for (const k of ['retryBaseMs', 'retryMaxMs'] as const) {
    if (!Number.isSafeInteger(c[k]) || c[k] < 0 || c[k] > MAX_RETRY_MS) return `${k} must be between 0 and ${MAX_RETRY_MS}, got ${c[k]}`;
  }
  if (c.retryBaseMs > 0 && c.retryMaxMs < c.retryBaseMs) return `retryMaxMs (${c.retryMaxMs}) must be at least retryBaseMs (${c.retryBaseMs})`;
  if (!Number.isInteger(c.retryFactor) || c.retryFactor < 1 || c.retryFactor > MAX_RETRY_FACTOR) return `retryFactor must be an integer between 1 and ${MAX_RETRY_FACTOR}, got ${c.retryFactor}`;
  if (!Number.isInteger(c.retryJitterPercent) || c.retryJitterPercent < 0 || c.retryJitterPercent > 100) return `retryJitterPercent must be between 0 and 100, got ${c.retryJitterPercent}`;
  return undefined;
}

/** The first setting that differs, for "redeclared with different settings". */
export function firstDifference(a: QueueConfig, b: QueueConfig): string | undefined {
  for (const k of Object.keys(DEFAULT_QUEUE_CONFIG) as (keyof QueueConfig)[]) {
    if (a[k] !== b[k]) return `${k} is ${String(a[k])}, not ${String(b[k])}`;
  }
  return undefined;
}

/** `withDlx`: the dead-letter exchange settings too (a queues snapshot of version 4 on, and every declare command). */
export function writeQueueConfig(w: Writer, c: QueueConfig, withDlx = true): Writer {
  w
    .u53(c.maxMessages)
    .u53(c.maxBytes)
    .u53(c.maxMessageBytes)
    .u8(OVERFLOW.indexOf(c.overflow))
    .u53(c.messageTtlMs)
    .u53(c.deliveryLimit)
    .u53(c.ackTimeoutMs)
    .u8(DEAD_LETTER.indexOf(c.deadLetter))
    .u53(c.maxDeadLetters)
    .u53(c.dedupWindowMs)
    .u8(c.singleActiveConsumer ? 1 : 0)
    .str(c.deadLetterQueue)
    .u53(c.retryBaseMs)
    .u53(c.retryMaxMs)
    .u8(c.retryFactor)
    .u8(c.retryJitterPercent);
  return withDlx ? w.str(c.deadLetterExchange).str(c.deadLetterRoutingKey) : w;
}

/**
 * `extended`: the settings after dedupWindowMs are there (a snapshot of
 * version 2 and later), absent (version 1: defaults), or there only when the
 * reader has bytes left (a declare command, which ends with its settings).
 */
export function readQueueConfig(r: Reader, extended: boolean | 'when-present', withDlx: boolean | 'when-present' = extended): QueueConfig {
  const base = {
    maxMessages: r.u53(),
    maxBytes: r.u53(),
    maxMessageBytes: r.u53(),
    overflow: OVERFLOW[r.u8()] ?? ('?' as Overflow),
    messageTtlMs: r.u53(),
    deliveryLimit: r.u53(),
    ackTimeoutMs: r.u53(),
    deadLetter: DEAD_LETTER[r.u8()] ?? ('?' as DeadLetterMode),
    maxDeadLetters: r.u53(),
    dedupWindowMs: r.u53(),
  };
  const d = DEFAULT_QUEUE_CONFIG;
  if (extended === false || (extended === 'when-present' && r.done)) {
    return { ...base, singleActiveConsumer: d.singleActiveConsumer, deadLetterQueue: d.deadLetterQueue, retryBaseMs: d.retryBaseMs, retryMaxMs: d.retryMaxMs, retryFactor: d.retryFactor, retryJitterPercent: d.retryJitterPercent, deadLetterExchange: '', deadLetterRoutingKey: '' };
  }
  const more = { ...base, singleActiveConsumer: r.u8() === 1, deadLetterQueue: r.str(), retryBaseMs: r.u53(), retryMaxMs: r.u53(), retryFactor: r.u8(), retryJitterPercent: r.u8() };
  // The dead-letter exchange came later still: absent in older snapshots and commands.
  if (withDlx === false || (withDlx === 'when-present' && r.done)) return { ...more, deadLetterExchange: '', deadLetterRoutingKey: '' };
  return { ...more, deadLetterExchange: r.str(), deadLetterRoutingKey: r.str() };
}
