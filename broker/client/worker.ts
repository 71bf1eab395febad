// A BullMQ-style worker on a quorum queue: a processor function runs on each
// job, `concurrency` at once; a job that returns is acked ('completed'), one
// that throws or times out is requeued with an exponential backoff delay
// ('failed') until the queue's delivery limit dead-letters it. Jobs are
// queue messages whose body is JSON; `Jobs.add` publishes them.

import { EventEmitter } from 'node:events';
import { ceilingFor, type BackoffOptions } from './backoff.js';
import type { Client } from './client.js';
import type { QueueConsumer, QueueDelivery } from './consumer.js';
import { DeadlineExceededError } from './errors.js';
import type { Producer, ProducerOptions, PublishResult } from './producer.js';
import type { QueueMessageInput } from './messages.js';
import type { CallOptions } from './signal.js';

/** Header carrying a job's name. */
export const JOB_NAME_HEADER = 'x-job-name';

export interface Job<D = unknown> {
  readonly name: string;
  readonly data: D;
  /** Failed attempts before this one. */
  readonly attemptsMade: number;
  /** The queue delivery (headers, priority, redelivered flag). */
  readonly delivery: QueueDelivery;
}

export interface JobOptions {
  /** Not run sooner than this many ms from now. */
  readonly delayMs?: number;
  readonly priority?: number;
  /** Jobs of one group run one at a time, in order. */
  readonly group?: string;
  /** Deduplication: a second job with this id within the queue's window is not stored. */
  readonly jobId?: string;
  /** Dead-lettered if not started within this many ms. */
  readonly ttlMs?: number;
}

/** Adds jobs to a queue (through an idempotent producer: a retry never adds twice). */
export class Jobs {
  private readonly producer: Producer<QueueMessageInput, PublishResult>;
  constructor(client: Client, readonly queue: string, o?: ProducerOptions) {
    this.producer = client.queueProducer(queue, o);
  }

  add<D>(name: string, data: D, o: JobOptions = {}, call?: CallOptions): Promise<PublishResult> {
    return this.producer.send(
      { body: JSON.stringify(data ?? null), headers: { [JOB_NAME_HEADER]: name }, delayMs: o.delayMs, priority: o.priority, group: o.group, messageId: o.jobId, ttlMs: o.ttlMs },
      call,
    );
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

export interface WorkerOptions {
  /** Jobs processed at once. Default 1. */
  readonly concurrency?: number;
  /** Deliveries held at once (default 2 x concurrency): the next jobs are ready when one finishes. */
  readonly prefetch?: number;
  /** A job running longer fails (its signal aborts). Default none. */
  readonly timeoutMs?: number;
  /** Delay before a failed job runs again: base * factor^attempts, at most max. Default 1 s doubling up to 60 s. */
  readonly backoff?: BackoffOptions;
  /** Where the consumer attaches ('any' by default). */
  readonly route?: 'any' | 'leader' | string;
}

export interface WorkerEvents<D, R> {
  completed: [job: Job<D>, result: R];
  failed: [job: Job<D>, error: unknown];
  /** A settle that could not be applied (the job will run again), or a job body that is not JSON. */
  error: [error: unknown];
}

export type Processor<D, R> = (job: Job<D>, signal: AbortSignal) => Promise<R> | R;

export class Worker<D = unknown, R = unknown> extends EventEmitter<WorkerEvents<D, R>> {
  private readonly consumer: QueueConsumer;
  private closing = false;
  private readonly active = new Set<Promise<void>>();
  /** Resolves when the worker stopped (close() or the queue was deleted). */
  readonly done: Promise<void>;

  constructor(
    client: Client,
    readonly queue: string,
    private readonly processor: Processor<D, R>,
    private readonly opts: WorkerOptions = {},
  ) {
    super();
    const concurrency = opts.concurrency ?? 1;
    this.consumer = client.consume(queue, { prefetch: opts.prefetch ?? Math.min(65535, concurrency * 2), route: opts.route });
    this.done = Promise.all(Array.from({ length: concurrency }, () => this.runner())).then(() => {});
  }

  private async runner(): Promise<void> {
    for (;;) {
      let r: IteratorResult<QueueDelivery>;
      try {
        r = await this.consumer[Symbol.asyncIterator]().next();
      } catch (e) {
        this.emit('error', e);
        return;
      }
      // Taken while closing: left unsettled, it returns to the queue when the call ends.
      if (r.done || this.closing) return;
      const p = this.process(r.value);
      this.active.add(p);
      await p;
      this.active.delete(p);
    }
  }

  private async process(d: QueueDelivery): Promise<void> {
    let data: D;
    try {
      data = JSON.parse(d.body.toString()) as D;
    } catch (e) {
      this.emit('error', new Error(`queue ${this.queue}: a job body is not JSON; dead-lettered`, { cause: e }));
      await d.reject().catch((e2: unknown) => this.emit('error', e2));
      return;
    }
    const job: Job<D> = { name: d.headers[JOB_NAME_HEADER] ?? '', data, attemptsMade: d.failed, delivery: d };
    const ac = new AbortController();
    const timer = this.opts.timeoutMs ? setTimeout(() => ac.abort(new DeadlineExceededError(`job timed out after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs) : undefined;
    try {
      const result = await Promise.race([
        Promise.resolve().then(() => this.processor(job, ac.signal)),
        new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true })),
      ]);
      clearTimeout(timer);
      await d.ack();
      this.emit('completed', job, result);
    } catch (e) {
      clearTimeout(timer);
      if (d.isSettled) {
        // The ack itself failed: the job runs again (at-least-once).
        this.emit('error', e);
        return;
      }
      const b = { baseMs: 1000, factor: 2, maxMs: 60_000, ...this.opts.backoff };
      await d.nack({ requeue: true, delayMs: Math.round(ceilingFor(d.failed, b)) }).catch((e2: unknown) => this.emit('error', e2));
      this.emit('failed', job, e);
    }
  }

  /** Stop taking jobs, wait for the running ones to finish and settle, then detach. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.active.size > 0) await Promise.all([...this.active]);
    await this.consumer.close();
    await this.done;
  }
}
