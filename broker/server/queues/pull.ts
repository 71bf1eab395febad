// Gets (the pull form of Consume) waiting on this node. A Get proposes a
// 'pull' for a pull consumer attached to this node; the queues machine grants
// it up to `max` deliveries until its wait lapses, and says when the Get is
// over (pull-done, by request id). Everything the machine delivered to that
// consumer from the proposal to that point is the answer, with bodies read
// from this node's own log. Deliveries are settled later with Settle, as a
// Consume call's are; what a pull consumer holds returns to the queue when
// its lease lapses or its node goes away (the machine decides both).

import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { GetMessagesRequest__Output } from '../../../proto/generated/quorumq/v1/GetMessagesRequest.js';
import type { GetMessagesResponse } from '../../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import { MAX_CONSUMER_PRIORITY, MAX_GET, MAX_GET_WAIT_MS, MAX_PULL_LEASE_MS } from '../../machine/queues/config.js';
import type { QueueEffect, QueuesMachine } from '../../machine/queues/machine.js';
import type { Delivery } from '../../machine/queues/queue.js';
import type { NodeContext } from '../node/context.js';
import { StatusError, withDeadline } from '../rpc/status.js';
import { withBodies } from './bodies.js';
import { checkName, invalid, safe } from './convert.js';
import { MAX_RESPONSE_BYTES } from './response-size.js';
import { queueWrite } from './write.js';

/** A pull consumer keeps its deliveries this long after its last Get or settle, unless the Get asks otherwise. */
export const DEFAULT_PULL_LEASE_MS = 30_000;

interface Pending {
  readonly request: number;
  readonly deliveries: Delivery[];
  readonly done: Promise<void>;
  finish(): void;
  fail(e: Error): void;
}

export class PullGets {
  /** By queue and consumer: one Get at a time per pull consumer on this node. */
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly queues: QueuesMachine,
    /** Resolves once this node declared the consumers of its previous run gone (before it attaches any). */
    private readonly cleared: () => Promise<void>,
  ) {}

  /** Effects for consumers of this node that no Consume call serves. */
  execute(e: QueueEffect): void {
    const p = this.pending.get(key(e.queue, e.consumer));
    if (!p) return;
    if (e.kind === 'deliver') p.deliveries.push(...e.deliveries);
    else if (e.kind === 'pull-done') {
      if (e.request === p.request) p.finish();
    } else p.fail(new StatusError(grpc.status.UNAVAILABLE, `${e.reason}; Get again`));
  }

  /** A snapshot skipped the effects of the entries it covers: open Gets may have missed deliveries. */
  restored(): void {
    for (const p of this.pending.values()) p.fail(new StatusError(grpc.status.UNAVAILABLE, 'this node caught up from a snapshot of the queues while the Get waited; what it was given returns to the queue when its lease lapses; Get again'));
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) p.fail(new StatusError(grpc.status.UNAVAILABLE, `node ${this.ctx.id} is shutting down`));
  }

  async get(req: GetMessagesRequest__Output, deadline: number): Promise<GetMessagesResponse> {
    checkName('queue', req.queue);
    const max = req.max || 1;
    if (max > MAX_GET) throw invalid(`max must be between 1 and ${MAX_GET}, got ${max}`);
    const waitMs = safe('wait_ms', req.waitMs);
    if (waitMs > MAX_GET_WAIT_MS) throw invalid(`wait_ms must be at most ${MAX_GET_WAIT_MS}, got ${waitMs}`);
    const leaseMs = safe('lease_ms', req.leaseMs) || DEFAULT_PULL_LEASE_MS;
    if (leaseMs > MAX_PULL_LEASE_MS) throw invalid(`lease_ms must be at most ${MAX_PULL_LEASE_MS}, got ${leaseMs}`);
    if (req.priority > MAX_CONSUMER_PRIORITY) throw invalid(`priority must be between 0 and ${MAX_CONSUMER_PRIORITY}, got ${req.priority}`);
    const named = req.consumer !== '';
    const consumer = named ? req.consumer : `n${this.ctx.id}-get-${randomBytes(6).toString('hex')}`;
    checkName('consumer', consumer);
    if (named) {
      const k = this.queues.queue(req.queue)?.consumers.get(consumer);
      if (k && (!k.pull || k.node !== this.ctx.id)) throw new StatusError(grpc.status.FAILED_PRECONDITION, `consumer "${consumer}" of queue "${req.queue}" is ${k.pull ? `attached to node ${k.node}: Get from that node` : "a Consume call's"}`);
    }
    await this.cleared();
    if (this.stopped) throw new StatusError(grpc.status.UNAVAILABLE, `node ${this.ctx.id} is shutting down`);
    const k = key(req.queue, consumer);
    if (this.pending.has(k)) throw new StatusError(grpc.status.FAILED_PRECONDITION, `a Get by consumer "${consumer}" of queue "${req.queue}" is in progress on this node; one at a time`);
    const p = pending(randomBytes(6).readUIntBE(0, 6) || 1);
    this.pending.set(k, p);
    try {
      // The grant ends at MAX_RESPONSE_BYTES of messages (one more message at most): a unary answer cannot be split.
      await queueWrite(this.ctx, this.queues, { op: 'pull', queue: req.queue, consumer, node: this.ctx.id, max, waitMs, leaseMs, request: p.request, priority: req.priority, maxBytes: MAX_RESPONSE_BYTES }, deadline);
      await withDeadline(p.done, deadline, 'the Get was over', 'unknown');
    } finally {
      this.pending.delete(k);
    }
    return { consumer, deliveries: await withBodies(this.ctx.log, p.deliveries), servedBy: this.ctx.id };
  }
}

const key = (queue: string, consumer: string): string => `${queue}\u0000${consumer}`;

function pending(request: number): Pending {
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // A Get that failed before anyone awaited it must not be an unhandled rejection.
  done.catch(() => undefined);
  return { request, deliveries: [], done, finish, fail };
}
