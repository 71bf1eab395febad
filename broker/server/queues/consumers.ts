// Consumers attached to this node: one Consume call each. The queues machine
// decides deliveries on every member; this node sends those addressed to its
// own consumers, with bodies read from its own log, in the order decided.
// Settles and prefetch changes from the call become commands; when the call
// ends its consumer is cancelled so its deliveries return to the queue.
//
// Two things keep a consumer from outliving its call: a node that starts
// declares its earlier consumers gone (node-down for itself) before it takes
// a Consume call, and the leader declares a node gone when it has not heard
// from it for CONSUMER_NODE_TIMEOUT_MS (see NodeWatch). Either way the
// deliveries return within a bounded time: the election timeout plus that.

import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse } from '../../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { Delivery as ProtoDelivery } from '../../../proto/generated/quorumq/v1/Delivery.js';
import { MAX_CONSUMER_PRIORITY, MAX_PREFETCH } from '../../machine/queues/config.js';
import type { QueueEffect, QueuesMachine } from '../../machine/queues/machine.js';
import type { Delivery } from '../../machine/queues/queue.js';
import type { NodeContext } from '../node/context.js';
import { StatusError, toServiceError, toStatus } from '../rpc/status.js';
import { notServing } from '../rpc/unary.js';
import { retryUnavailable } from '../rpc/retry.js';
import { withBodies } from './bodies.js';
import { DeliveryTurns } from './delivery-turns.js';
import { PullGets } from './pull.js';
import { queueWrite, settleTags } from './write.js';
import { checkName, invalid } from './convert.js';
import { chunkByBytes, itemBytes } from './response-size.js';

/** A node not heard from for this long after the leader's last contact has its consumers' deliveries returned. */
export const CONSUMER_NODE_TIMEOUT_MS = 3000;
/** How long a Consume call's subscribe is retried while there is no leader (an election takes well under a second). */
const SUBSCRIBE_RETRY_MS = 10_000;

/** What a Consume call is to this file: a gRPC call, or one partition's share of it (partitioned-consume.ts). */
export type ConsumeCall = Pick<grpc.ServerDuplexStream<ConsumeRequest__Output, ConsumeResponse>, 'write' | 'end' | 'emit' | 'on'>;

/** One Consume call. */
class Session {
  private named = false;
  private closed = false;
  /** Deliveries are written in the order the machine made them, each turn's batch after its bodies are read. */
  private readonly turns = new DeliveryTurns<Delivery, ProtoDelivery[] | undefined>(
    async (ds) => (this.closed ? undefined : withBodies(this.ctx.log, ds)),
    (deliveries) => {
      if (this.closed || !deliveries) return;
      // Several responses when the turn's bodies are large: one over the client's receive limit would kill the call.
      for (const run of chunkByBytes<ProtoDelivery>(deliveries, itemBytes)) this.write({ deliveries: run });
    },
    // Not delivered: the consumer's call ends, and the deliveries return to the queue when it is cancelled.
    (e) => this.fail(e),
  );

  constructor(
    readonly id: string,
    readonly queue: string,
    private readonly call: ConsumeCall,
    private readonly ctx: NodeContext,
  ) {}

  write(res: ConsumeResponse): void {
    if (this.closed) return;
    if (!this.named) {
      res.consumer = this.id;
      this.named = true;
    }
    this.call.write(res);
  }

  /** Deliveries the machine decided for this consumer: written with the others of this turn (see DeliveryTurns). */
  deliver(ds: readonly Delivery[]): void {
    this.turns.add(ds);
  }

  /** The server ends the call: the queue is gone, or this node was taken for gone. */
  end(reason: string): void {
    // What was decided before the end is written before it.
    this.turns.then(() => {
      if (this.closed) return;
      this.write({ ended: reason });
      this.closed = true;
      this.call.end();
    });
  }

  fail(e: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.call.emit('error', toServiceError(e, this.ctx.id));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  markClosed(): void {
    this.closed = true;
  }
}

export class LocalConsumers {
  private readonly sessions = new Map<string, Session>();
  /** Resolves once this node has declared the consumers of its previous run gone. */
  readonly cleared: Promise<void>;
  /** Gets (the pull form) waiting for their deliveries on this node. */
  readonly pulls: PullGets;
  private stopped = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly queues: QueuesMachine,
  ) {
    this.pulls = new PullGets(ctx, queues, () => this.cleared);
    ctx.machines.attach(queues.id, (effects) => this.execute(effects as QueueEffect[]));
    // A snapshot from the leader skipped the effects of the entries it covers
    // (deliveries, ends): this node's calls no longer match the queues. End
    // them, and cancel their consumers, returning what they held.
    ctx.machines.whenRestored(() => {
      for (const [id, s] of this.sessions) {
        s.end('this node caught up from a snapshot of the queues; consume again');
        this.sessions.delete(id);
        void this.cancel(s);
      }
      this.pulls.restored();
    });
    this.cleared = this.clearPrevious();
  }

  stop(): void {
    this.stopped = true;
    this.pulls.stop();
  }

  private execute(effects: readonly QueueEffect[]): void {
    for (const e of effects) {
      if (e.node !== this.ctx.id) continue;
      const s = this.sessions.get(e.consumer);
      if (!s || s.queue !== e.queue || e.kind === 'pull-done') {
        this.pulls.execute(e);
        continue;
      }
      if (e.kind === 'deliver') s.deliver(e.deliveries);
      else {
        s.end(e.reason);
        this.sessions.delete(e.consumer);
      }
    }
  }

  /**
   * Consumers this node had before it (re)started are gone: once this node
   * has applied everything committed (a read barrier), and only if the queues
   * still name consumers on it, say so (node-down for itself) — before it
   * takes a Consume call.
   */
  private async clearPrevious(): Promise<void> {
    for (let wait = 50; !this.stopped; wait = Math.min(1000, wait * 2)) {
      if (this.ctx.serving && this.ctx.host.currentLeader) {
        try {
          await this.ctx.host.readBarrier(5000);
          if (!this.queues.consumerNodes().has(this.ctx.id)) return;
          await queueWrite(this.ctx, this.queues, { op: 'node-down', node: this.ctx.id });
          return;
        } catch (e) {
          this.ctx.logger.debug({ err: (e as Error).message }, 'clearing the consumers of the previous run; retrying');
        }
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * Serve one Consume call. `name`: the consumer's name (a partitioned
   * queue's call attaches one consumer of that name to every partition);
   * by default a new one.
   */
  serve(call: ConsumeCall, name?: string): void {
    const ctx = this.ctx;
    ctx.metrics.requests.inc({ method: 'Consume', code: 'started' });
    let session: Session | undefined;
    let subscribed: Promise<unknown> | undefined;
    let ending = false;
    const failBeforeStart = (e: unknown): void => {
      ending = true;
      call.emit('error', toServiceError(e, ctx.id));
    };
    const finish = (): void => {
      if (ending) return;
      ending = true;
      const s = session;
      if (!s) return;
      this.sessions.delete(s.id);
      // Cancel once subscribed (or once the subscribe failed), so nothing stays with a consumer that is gone.
      void (subscribed ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => this.cancel(s));
    };
    call.on('data', (req: ConsumeRequest__Output) => {
      if (ending) return;
      if (!session) {
        let queue: string;
        let prefetch: number;
        let priority: number;
        try {
          if (!ctx.serving) throw notServing(ctx);
          queue = req.queue;
          checkName('queue', queue);
          prefetch = req.prefetch;
          priority = req.priority;
          if (!Number.isInteger(priority) || priority > MAX_CONSUMER_PRIORITY) throw invalid(`priority must be between 0 and ${MAX_CONSUMER_PRIORITY}, got ${priority}`);
          if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > MAX_PREFETCH) throw invalid(`prefetch must be between 1 and ${MAX_PREFETCH} in the first request, got ${prefetch}`);
          if (req.ack.length || req.requeue.length || req.reject.length) throw invalid('the first request names the queue; settle deliveries in later requests');
        } catch (e) {
          failBeforeStart(e);
          return;
        }
        const s = new Session(name ?? `n${ctx.id}-${randomBytes(6).toString('hex')}`, queue, call, ctx);
        session = s;
        subscribed = this.cleared
          .then(() => {
            if (s.isClosed || ending) throw new StatusError(grpc.status.CANCELLED, 'the call ended before the consumer was attached');
            this.sessions.set(s.id, s);
            return this.subscribe(s, prefetch, priority);
          })
          .catch((e: unknown) => {
            this.sessions.delete(s.id);
            s.fail(e);
            throw e;
          });
        return;
      }
      const s = session;
      void (subscribed ?? Promise.resolve())
        .then(() => this.settle(s, req))
        .then(
          (unknown) => {
            if (req.requestId) s.write({ confirmed: req.requestId, unknownTags: unknown });
          },
          (e: unknown) => {
            // A settle whose outcome is unknown: the client learns it on this call and may retry on a new one.
            if (req.requestId) s.fail(e);
            else ctx.logger.debug({ err: toStatus(e).details }, 'a settle without a request id failed');
          },
        );
    });
    call.on('end', () => {
      finish();
      session?.end('the client closed the call');
      if (!session) call.end();
    });
    call.on('cancelled', () => {
      session?.markClosed();
      finish();
    });
    call.on('error', () => {
      session?.markClosed();
      finish();
    });
  }

  private async settle(s: Session, req: ConsumeRequest__Output): Promise<number[]> {
    const writes: Promise<unknown>[] = [settleTags(this.ctx, this.queues, s.queue, s.id, req)];
    if (req.prefetch) {
      if (req.prefetch > MAX_PREFETCH) throw invalid(`prefetch must be between 1 and ${MAX_PREFETCH}, got ${req.prefetch}`);
      writes.push(queueWrite(this.ctx, this.queues, { op: 'prefetch', queue: s.queue, consumer: s.id, prefetch: req.prefetch }));
    }
    return (await Promise.all(writes))[0] as number[];
  }

  /**
   * Attach the consumer. A subscribe applied twice is answered as existing,
   * so while the cluster has no leader, or leadership moves under the call
   * (UNAVAILABLE), it is simply sent again, for up to SUBSCRIBE_RETRY_MS.
   */
  private subscribe(s: Session, prefetch: number, priority: number): Promise<unknown> {
    return retryUnavailable(
      () => queueWrite(this.ctx, this.queues, { op: 'subscribe', queue: s.queue, consumer: s.id, node: this.ctx.id, prefetch, priority }),
      Date.now() + SUBSCRIBE_RETRY_MS,
      () => s.isClosed || this.stopped,
    );
  }

  /** Cancel a consumer whose call ended, retrying while no leader is known (its node then is still its node). */
  private async cancel(s: Session): Promise<void> {
    for (let wait = 50; !this.stopped; wait = Math.min(2000, wait * 2)) {
      try {
        await queueWrite(this.ctx, this.queues, { op: 'cancel', queue: s.queue, consumer: s.id });
        return;
      } catch (e) {
        const code = toStatus(e).code;
        // The queue is gone, or the consumer already is: nothing to return.
        if (code === grpc.status.NOT_FOUND) return;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * On the leader: nodes with consumers that the leader has not heard from for
 * CONSUMER_NODE_TIMEOUT_MS are declared gone, so their deliveries return to
 * the queues. A node cut off but alive ends its consumers' calls when it
 * applies that.
 */
export class NodeWatch {
  private silentSince = new Map<number, number>();
  private busy = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly queues: QueuesMachine,
  ) {}

  /** `now`: the monotonic clock (silences are measured locally; a stepped wall clock must not cut them short). */
  check(now = performance.now()): void {
    const ctx = this.ctx;
    if (this.busy || !ctx.host.isLeader) {
      this.silentSince.clear();
      return;
    }
    const st = ctx.host.status();
    const members = new Set([...st.conf.voters, ...st.conf.learners]);
    const active = new Map(st.peers.map((p) => [p.id, p.active]));
    for (const node of this.queues.consumerNodes()) {
      if (node === ctx.id) continue;
      if (members.has(node) && active.get(node)) {
        this.silentSince.delete(node);
        continue;
      }
      const since = this.silentSince.get(node) ?? now;
      this.silentSince.set(node, since);
      if (now - since < CONSUMER_NODE_TIMEOUT_MS) continue;
      this.busy = true;
      ctx.logger.info({ node, silentMs: now - since }, 'a node with consumers is silent; returning its deliveries to the queues');
      void queueWrite(ctx, this.queues, { op: 'node-down', node })
        .then(
          () => this.silentSince.delete(node),
          (e: unknown) => ctx.logger.debug({ err: (e as Error).message }, 'node-down not applied; will retry'),
        )
        .finally(() => {
          this.busy = false;
        });
      return;
    }
  }
}
