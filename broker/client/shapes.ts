// What the Client's typed helpers for the Broker's unary calls take and
// return: the wire's shapes where they already read well (infos, schedules),
// friendlier ones (headers as an object, numbers for tags) where they do not.

import type { QueueMessageInput } from './messages.js';
import type { CallOptions } from './signal.js';
import type { ReceivedStreamMessage } from './subscription.js';
import type { QueueInfoResponse__Output, ScheduleInfo__Output, StreamInfoResponse__Output } from './wire.js';

/** A stream's settings, offsets, sizes and per-node progress (StreamInfoResponse). */
export type StreamInfo = StreamInfoResponse__Output;
/** A queue's settings, counts and consumers (QueueInfoResponse). */
export type QueueInfo = QueueInfoResponse__Output;
/** A queue schedule: name, interval (`everyMs`), next due time (`nextAtMs`), messages `published`. */
export type Schedule = ScheduleInfo__Output;

/** Options of a read-only call. */
export interface ReadOptions extends CallOptions {
  /**
   * 'linearizable' (default): reflects every write acknowledged before the
   * call; 'local': the serving node's applied state, which may lag.
   */
  readonly consistency?: 'linearizable' | 'local';
  /** 'any' (default: spread over members), 'leader', or a host:port. */
  readonly route?: 'any' | 'leader' | string;
}

/** The wire's consistency enum for a read. */
export const consistencyOf = (o: ReadOptions | undefined): 'LINEARIZABLE' | 'LOCAL' => (o?.consistency === 'local' ? 'LOCAL' : 'LINEARIZABLE');

/** Options of `Client.read`. */
export interface ReadStreamOptions extends ReadOptions {
  /** Most messages in the answer. Default 1000. */
  readonly maxMessages?: number;
  /** Most bytes in the answer (at least one message is returned). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Wait up to this long for a message when none is there yet. Default 0. */
  readonly waitMs?: number;
  /** A partitioned stream: the partitions to read (default all), each in offset order. */
  readonly partitions?: readonly number[];
  /** A partitioned stream: one start offset per partition read (default: `fromOffset` for each). */
  readonly fromOffsets?: readonly number[];
}

/** What `Client.read` returns. */
export interface ReadResult {
  readonly messages: ReceivedStreamMessage[];
  /** Where the next read should start. */
  readonly nextOffset: number;
  /** The stream's first retained offset on the serving node. */
  readonly firstOffset: number;
  /** The stream's next offset on the serving node (its end). */
  readonly endOffset: number;
  /** The id of the node that served the read. */
  readonly servedBy: number;
  /** A partitioned stream: per partition read (`partitions`), where its next read starts. */
  readonly nextOffsets: readonly number[];
  readonly partitions: readonly number[];
}

/** Options of `Client.pull`. */
export interface PullOptions extends CallOptions {
  /** Most messages. Default 1. */
  readonly max?: number;
  /** Wait up to this long for messages when none is ready. Default 0. */
  readonly waitMs?: number;
  /** Reuse the pull consumer an earlier pull returned (on the node that served it: pass `route` too). */
  readonly consumer?: string;
  /** How long the consumer keeps unsettled messages after its last pull or settle. Server default 30 s. */
  readonly leaseMs?: number;
  /** The consumer's priority among the queue's consumers. */
  readonly priority?: number;
  /** Which node: 'any' (default), 'leader', or a host:port (`PullResult.server`). */
  readonly route?: 'any' | 'leader' | string;
}

/** One message pulled from a queue. */
export interface PulledMessage {
  /** Settle it by this tag (with the pull's consumer). */
  readonly tag: number;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly priority: number;
  /** Delivered before (to this or another consumer). */
  readonly redelivered: boolean;
  /** Times delivered, including this one. */
  readonly acquired: number;
  /** Deliveries that failed before this one. */
  readonly failed: number;
  /** When the queue handed it out, ms since the epoch (leader time: what its TTL and delays are judged by). */
  readonly deliveredAt: number;
}

/** What `Client.pull` returns. */
export interface PullResult {
  /** The pull consumer's name: settle with it, and pass it to the next pull. */
  readonly consumer: string;
  /** The node that holds the consumer (route the next pull there). */
  readonly server: string;
  readonly messages: PulledMessage[];
}

/** Tags to settle, by what happens to them. */
export interface SettleTags {
  readonly ack?: readonly number[];
  readonly requeue?: readonly number[];
  readonly reject?: readonly number[];
  /** Requeued messages are not delivered again sooner than this, ms. */
  readonly requeueDelayMs?: number;
}

/** A message in a queue's dead-letter store. */
export interface DeadLetter {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly priority: number;
  /** Why: rejected, over the delivery limit, expired, dropped at a limit. */
  readonly reason: string;
  /** When, ms since the epoch (leader time). */
  readonly deadLetteredAt: number;
  readonly failed: number;
  readonly acquired: number;
}

/** What `Client.addSchedule` publishes, and when. */
export interface ScheduleOptions {
  /** Interval between publishes, ms. */
  readonly everyMs: number;
  /** First publish, ms since the epoch (leader time). Default one interval from now. */
  readonly firstAtMs?: number;
  /** The template message published each time. */
  readonly message: QueueMessageInput;
}

/**
 * A user's permissions, RabbitMQ's shape: `configure`, `write` and `read` are
 * patterns over stream, queue and exchange names ('' grants nothing, '.*'
 * everything); `admin` allows membership, leadership transfer and users.
 */
export interface Permissions {
  readonly configure: string;
  readonly write: string;
  readonly read: string;
  readonly admin: boolean;
}

/** Permissions to grant: what is left out is not granted. */
export type PermissionsInput = Partial<Permissions>;

/** A user as the cluster stores it (its token only as a hash, never shown). */
export interface UserInfo {
  readonly name: string;
  readonly permissions: Permissions;
}

/** Who the node serving a call takes the caller for. */
export interface Identity {
  /** The user's name; undefined when the node runs with auth off. */
  readonly user: string | undefined;
  /** Whether the node checks credentials (--auth on). */
  readonly auth: boolean;
  /** What the caller may do (everything when auth is off). */
  readonly permissions: Permissions;
  /** How the caller was authenticated: 'token', 'certificate', or 'none' (auth off). */
  readonly method: string;
}

/** The wire's permissions, every field present. */
export const toWirePermissions = (p: PermissionsInput = {}): Permissions => ({ configure: p.configure ?? '', write: p.write ?? '', read: p.read ?? '', admin: p.admin ?? false });

/** A decoded permissions message (absent on the wire: nothing granted). */
export const fromWirePermissions = (p: { configure: string; write: string; read: string; admin: boolean } | null | undefined): Permissions =>
  p ? { configure: p.configure, write: p.write, read: p.read, admin: p.admin } : toWirePermissions();
