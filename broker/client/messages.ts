// The shapes a user sends and receives, and their wire forms.

import type { Header } from '../../proto/generated/quorumq/v1/Header.js';
import type { QueueMessage } from '../../proto/generated/quorumq/v1/QueueMessage.js';

/** A message body: bytes, or a string sent as UTF-8. */
export type Body = Buffer | Uint8Array | string;
/** Message headers: string keys and values, carried beside the body. */
export type Headers = Readonly<Record<string, string>>;

/** A message to append to a stream. */
export interface StreamMessageInput {
  readonly body: Body;
  readonly headers?: Headers;
}

/** A message to publish to a queue. */
export interface QueueMessageInput extends StreamMessageInput {
  /** 0 (lowest) to 31. */
  readonly priority?: number;
  /** Dead-lettered if not delivered within this many ms. */
  readonly ttlMs?: number;
  /** Not delivered sooner than this many ms after the publish. */
  readonly delayMs?: number;
  /** Deduplicated within the queue's window. */
  readonly messageId?: string;
  /** Delivered one at a time, in order, with the other messages of its group. */
  readonly group?: string;
}

/** A body as the Buffer the wire carries (no copy for a Buffer or Uint8Array). */
export const toBuffer = (b: Body): Buffer => (typeof b === 'string' ? Buffer.from(b) : Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Headers as the wire's key/value list. */
export const toWireHeaders = (h: Headers | undefined): Header[] => (h ? Object.entries(h).map(([key, value]) => ({ key, value })) : []);

/** The wire's key/value list as a headers object. */
export const fromWireHeaders = (hs: ReadonlyArray<{ key: string; value: string }>): Record<string, string> => Object.fromEntries(hs.map((h) => [h.key, h.value]));

/** What a message costs against a batch's byte bound: its body and headers (and a little framing). */
export function messageSize(m: StreamMessageInput): number {
  let n = 16 + (typeof m.body === 'string' ? Buffer.byteLength(m.body) : m.body.byteLength);
  if (m.headers) for (const [k, v] of Object.entries(m.headers)) n += k.length + v.length + 4;
  return n;
}

/** A queue message as the wire's QueueMessage (publishes and schedule templates). */
export function toWireQueueMessage(m: QueueMessageInput): QueueMessage {
  return {
    body: toBuffer(m.body),
    headers: toWireHeaders(m.headers),
    priority: m.priority ?? 0,
    ttlMs: m.ttlMs ?? 0,
    delayMs: m.delayMs ?? 0,
    messageId: m.messageId ?? '',
    group: m.group ?? '',
  };
}
