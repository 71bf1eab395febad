// Queue requests as the machine needs them, validated field by field: every
// refusal is an INVALID_ARGUMENT naming the field and the rule, before
// anything is proposed.

import * as grpc from '@grpc/grpc-js';
import type { QueueMessage__Output as ProtoQueueMessage } from '../../../proto/generated/quorumq/v1/QueueMessage.js';
import type { QueueSettings, QueueSettings__Output } from '../../../proto/generated/quorumq/v1/QueueSettings.js';
import type { QueueMessage } from '../../machine/queues/commands.js';
import type { Overflow, QueueConfig } from '../../machine/queues/config.js';
import { DEFAULT_QUEUE_CONFIG, MAX_DELIVERY_LIMIT, validateQueueConfig } from '../../machine/queues/config.js';
import { validateName } from '../../machine/names.js';
import type { NodeContext } from '../node/context.js';
import { StatusError } from '../rpc/status.js';

export const invalid = (msg: string): StatusError => new StatusError(grpc.status.INVALID_ARGUMENT, msg);

export function checkName(kind: string, name: string): void {
  const bad = validateName(kind, name);
  if (bad) throw invalid(bad);
}

/** A uint64 field as a number: refused above 2^53, where a JavaScript number stops being exact. */
export function safe(field: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw invalid(`${field} must be an integer between 0 and 2^53 - 1, got ${v}`);
  return v;
}

/** The wire's overflow values and the machine's. */
const WIRE_OVERFLOW = { 'reject-publish': 'OVERFLOW_REJECT_PUBLISH', 'drop-head': 'OVERFLOW_DROP_HEAD', 'reject-publish-dlx': 'OVERFLOW_REJECT_PUBLISH_DLX' } as const satisfies Record<Overflow, string>;
const OVERFLOW_OF: Readonly<Record<string, Overflow>> = Object.fromEntries(Object.entries(WIRE_OVERFLOW).map(([k, v]) => [v, k as Overflow]));

/** `name`: the queue being declared (its dead-letter queue must be another). */
export function toQueueConfig(s: QueueSettings__Output | null | undefined, name: string): QueueConfig {
  const d = DEFAULT_QUEUE_CONFIG;
  if (!s) return d;
  const overflow = OVERFLOW_OF[s.overflow as string];
  if (!overflow) throw invalid(`settings.overflow must be one of ${Object.keys(OVERFLOW_OF).join(', ')}, got ${String(s.overflow)}`);
  const deadLetter = s.deadLetter === 'DEAD_LETTER_DROP' ? 'drop' : s.deadLetter === 'DEAD_LETTER_STORE' ? 'store' : undefined;
  if (!deadLetter) throw invalid(`settings.dead_letter must be DEAD_LETTER_STORE or DEAD_LETTER_DROP, got ${String(s.deadLetter)}`);
  const dl = s.deliveryLimit;
  if (!Number.isInteger(dl) || dl < -1 || dl > MAX_DELIVERY_LIMIT) throw invalid(`settings.delivery_limit must be -1 (no limit), 0 (the default, ${d.deliveryLimit}) or up to ${MAX_DELIVERY_LIMIT}, got ${dl}`);
  const config: QueueConfig = {
    maxMessages: safe('settings.max_messages', s.maxMessages),
    maxBytes: safe('settings.max_bytes', s.maxBytes),
    maxMessageBytes: safe('settings.max_message_bytes', s.maxMessageBytes) || d.maxMessageBytes,
    overflow,
    messageTtlMs: safe('settings.message_ttl_ms', s.messageTtlMs),
    deliveryLimit: dl === -1 ? 0 : dl === 0 ? d.deliveryLimit : dl,
    ackTimeoutMs: safe('settings.ack_timeout_ms', s.ackTimeoutMs),
    deadLetter,
    maxDeadLetters: safe('settings.max_dead_letters', s.maxDeadLetters) || d.maxDeadLetters,
    dedupWindowMs: safe('settings.dedup_window_ms', s.dedupWindowMs) || d.dedupWindowMs,
    singleActiveConsumer: s.singleActiveConsumer,
    deadLetterQueue: s.deadLetterQueue,
    retryBaseMs: safe('settings.retry_base_ms', s.retryBaseMs),
    retryMaxMs: safe('settings.retry_max_ms', s.retryMaxMs) || (s.retryBaseMs > 0 ? Math.max(s.retryBaseMs, 60_000) : 0),
    retryFactor: s.retryFactor || d.retryFactor,
    retryJitterPercent: s.retryJitterPercent === -1 ? 0 : s.retryJitterPercent || d.retryJitterPercent,
    deadLetterExchange: s.deadLetterExchange,
    deadLetterRoutingKey: s.deadLetterRoutingKey,
  };
  if (s.retryJitterPercent < -1 || s.retryJitterPercent > 100) throw invalid(`settings.retry_jitter_percent must be -1 (none), 0 (the default, ${d.retryJitterPercent}) or up to 100, got ${s.retryJitterPercent}`);
  if (config.deadLetterQueue === name) throw invalid(`settings.dead_letter_queue must name another queue, not "${name}" itself`);
  const bad = validateQueueConfig(config);
  if (bad) throw invalid(`settings: ${bad}`);
  if (config.deadLetterExchange && config.deadLetterQueue) throw invalid('settings.dead_letter_exchange and settings.dead_letter_queue exclude each other: dead letters go to one of them');
  return config;
}

export function fromQueueConfig(c: QueueConfig): QueueSettings {
  return {
    maxMessages: c.maxMessages,
    maxBytes: c.maxBytes,
    maxMessageBytes: c.maxMessageBytes,
    overflow: WIRE_OVERFLOW[c.overflow],
    messageTtlMs: c.messageTtlMs,
    deliveryLimit: c.deliveryLimit === 0 ? -1 : c.deliveryLimit,
    ackTimeoutMs: c.ackTimeoutMs,
    deadLetter: c.deadLetter === 'drop' ? 'DEAD_LETTER_DROP' : 'DEAD_LETTER_STORE',
    maxDeadLetters: c.maxDeadLetters,
    dedupWindowMs: c.dedupWindowMs,
    singleActiveConsumer: c.singleActiveConsumer,
    deadLetterQueue: c.deadLetterQueue,
    retryBaseMs: c.retryBaseMs,
    retryMaxMs: c.retryMaxMs,
    retryFactor: c.retryFactor,
    retryJitterPercent: c.retryJitterPercent === 0 ? -1 : c.retryJitterPercent,
    deadLetterExchange: c.deadLetterExchange,
    deadLetterRoutingKey: c.deadLetterRoutingKey,
  };
}

/**
 * A request's messages as the queue machine takes them. `now` is the cluster
 * time (clusterNow): deliver_at_ms becomes a delay against it, not against
 * this node's wall clock, which may be off or jump (cluster-clock.ts).
 */
export function toQueueMessages(ms: readonly ProtoQueueMessage[], now: number): QueueMessage[] {
  return ms.map((m, i) => ({
    headers: m.headers.map((h) => [h.key, h.value] as const),
    body: m.body,
    priority: m.priority,
    ttlMs: safe(`messages[${i}].ttl_ms`, m.ttlMs),
    // deliver_at_ms: a delay from the cluster time (the machine reads none); the later of the two wins.
    delayMs: Math.max(safe(`messages[${i}].delay_ms`, m.delayMs), m.deliverAtMs > 0 ? Math.max(0, safe(`messages[${i}].deliver_at_ms`, m.deliverAtMs) - now) : 0),
    id: m.messageId,
    group: m.group,
  }));
}

/** The cluster time of `ctx`'s group as this node knows it now (never below what its machines applied). */
export function clusterNow(ctx: Pick<NodeContext, 'clock' | 'machines'>): number {
  return ctx.clock.now(ctx.machines.now);
}
