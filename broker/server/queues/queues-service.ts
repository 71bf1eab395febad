// The Broker service's queue calls. Writes (declare, delete, purge, publish,
// settles, dead-letter replay and purge) go to the leader through the node's
// write path; info, listings and deliveries are served by this node from its
// applied state and its own log. Requests are validated here before anything
// is proposed; the machine checks again.

import * as grpc from '@grpc/grpc-js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { PublishRequest__Output } from '../../../proto/generated/quorumq/v1/PublishRequest.js';
import type { PublishResponse } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import { MAX_GET_WAIT_MS, MAX_MESSAGE_BYTES_LIMIT, MAX_SCHEDULE_EVERY_MS, MAX_TOP_GROUPS, MIN_SCHEDULE_EVERY_MS } from '../../machine/queues/config.js';
import { QueuesMachine, validatePublish } from '../../machine/queues/machine.js';
import { parseCron } from '../../machine/queues/cron.js';
import type { Queue } from '../../machine/queues/queue.js';
import type { NodeContext } from '../node/context.js';
import { OrderedResponses } from '../rpc/ordered-responses.js';
import { StatusError, toServiceError, toStatus } from '../rpc/status.js';
import { notServing, readBarrier, unary } from '../rpc/unary.js';
import { readBodies } from './bodies.js';
import { LocalConsumers, NodeWatch } from './consumers.js';
import { fitting, itemBytes } from './response-size.js';
import { queueWrite, settleTags } from './write.js';
import { checkName, clusterNow, invalid, safe, toQueueConfig, toQueueMessages } from './convert.js';
import { infoResponse } from './queue-info.js';
import { PartitionedQueues, notOnPartitioned } from './partitioned.js';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';

/** One dead letter as a queue's store lists it. */
type DeadLetter = ReturnType<Queue['deadLetters']> extends Generator<infer D> ? D : never;

/** Per-queue figures in /metrics, read from this node's applied state at scrape time. */
function registerQueueMetrics(ctx: NodeContext, queues: QueuesMachine): void {
  const figures = ['ready', 'delayed', 'unacked', 'deadLettered', 'bytes', 'published', 'delivered', 'redelivered', 'acked', 'failed', 'expired', 'deadLetterDropped', 'deadLetterMoved', 'deadLetterReceived'] as const;
  const names: Record<(typeof figures)[number], string> = {
    ready: 'ready',
    delayed: 'delayed',
    unacked: 'unacked',
    deadLettered: 'dead_lettered',
    bytes: 'bytes',
    published: 'published_total',
    delivered: 'delivered_total',
    redelivered: 'redelivered_total',
    acked: 'acked_total',
    failed: 'failed_total',
    expired: 'expired_total',
    deadLetterDropped: 'dead_letter_dropped_total',
    deadLetterMoved: 'dead_letter_moved_total',
    deadLetterReceived: 'dead_letter_received_total',
  };
  for (const f of figures) {
    ctx.metrics.addGauge({
      name: `quorumq_queue_${names[f]}`,
      help: `Per queue: ${f} (this node's applied state)`,
      labelNames: ['queue'],
      collect() {
        this.reset();
        for (const n of queues.names()) this.set({ queue: n }, queues.info(n)!.stats[f]);
      },
    });
  }
  // Bounded series: at most 32 priority levels (those with ready messages)
  // and MAX_TOP_GROUPS groups per queue, whatever the number of groups.
  ctx.metrics.addGauge({
    name: 'quorumq_queue_ready_by_priority',
    help: 'Per queue and priority level with ready messages: ready messages (this node\'s applied state)',
    labelNames: ['queue', 'priority'],
    collect() {
      this.reset();
      for (const n of queues.names()) {
        const r = queues.breakdown(n)!.readyByPriority;
        for (let p = 0; p < r.length; p++) if (r[p]! > 0) this.set({ queue: n, priority: String(p) }, r[p]!);
      }
    },
  });
  ctx.metrics.addGauge({
    name: 'quorumq_queue_groups',
    help: 'Per queue: message groups it holds a message of (state="held") and those with a message ready (state="ready")',
    labelNames: ['queue', 'state'],
    collect() {
      this.reset();
      for (const n of queues.names()) {
        const g = queues.breakdown(n)!.groups;
        this.set({ queue: n, state: 'held' }, g.groups);
        this.set({ queue: n, state: 'ready' }, g.withReady);
      }
    },
  });
  ctx.metrics.addGauge({
    name: 'quorumq_queue_group_ready',
    help: `Per queue: ready messages of the ${MAX_TOP_GROUPS} groups with the most (most first, then by name); other groups have no series`,
    labelNames: ['queue', 'group'],
    collect() {
      this.reset();
      for (const n of queues.names()) for (const g of queues.breakdown(n)!.groups.top) this.set({ queue: n, group: g.group }, g.ready);
    },
  });
  ctx.metrics.addGauge({
    name: 'quorumq_queue_consumers',
    help: 'Per queue: consumers attached anywhere in the cluster',
    labelNames: ['queue'],
    collect() {
      this.reset();
      for (const n of queues.names()) this.set({ queue: n }, queues.info(n)!.consumers);
    },
  });
}

const LIST_DEFAULT = 100;
/** Unconfirmed requests per PublishStream call before the server stops reading it. */
const PUBLISH_STREAM_WINDOW = 1024;
const LIST_MAX = 10_000;
const REPLAY_MAX = 100_000;

export function queuesService(
  ctx: NodeContext,
): Pick<
  BrokerHandlers,
  'DeclareQueue' | 'DeleteQueue' | 'PurgeQueue' | 'ListQueues' | 'QueueInfo' | 'Publish' | 'PublishStream' | 'Consume' | 'GetMessages' | 'Settle' | 'AddSchedule' | 'ListSchedules' | 'RemoveSchedule' | 'ListDeadLetters' | 'ReplayDeadLetters' | 'PurgeDeadLetters' | 'Placement'
> {
  const queues = ctx.machines.get(QueuesMachine);
  const consumers = new LocalConsumers(ctx, queues);
  const watch = new NodeWatch(ctx, queues);
  registerQueueMetrics(ctx, queues);
  const partitioned = new PartitionedQueues(ctx);
  const timer = setInterval(() => watch.check(), 500);
  timer.unref();
  ctx.onStop(() => {
    clearInterval(timer);
    consumers.stop();
  });

  /** Validate a publish, then propose it through the leader. */
  const publish = async (req: PublishRequest__Output, deadline: number): Promise<PublishResponse> => {
    checkName('queue', req.queue);
    if (req.producerId) checkName('producer', req.producerId);
    const sequence = safe('sequence', req.sequence);
    const placed = partitioned.placed(req.queue);
    const messages = toQueueMessages(req.messages, clusterNow(ctx));
    const q = queues.queue(req.queue);
    const bad = validatePublish(messages, q?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
    if (bad) throw invalid(bad);
    // The node's memory watermark, on its own applied state: refused before anything is proposed.
    const limit = ctx.config.maxQueuedBytes;
    if (limit > 0) {
      const held = queues.heldBytes() + partitioned.heldBytes();
      if (held > limit) throw new StatusError(grpc.status.RESOURCE_EXHAUSTED, `node ${ctx.id}'s queues hold ${held} message bytes, above its limit of ${limit} (--max-queued-bytes); nothing was published; retry once consumers have caught up`);
    }
    if (req.group) {
      if (placed) return partitioned.publishTo(req, sequence, placed, deadline);
      // A queue this node holds as an ordinary one is certain; one it does not know may be a placement it has not applied yet.
      if (q) throw new StatusError(grpc.status.FAILED_PRECONDITION, `group must be 0 for queue "${req.queue}": it is not partitioned (got group ${req.group}); nothing was published`);
      throw new StatusError(grpc.status.UNAVAILABLE, `queue "${req.queue}" is not placed on node ${ctx.id} yet (group ${req.group} named); nothing was published (not applied); retry shortly`, 'not-applied');
    }
    if (placed) return partitioned.publish(req, placed, deadline);
    // The leader's applied state holds every declaration confirmed to anyone: a miss is final.
    if (!q && ctx.host.isLeader) throw new StatusError(grpc.status.NOT_FOUND, `queue "${req.queue}" does not exist`);
    const out = await queueWrite(ctx, queues, { op: 'publish', queue: req.queue, producer: req.producerId, seq: req.producerId ? sequence : 0, messages }, deadline);
    const r = out.reply;
    if (r.kind !== 'published') throw new StatusError(grpc.status.INTERNAL, 'the leader answered a publish with something else');
    return { count: r.count, deduplicated: r.deduplicated, duplicate: r.duplicate, index: out.index, leader: out.leader };
  };

  /** Refuse a call a partitioned queue does not offer yet. */
  const ordinary = (name: string, what: string): void => {
    if (partitioned.placed(name)) throw notOnPartitioned(name, what);
  };

  const existing = (name: string) => {
    const q = queues.queue(name);
    if (!q) throw new StatusError(grpc.status.NOT_FOUND, `queue "${name}" does not exist`);
    return q;
  };

  return {
    DeclareQueue: unary(ctx, 'DeclareQueue', async (req, deadline) => {
      checkName('queue', req.name);
      const config = toQueueConfig(req.settings, req.name);
      if (req.partitions) return partitioned.declare(req.name, req.partitions, req.replicas, config, deadline);
      if (req.replicas) throw invalid(`replicas must be 0 for an ordinary queue (partitions 0: it lives in the metadata group, on every voter), got ${req.replicas}`);
      const placed = partitioned.placed(req.name);
      if (placed) throw new StatusError(grpc.status.FAILED_PRECONDITION, `queue "${req.name}" is partitioned (${placed.length} partitions); declare it with partitions ${placed.length}`);
      const out = await queueWrite(ctx, queues, { op: 'declare', name: req.name, config }, deadline);
      return { created: out.reply.kind === 'declared' && out.reply.created, index: out.index };
    }),

    DeleteQueue: unary(ctx, 'DeleteQueue', async (req, deadline) => {
      checkName('queue', req.name);
      const placed = partitioned.placed(req.name);
      if (placed) return { index: (await partitioned.each(req.name, placed, 'delete', deadline)).index };
      return { index: (await queueWrite(ctx, queues, { op: 'delete', name: req.name }, deadline)).index };
    }),

    PurgeQueue: unary(ctx, 'PurgeQueue', async (req, deadline) => {
      checkName('queue', req.name);
      const placed = partitioned.placed(req.name);
      if (placed) return { purged: (await partitioned.each(req.name, placed, 'purge', deadline)).purged };
      const out = await queueWrite(ctx, queues, { op: 'purge', name: req.name }, deadline);
      return { purged: out.reply.kind === 'purged' ? out.reply.count : 0 };
    }),

    ListQueues: unary(ctx, 'ListQueues', async (req, deadline) => {
      if (req.consistency !== 'LOCAL') await readBarrier(ctx, deadline);
      const all = [...queues.names().map((n) => infoResponse(ctx, queues, queues.info(n)!)), ...(await partitioned.list(req.consistency === 'LOCAL', deadline))];
      return { queues: all.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0)), servedBy: ctx.id };
    }),

    QueueInfo: unary(ctx, 'QueueInfo', async (req, deadline) => {
      checkName('queue', req.name);
      if (req.consistency !== 'LOCAL') await readBarrier(ctx, deadline);
      const placed = partitioned.placed(req.name);
      if (placed) {
        const i = await partitioned.info(req.name, placed, req.consistency === 'LOCAL', deadline);
        if (!i) throw new StatusError(grpc.status.NOT_FOUND, `queue "${req.name}" does not exist`);
        return i;
      }
      existing(req.name);
      return infoResponse(ctx, queues, queues.info(req.name)!);
    }),

    Publish: unary(ctx, 'Publish', async (req, deadline) => publish(req, deadline)),

    // From this node's own placement and its view of each hosted group's leader: no barrier (a stale answer costs the client a forward).
    Placement: unary(ctx, 'Placement', async (req) => {
      checkName('queue', req.queue);
      return { queue: req.queue, partitions: (partitioned.placed(req.queue) ?? []).map((pg) => partitioned.where(pg)), servedBy: ctx.id };
    }),

    PublishStream: (call) => {
      ctx.metrics.requests.inc({ method: 'PublishStream', code: 'started' });
      if (!ctx.serving) {
        call.emit('error', toServiceError(notServing(ctx), ctx.id));
        return;
      }
      // One answer per request, in request order.
      const responses = new OrderedResponses<PublishResponse>(call, PUBLISH_STREAM_WINDOW);
      call.on('data', (req: PublishRequest__Output) => {
        const answer = responses.reserve();
        publish(req, Number.POSITIVE_INFINITY).then(
          (res) => {
            // res is this request's own answer: tagged in place (a spread copy with a new property is V8's slow path).
            res.requestId = req.requestId;
            answer(res);
          },
          (e: unknown) => {
            const st = toStatus(e);
            answer({ requestId: req.requestId, errorCode: st.code, errorMessage: st.details });
          },
        );
      });
    },

    // The first request names the queue: a partitioned one is served by every partition's consumers, any other as ever.
    Consume: (call) => {
      let routed = false;
      call.once('data', (first: ConsumeRequest__Output) => {
        routed = true;
        const placed = typeof first.queue === 'string' ? partitioned.placed(first.queue) : undefined;
        if (placed) {
          try {
            partitioned.consume(call, first, placed);
          } catch (e) {
            call.emit('error', toServiceError(e, ctx.id));
          }
          return;
        }
        consumers.serve(call);
        call.emit('data', first);
      });
      // Ended before naming a queue: nothing to serve.
      call.once('end', () => {
        if (!routed) call.end();
      });
    },

    // A Get's deadline is its wait plus the usual cap.
    GetMessages: unary(
      ctx,
      'GetMessages',
      async (req, deadline) => {
        const placed = req.queue ? partitioned.placed(req.queue) : undefined;
        return placed ? partitioned.get(req, placed, deadline) : consumers.pulls.get(req, deadline);
      },
      MAX_GET_WAIT_MS + 30_000,
    ),

    Settle: unary(ctx, 'Settle', async (req, deadline) => {
      checkName('queue', req.queue);
      checkName('consumer', req.consumer);
      if (req.ack.length + req.requeue.length + req.reject.length === 0) throw invalid('a settle names at least one tag in ack, requeue or reject');
      const placed = partitioned.placed(req.queue);
      if (placed) return { unknownTags: await partitioned.settle(req.queue, req.consumer, { ...req, requeueDelayMs: safe('requeue_delay_ms', req.requeueDelayMs) }, placed, deadline) };
      return { unknownTags: await settleTags(ctx, queues, req.queue, req.consumer, req, deadline) };
    }),

    AddSchedule: unary(ctx, 'AddSchedule', async (req, deadline) => {
      checkName('queue', req.queue);
      ordinary(req.queue, 'schedules');
      checkName('schedule', req.name);
      const every = safe('every_ms', req.everyMs);
      if (req.cron) {
        const cron = parseCron(req.cron);
        if (typeof cron === 'string') throw invalid(cron);
        if (every !== 0) throw invalid(`every_ms must be 0 with cron (a schedule has one or the other), got ${every}`);
      } else if (every < MIN_SCHEDULE_EVERY_MS || every > MAX_SCHEDULE_EVERY_MS) throw invalid(`every_ms must be between ${MIN_SCHEDULE_EVERY_MS} and ${MAX_SCHEDULE_EVERY_MS} (or cron set instead), got ${every}`);
      if (!req.message) throw invalid('message is required: the template the schedule publishes');
      if (req.message.delayMs || req.message.deliverAtMs) throw invalid('message.delay_ms and message.deliver_at_ms must be 0: the schedule says when');
      if (req.message.messageId) throw invalid('message.message_id must be empty: each due time publishes the message once');
      const [message] = toQueueMessages([req.message], clusterNow(ctx));
      const bad = validatePublish([message!], queues.queue(req.queue)?.config.maxMessageBytes ?? MAX_MESSAGE_BYTES_LIMIT);
      if (bad) throw invalid(bad.replace(/^message 0/, 'message'));
      const out = await queueWrite(ctx, queues, { op: 'schedule-add', queue: req.queue, name: req.name, everyMs: every, firstAt: safe('first_at_ms', req.firstAtMs), message: message!, ...(req.cron ? { cron: req.cron } : {}) }, deadline);
      return { created: out.reply.kind === 'schedule-added' && out.reply.created };
    }),

    ListSchedules: unary(ctx, 'ListSchedules', async (req, deadline) => {
      checkName('queue', req.queue);
      ordinary(req.queue, 'schedules');
      if (req.consistency !== 'LOCAL') await readBarrier(ctx, deadline);
      const q = existing(req.queue);
      return { schedules: [...q.schedules.values()].map((s) => ({ name: s.name, everyMs: s.everyMs, nextAtMs: s.next, published: s.fired, cron: s.cron })) };
    }),

    RemoveSchedule: unary(ctx, 'RemoveSchedule', async (req, deadline) => {
      checkName('queue', req.queue);
      ordinary(req.queue, 'schedules');
      checkName('schedule', req.name);
      await queueWrite(ctx, queues, { op: 'schedule-remove', queue: req.queue, name: req.name }, deadline);
      return {};
    }),

    ListDeadLetters: unary(ctx, 'ListDeadLetters', async (req, deadline) => {
      checkName('queue', req.queue);
      const max = req.max || LIST_DEFAULT;
      if (max > LIST_MAX) throw invalid(`max must be at most ${LIST_MAX}, got ${max}`);
      const local = req.consistency === 'LOCAL';
      // Where the dead letters are: this group's queue, or every partition's (in partition order).
      const placed = partitioned.placed(req.queue);
      let stores: Array<{ ctx: NodeContext; queue: Queue }>;
      if (placed) stores = await partitioned.replicas(req.queue, placed, local, deadline);
      else {
        if (!local) await readBarrier(ctx, deadline);
        stores = [{ ctx, queue: existing(req.queue) }];
      }
      const dead: Array<{ d: DeadLetter; body: Awaited<ReturnType<typeof readBodies>>[number] }> = [];
      let total = 0;
      for (const s of stores) {
        total += s.queue.dead.length;
        const mine: DeadLetter[] = [];
        for (const d of s.queue.deadLetters()) {
          if (dead.length + mine.length >= max) break;
          mine.push(d);
        }
        const bodies = await readBodies(s.ctx.log, mine);
        bodies.forEach((body, i) => dead.push({ d: mine[i]!, body }));
      }
      // No more than MAX_RESPONSE_BYTES of bodies in one answer (a client's receive limit is 4 MiB by default); `total` says how many there are.
      const fit = dead.slice(0, fitting(dead, ({ body: m }) => itemBytes({ body: m.body, headers: m.headers.map(([key, value]) => ({ key, value })) })));
      return {
        deadLetters: fit.map(({ d, body: m }) => ({
          headers: m.headers.map(([key, value]) => ({ key, value })),
          body: Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength),
          priority: m.priority,
          reason: d.reason,
          deadLetteredAt: d.at,
          failed: d.failed,
          acquired: d.acquired,
        })),
        total,
      };
    }),

    ReplayDeadLetters: unary(ctx, 'ReplayDeadLetters', async (req, deadline) => {
      checkName('queue', req.queue);
      ordinary(req.queue, 'the dead-letter store');
      if (req.max < 1 || req.max > REPLAY_MAX) throw invalid(`max must be between 1 and ${REPLAY_MAX}, got ${req.max}`);
      const out = await queueWrite(ctx, queues, { op: 'dlq-replay', queue: req.queue, max: req.max }, deadline);
      return { replayed: out.reply.kind === 'replayed' ? out.reply.count : 0 };
    }),

    PurgeDeadLetters: unary(ctx, 'PurgeDeadLetters', async (req, deadline) => {
      checkName('queue', req.queue);
      ordinary(req.queue, 'the dead-letter store');
      const out = await queueWrite(ctx, queues, { op: 'dlq-purge', queue: req.queue }, deadline);
      return { purged: out.reply.kind === 'dlq-purged' ? out.reply.count : 0 };
    }),
  };
}
