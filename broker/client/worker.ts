// A BullMQ-style worker on a quorum queue: a processor function runs on each
// job, `concurrency` at once (and at most `rateLimit.max` starts per
// `rateLimit.durationMs` across them); a job that returns is acked
// ('completed' once the server confirmed the ack), one that throws or times
// out is requeued with an exponential backoff delay ('failed') until
// `attempts` or the queue's delivery limit dead-letters it. A job whose
// delivery lapsed — its worker's node went away, or the queue's ack timeout
// passed while it ran — comes again ('stalled'). Jobs are queue messages whose
// body is JSON; `Jobs.add` publishes them, `Jobs.schedule` makes the server
// publish one every interval.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ceilingFor, type BackoffOptions } from './backoff.js';
import type { Client } from './client.js';
import type { QueueConsumer, QueueDelivery } from './consumer.js';
import { DeadlineExceededError, DeliveryLostError } from './errors.js';
import type { Producer, ProducerOptions, PublishResult } from './producer.js';
import type { QueueMessageInput } from './messages.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import type { Schedule } from './shapes.js';
import { sleep, type CallOptions } from './signal.js';

/** Header carrying a job's name. */
export const JOB_NAME_HEADER = 'x-job-name';
/** Header carrying a job's id (its `jobId`, or a random one). */
export const JOB_ID_HEADER = 'x-job-id';

/** A job as a processor sees it. */
export interface Job<D = unknown> {
  /** The `jobId` it was added with, or the random id it was given. */
  readonly id: string;
  readonly name: string;
  readonly data: D;
  /** Failed attempts before this one. */
  readonly attemptsMade: number;
  /** The queue delivery (headers, priority, redelivered flag). */
  readonly delivery: QueueDelivery;
}

/** Options of `Jobs.add`. */
export interface JobOptions {
  /** Not run sooner than this many ms from now. */
  readonly delayMs?: number;
  readonly priority?: number;
  /** Jobs of one group run one at a time, in order. */
  readonly group?: string;
  /** The job's id, and deduplication: a second job with this id within the queue's window is not stored. */
  readonly jobId?: string;
  /** Dead-lettered if not started within this many ms. */
  readonly ttlMs?: number;
}

/** When a scheduled job is added. */
export interface RepeatOptions {
  /** Interval between jobs, ms. */
  readonly everyMs: number;
  /** The first one, ms since the epoch (leader time). Default one interval from now. */
  readonly firstAtMs?: number;
}

/** Adds jobs to a queue (through an idempotent producer: a retry never adds twice), and schedules repeating ones. */
export class Jobs {
  private readonly producer: Producer<QueueMessageInput, PublishResult>;
  /** @param o the producer's options (batching, deadline). */
  constructor(
    private readonly client: Client,
    readonly queue: string,
    o?: ProducerOptions,
  ) {
    this.producer = client.queueProducer(queue, o);
  }

  /** Add a job; resolves once it is stored (replicated and applied). */
  add<D>(name: string, data: D, o: JobOptions = {}, call?: CallOptions): Promise<PublishResult> {
    return this.producer.send(jobMessage(name, data, o, o.jobId ?? randomUUID()), call);
  }

  /**
   * Have the server add job `name` with `data` every `everyMs` (once per due
   * time, whatever the leader changes), under the schedule name `scheduleId`
   * (default the job name). The same again: nothing changes; other settings
   * under the same name: AlreadyExistsError. Each job it adds has the id
   * `<scheduleId>` (set `jobId` to override: it is the same for every run, so
   * leave the queue's dedup window shorter than the interval).
   */
  async schedule<D>(name: string, data: D, repeat: RepeatOptions, o: Omit<JobOptions, 'delayMs'> & { readonly scheduleId?: string } = {}, call?: CallOptions): Promise<{ created: boolean }> {
    const id = o.scheduleId ?? name;
    // No messageId: the template is the same every time, so dedup would drop every run but the first.
    const message = jobMessage(name, data, { ...o, jobId: undefined, delayMs: undefined }, o.jobId ?? id);
    return this.client.addSchedule(this.queue, id, { everyMs: repeat.everyMs, firstAtMs: repeat.firstAtMs, message }, call);
  }

  /** This queue's schedules. */
  schedules(call?: CallOptions): Promise<Schedule[]> {
    return this.client.listSchedules(this.queue, call);
  }

  /** Stop a schedule (jobs it added stay). */
  unschedule(scheduleId: string, call?: CallOptions): Promise<void> {
    return this.client.removeSchedule(this.queue, scheduleId, call);
  }

  /** Wait for the jobs being added, then refuse more. */
  close(): Promise<void> {
    return this.producer.close();
  }
}

/**
 * Whether some earlier delivery of this message ended with no settle at all:
 * its consumer (worker, node) went away. Nacks, rejects and ack timeouts
 * count in `failed`; every delivery, this one included, in `acquired`.
 */
export function endedWithoutSettle(d: { readonly redelivered: boolean; readonly acquired: number; readonly failed: number }): boolean {
  return d.redelivered && d.acquired - 1 > d.failed;
}

/** A job as the queue message that carries it. */
export function jobMessage<D>(name: string, data: D, o: JobOptions, id: string): QueueMessageInput {
  return {
    body: JSON.stringify(data ?? null),
    headers: { [JOB_NAME_HEADER]: name, [JOB_ID_HEADER]: id },
    delayMs: o.delayMs,
    priority: o.priority,
    group: o.group,
    messageId: o.jobId,
    ttlMs: o.ttlMs,
  };
}

/** Options of a Worker. */
export interface WorkerOptions {
  /** Jobs processed at once. Default 1. */
  readonly concurrency?: number;
  /**
   * Deliveries held at once (default 2 x concurrency, or concurrency with a
   * rate limit: held jobs wait out the limit while the queue's ack timeout runs).
   */
  readonly prefetch?: number;
  /** At most `max` jobs started per `durationMs`, across the worker's concurrency. */
  readonly rateLimit?: RateLimit;
  /**
   * Runs of a job at most: after the last one fails it is dead-lettered
   * (rejected) instead of requeued. Default: no limit of the worker's own
   * (the queue's delivery limit applies).
   */
  readonly attempts?: number;
  /** A job running longer fails (its signal aborts). Default none. */
  readonly timeoutMs?: number;
  /** Delay before a failed job runs again: base * factor^attempts, at most max. Default 1 s doubling up to 60 s. */
  readonly backoff?: BackoffOptions;
  /** Where the consumer attaches ('any' by default). */
  readonly route?: 'any' | 'leader' | string;
}

/** A Worker's events. */
export interface WorkerEvents<D, R> {
  /** The job returned and its ack is confirmed: it never runs again. */
  completed: [job: Job<D>, result: R];
  /** The job threw or timed out; `willRetry`: requeued (with backoff) rather than dead-lettered. */
  failed: [job: Job<D>, error: unknown, willRetry: boolean];
  /**
   * A job's delivery lapsed and the job runs again: `lost` — this worker ran it
   * but the server no longer held it when it settled (the queue's ack timeout
   * passed, or the worker's consumer call ended: its node went away);
   * `redelivered` — it arrives after an earlier run ended without a settle
   * (that worker or its node went away).
   */
  stalled: [job: Job<D>, how: 'lost' | 'redelivered'];
  /** A settle whose outcome is unknown, or a job body that is not JSON. */
  error: [error: unknown];
}

/** The job's work: its result is the `completed` event's; a throw fails the run. `signal` aborts at the timeout or close. */
export type Processor<D, R> = (job: Job<D>, signal: AbortSignal) => Promise<R> | R;

/**
 * Runs a processor on a queue's jobs: `new Worker(qq, 'email', async (job, signal) => ..., { concurrency: 8 })`.
 * Events: completed, failed, stalled, error. `close()` drains.
 */
export class Worker<D = unknown, R = unknown> extends EventEmitter<WorkerEvents<D, R>> {
  private readonly consumer: QueueConsumer;
  private readonly limiter: RateLimiter | undefined;
  private readonly closing = new AbortController();
  private readonly active = new Set<Promise<void>>();
  /** Resolves when the worker stopped (close() or the queue was deleted). */
  readonly done: Promise<void>;

  /** Starts consuming at once. */
  constructor(
    client: Client,
    readonly queue: string,
    private readonly processor: Processor<D, R>,
    private readonly opts: WorkerOptions = {},
  ) {
    super();
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1 (got ${concurrency})`);
    if (opts.attempts !== undefined && (!Number.isInteger(opts.attempts) || opts.attempts < 1)) throw new RangeError(`attempts must be an integer >= 1 (got ${opts.attempts})`);
    this.limiter = opts.rateLimit ? new RateLimiter(opts.rateLimit) : undefined;
    const prefetch = opts.prefetch ?? Math.min(65535, this.limiter ? concurrency : concurrency * 2);
    this.consumer = client.consume(queue, { prefetch, route: opts.route });
    this.done = Promise.all(Array.from({ length: concurrency }, () => this.runner())).then(() => {});
  }

  /** Jobs running now. */
  get running(): number {
    return this.active.size;
  }

  private async runner(): Promise<void> {
    const jobs = this.consumer[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<QueueDelivery>;
      try {
        r = await jobs.next();
      } catch (e) {
        this.emit('error', e);
        return;
      }
      if (r.done) return;
      if (this.limiter) {
        // The start is reserved once the job is here (a reservation made
        // before would let a job that came late start inside a full window).
        const wait = this.limiter.reserve(Date.now()) - Date.now();
        if (wait > 0) await sleep(wait, this.closing.signal).catch(() => {});
      }
      // Taken while closing: left unsettled, it returns to the queue when the call ends.
      if (this.closing.signal.aborted) return;
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
    const job: Job<D> = { id: d.headers[JOB_ID_HEADER] ?? '', name: d.headers[JOB_NAME_HEADER] ?? '', data, attemptsMade: d.failed, delivery: d };
    if (endedWithoutSettle(d)) this.emit('stalled', job, 'redelivered');
    const ac = new AbortController();
    const timer = this.opts.timeoutMs ? setTimeout(() => ac.abort(new DeadlineExceededError(`job timed out after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs) : undefined;
    let result: R;
    try {
      result = await Promise.race([
        Promise.resolve().then(() => this.processor(job, ac.signal)),
        new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true })),
      ]);
    } catch (e) {
      clearTimeout(timer);
      const retry = this.opts.attempts === undefined || d.failed + 1 < this.opts.attempts;
      const b = { baseMs: 1000, factor: 2, maxMs: 60_000, ...this.opts.backoff };
      try {
        await (retry ? d.nack({ requeue: true, delayMs: Math.round(ceilingFor(d.failed, b)) }) : d.reject());
        this.emit('failed', job, e, retry);
      } catch (e2) {
        this.settleFailed(job, e2);
      }
      return;
    }
    clearTimeout(timer);
    try {
      await d.ack();
    } catch (e) {
      this.settleFailed(job, e);
      return;
    }
    this.emit('completed', job, result);
  }

  /** The server did not take the settle: the job runs again (lost), or we cannot tell (error). */
  private settleFailed(job: Job<D>, e: unknown): void {
    if (e instanceof DeliveryLostError && e.outcome === 'not-applied') this.emit('stalled', job, 'lost');
    else this.emit('error', e);
  }

  /** Stop taking jobs, wait for the running ones to finish and settle, then detach (jobs held but not started return to the queue). */
  async close(): Promise<void> {
    this.closing.abort();
    while (this.active.size > 0) await Promise.all([...this.active]);
    await this.consumer.close();
    await this.done;
  }
}
