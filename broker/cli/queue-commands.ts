// quorumq queue declare|delete|purge|list|info, quorumq publish, quorumq
// consume, quorumq dlq list|replay|purge.

import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import type { ConsumeResponse__Output } from '../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { Delivery__Output } from '../../proto/generated/quorumq/v1/Delivery.js';
import type { GetMessagesResponse__Output } from '../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import type { SettleResponse__Output } from '../../proto/generated/quorumq/v1/SettleResponse.js';
import type { ListSchedulesResponse__Output } from '../../proto/generated/quorumq/v1/ListSchedulesResponse.js';
import type { ListDeadLettersResponse__Output } from '../../proto/generated/quorumq/v1/ListDeadLettersResponse.js';
import type { PublishResponse__Output } from '../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { QueueMessage } from '../../proto/generated/quorumq/v1/QueueMessage.js';
import type { BrokerPool } from './client.js';
import { CallError } from './client.js';
import type { Out } from './cluster-commands.js';
import { Progress, table } from './output.js';
import type { Flags } from './flags.js';
import { consistency, count, headersOf, parseDuration, parseSize } from './flags.js';
import { UsageError } from './usage.js';
import { exchangePublishCommand } from './exchange-commands.js';

const str = (flags: Flags, k: string): string | undefined => flags[k] as string | undefined;
const SCHEDULE_ADD_USAGE = "quorumq schedule add QUEUE NAME MESSAGE (--every DUR | --cron 'M H DOM MON DOW') [--first-at TIME] [--header k=v] [--priority P] [--ttl DUR] [--group KEY]  (cron in UTC)";

function infoLine(q: QueueInfoResponse__Output): string {
  return `queue ${q.name}: ${q.ready} ready, ${q.delayed} delayed, ${q.unacked} unacked, ${q.deadLettered} dead-lettered, ${q.bytes} bytes, ${q.consumers} consumers`;
}

/** --overflow values and the wire's. */
const OVERFLOWS: Readonly<Record<string, string>> = { 'reject-publish': 'OVERFLOW_REJECT_PUBLISH', 'drop-head': 'OVERFLOW_DROP_HEAD', 'reject-publish-dlx': 'OVERFLOW_REJECT_PUBLISH_DLX' };

export async function queueCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, name] = args;
  switch (sub) {
    case 'declare': {
      if (!name) throw new UsageError('usage: quorumq queue declare NAME [--max-messages N] [--max-bytes SIZE] [--max-message-bytes SIZE] [--overflow reject-publish|drop-head|reject-publish-dlx] [--ttl DUR] [--delivery-limit N|-1] [--ack-timeout DUR] [--dead-letter store|drop] [--max-dead-letters N] [--single-active-consumer] [--dead-letter-queue NAME | --dead-letter-exchange X [--dead-letter-routing-key K]] [--retry-base DUR [--retry-max DUR] [--retry-factor F] [--retry-jitter PERCENT]] [--partitions N [--replicas R|all]]');
      const overflow = str(flags, 'overflow') ?? 'reject-publish';
      const wireOverflow = OVERFLOWS[overflow];
      if (!wireOverflow) throw new UsageError(`--overflow must be one of ${Object.keys(OVERFLOWS).join(', ')}, got "${overflow}"`);
      const deadLetter = str(flags, 'dead-letter') ?? 'store';
      if (deadLetter !== 'store' && deadLetter !== 'drop') throw new UsageError(`--dead-letter must be store or drop, got "${deadLetter}"`);
      const dl = str(flags, 'delivery-limit');
      if (dl !== undefined && !/^(-1|\d+)$/.test(dl)) throw new UsageError(`--delivery-limit must be a number of failed deliveries, or -1 for no limit, got "${dl}"`);
      const settings = {
        maxMessages: count('--max-messages', str(flags, 'max-messages'), 0),
        maxBytes: parseSize('--max-bytes', str(flags, 'max-bytes')) ?? 0,
        maxMessageBytes: parseSize('--max-message-bytes', str(flags, 'max-message-bytes')) ?? 0,
        overflow: wireOverflow,
        messageTtlMs: parseDuration('--ttl', str(flags, 'ttl')) ?? 0,
        deliveryLimit: dl === undefined ? 0 : Number(dl),
        ackTimeoutMs: parseDuration('--ack-timeout', str(flags, 'ack-timeout')) ?? 0,
        deadLetter: deadLetter === 'drop' ? 'DEAD_LETTER_DROP' : 'DEAD_LETTER_STORE',
        maxDeadLetters: count('--max-dead-letters', str(flags, 'max-dead-letters'), 0),
        singleActiveConsumer: flags['single-active-consumer'] === true,
        deadLetterQueue: str(flags, 'dead-letter-queue') ?? '',
        deadLetterExchange: str(flags, 'dead-letter-exchange') ?? '',
        deadLetterRoutingKey: str(flags, 'dead-letter-routing-key') ?? '',
        retryBaseMs: parseDuration('--retry-base', str(flags, 'retry-base')) ?? 0,
        retryMaxMs: parseDuration('--retry-max', str(flags, 'retry-max')) ?? 0,
        retryFactor: count('--retry-factor', str(flags, 'retry-factor'), 0),
        retryJitterPercent: jitter(str(flags, 'retry-jitter')),
      };
      const partitions = count('--partitions', str(flags, 'partitions'), 0);
      const rf = str(flags, 'replicas');
      // "all" is the default (0): every voter, at most 5; the server checks a number against the voters.
      const replicas = rf === 'all' ? 0 : count('--replicas', rf, 0);
      if (rf !== undefined && !partitions) throw new UsageError('--replicas needs --partitions: an ordinary queue lives in the metadata group, on every voter');
      const r = await pool.call<{ created: boolean; index: number }>('DeclareQueue', { name, settings, partitions, replicas });
      if (out.json) return out.print(JSON.stringify({ name, created: r.created, index: r.index }));
      return out.print(r.created ? `queue ${name} declared` : `queue ${name} already exists with these settings`);
    }
    case 'delete': {
      if (!name) throw new UsageError('usage: quorumq queue delete NAME');
      const r = await pool.call<{ index: number }>('DeleteQueue', { name });
      return out.print(out.json ? JSON.stringify({ name, deleted: true, index: r.index }) : `queue ${name} deleted`);
    }
    case 'purge': {
      if (!name) throw new UsageError('usage: quorumq queue purge NAME');
      const r = await pool.call<{ purged: number }>('PurgeQueue', { name });
      return out.print(out.json ? JSON.stringify({ name, purged: r.purged }) : `queue ${name}: ${r.purged} messages purged`);
    }
    case 'list': {
      const r = await pool.call<{ queues: QueueInfoResponse__Output[] }>('ListQueues', { consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(r.queues));
      if (r.queues.length === 0) return out.print('no queues');
      return out.print(table(['NAME', 'PARTITIONS', 'READY', 'DELAYED', 'UNACKED', 'DEAD', 'BYTES', 'CONSUMERS'], r.queues.map((q) => [q.name, q.partitions || '-', q.ready, q.delayed, q.unacked, q.deadLettered, q.bytes, q.consumers])));
    }
    case 'info': {
      if (!name) throw new UsageError('usage: quorumq queue info NAME');
      const q = await pool.call<QueueInfoResponse__Output>('QueueInfo', { name, consistency: consistency(flags) });
      if (out.json) {
        const { _server, ...rest } = q;
        void _server;
        return out.print(JSON.stringify(rest, null, 2));
      }
      const s = q.settings!;
      out.print(infoLine(q));
      if (q.partitions) out.print(`partitions: ${q.partitions} (one Raft group each: quorumq cluster status shows their leaders); the figures are their sums`);
      out.print(`published ${q.published}, delivered ${q.delivered} (redelivered ${q.redelivered}), acked ${q.acked}, failed ${q.failed}, expired ${q.expired}, dead letters dropped ${q.deadLetterDropped}`);
      out.print(
        `settings: max-messages ${s.maxMessages || '-'}, max-bytes ${s.maxBytes || '-'}, max-message-bytes ${s.maxMessageBytes}, overflow ${Object.keys(OVERFLOWS).find((k) => OVERFLOWS[k] === s.overflow) ?? String(s.overflow)}, ttl ${s.messageTtlMs || '-'} ms, delivery-limit ${s.deliveryLimit < 0 ? 'none' : s.deliveryLimit}, ack-timeout ${s.ackTimeoutMs || '-'} ms, dead-letter ${s.deadLetter === 'DEAD_LETTER_DROP' ? 'drop' : 'store'} (max ${s.maxDeadLetters})`,
      );
      out.print(
        `consumers: ${s.singleActiveConsumer ? `single active (${q.activeConsumer || 'none yet'})` : 'all receive'}; dead letters to ${s.deadLetterExchange ? `exchange ${s.deadLetterExchange} (key ${s.deadLetterRoutingKey || q.name})` : s.deadLetterQueue ? `queue ${s.deadLetterQueue}` : 'its own store'}; retry backoff ${s.retryBaseMs ? `${s.retryBaseMs} ms x${s.retryFactor} up to ${s.retryMaxMs} ms, jitter ${s.retryJitterPercent < 0 ? 0 : s.retryJitterPercent}%` : 'none'}`,
      );
      out.print(`ready by priority: ${q.readyByPriority.length ? q.readyByPriority.map((p) => `${p.priority}=${p.ready}`).join(' ') : '-'}`);
      out.print(
        `groups: ${q.groups} held, ${q.groupsReady} with messages ready${q.topGroups.length ? `; most ready: ${q.topGroups.map((g) => `${g.group}=${g.ready}${g.inFlight ? ' (in flight)' : ''}`).join(', ')}` : ''}`,
      );
      return out.print(`(served by node ${q.servedBy})`);
    }
    case 'get': {
      if (!name) throw new UsageError('usage: quorumq queue get NAME [--count N] [--wait DUR] [--ack|--requeue|--reject|--keep] [--consumer C] [--lease DUR]');
      const max = Math.max(1, count('--count', str(flags, 'count'), 1));
      const waitMs = parseDuration('--wait', str(flags, 'wait')) ?? 0;
      const leaseMs = parseDuration('--lease', str(flags, 'lease')) ?? 0;
      const how = flags.keep ? undefined : flags.requeue ? 'requeue' : flags.reject ? 'reject' : 'ack';
      const r = await pool.call<GetMessagesResponse__Output>('GetMessages', { queue: name, max, waitMs, consumer: str(flags, 'consumer') ?? '', leaseMs, priority: consumerPriority(flags) }, waitMs + pool.timeout);
      for (const d of r.deliveries) showDelivery(d, out);
      let unknown: number[] = [];
      if (how && r.deliveries.length) {
        const s = await pool.call<SettleResponse__Output>('Settle', { queue: name, consumer: r.consumer, [how]: r.deliveries.map((d) => d.tag) });
        unknown = s.unknownTags.map(Number);
      }
      const summary = { consumer: r.consumer, got: r.deliveries.length, settled: how ? r.deliveries.length - unknown.length : 0, outcome: how ?? 'kept', servedBy: r.servedBy };
      if (out.json) return out.print(JSON.stringify(summary));
      const done = how === 'ack' ? 'acked' : how === 'requeue' ? 'requeued' : how === 'reject' ? 'rejected' : '';
      process.stderr.write(`${summary.got} message${summary.got === 1 ? '' : 's'} from ${name} (consumer ${r.consumer}, node ${r.servedBy})${how ? `, ${summary.settled} ${done}` : ', kept unsettled'}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown queue command "${sub ?? ''}": use declare, delete, purge, list, info or get`);
  }
}

/** --retry-jitter: a percentage (0 for none) as the settings carry it (-1 for none, 0 for the default). */
function jitter(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = count('--retry-jitter', v, 0);
  if (n > 100) throw new UsageError(`--retry-jitter must be a percentage between 0 and 100, got ${n}`);
  return n === 0 ? -1 : n;
}

/** A time as ISO 8601 or ms since the Unix epoch, for --at and --first-at. */
function parseTime(flag: string, v: string | undefined): number {
  if (v === undefined) return 0;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isSafeInteger(t) || t <= 0) throw new UsageError(`${flag} must be a time (ISO 8601, or ms since the Unix epoch), got "${v}"`);
  return t;
}

function messageOptions(flags: Flags): Omit<QueueMessage, 'body'> {
  const priority = count('--priority', str(flags, 'priority'), 0);
  if (priority > 31) throw new UsageError(`--priority must be between 0 and 31, got ${priority}`);
  return {
    headers: headersOf(flags),
    priority,
    ttlMs: parseDuration('--ttl', str(flags, 'ttl')) ?? 0,
    delayMs: parseDuration('--delay', str(flags, 'delay')) ?? 0,
    deliverAtMs: parseTime('--at', str(flags, 'at')),
    messageId: str(flags, 'id') ?? '',
    group: str(flags, 'group') ?? '',
  };
}

export async function scheduleCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, queue, name, text] = args;
  switch (sub) {
    case 'add': {
      if (!queue || !name || text === undefined) throw new UsageError(`usage: ${SCHEDULE_ADD_USAGE}`);
      const everyMs = parseDuration('--every', str(flags, 'every')) ?? 0;
      const cron = str(flags, 'cron') ?? '';
      if (!everyMs && !cron) throw new UsageError('--every or --cron is required: how often the message is published (e.g. --every 5m, or --cron "*/5 * * * *" in UTC)');
      if (everyMs && cron) throw new UsageError('--every and --cron: give one of them');
      const message = { ...messageOptions(flags), body: Buffer.from(text) };
      const r = await pool.call<{ created: boolean }>('AddSchedule', { queue, name, everyMs, cron, firstAtMs: parseTime('--first-at', str(flags, 'first-at')), message });
      const when = cron ? `on cron "${cron}" (UTC)` : `every ${everyMs} ms`;
      return out.print(out.json ? JSON.stringify({ queue, name, created: r.created }) : r.created ? `schedule ${name} added to ${queue}: ${when}` : `schedule ${name} of ${queue} already exists with these settings`);
    }
    case 'list': {
      if (!queue) throw new UsageError('usage: quorumq schedule list QUEUE');
      const r = await pool.call<ListSchedulesResponse__Output>('ListSchedules', { queue, consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(r.schedules));
      if (!r.schedules.length) return out.print(`no schedules on ${queue}`);
      return out.print(table(['NAME', 'WHEN', 'NEXT', 'PUBLISHED'], r.schedules.map((s) => [s.name, s.cron ? `cron ${s.cron} (UTC)` : `every ${s.everyMs} ms`, new Date(Number(s.nextAtMs)).toISOString(), s.published])));
    }
    case 'remove': {
      if (!queue || !name) throw new UsageError('usage: quorumq schedule remove QUEUE NAME');
      await pool.call('RemoveSchedule', { queue, name });
      return out.print(out.json ? JSON.stringify({ queue, name, removed: true }) : `schedule ${name} removed from ${queue}`);
    }
    default:
      throw new UsageError(`unknown schedule command "${sub ?? ''}": use add, list or remove`);
  }
}

export async function publishCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  if (flags.exchange !== undefined) return exchangePublishCommand(pool, args, flags, out, messageOptions(flags));
  const [queue, ...bodies] = args;
  if (!queue) throw new UsageError('usage: quorumq publish QUEUE [MESSAGE...] [--header k=v] [--priority P] [--ttl DUR] [--delay DUR] [--id ID] [--group KEY] [--producer ID [--seq N]] | --count N --size SIZE [--batch B] [--concurrency C]');
  const opts = messageOptions(flags);
  if (flags.count !== undefined) {
    const n = count('--count', str(flags, 'count'), 0);
    const size = parseSize('--size', str(flags, 'size')) ?? 100;
    const batch = Math.max(1, count('--batch', str(flags, 'batch'), 1));
    const window = Math.max(1, count('--concurrency', str(flags, 'concurrency'), 64));
    const body = Buffer.alloc(size, 'x');
    const progress = new Progress('publish', n);
    const t0 = Date.now();
    let next = 0;
    let failed = 0;
    let firstError = '';
    const worker = async (): Promise<void> => {
      while (next < n) {
        const k = Math.min(batch, n - next);
        next += k;
        try {
          await pool.call<PublishResponse__Output>('Publish', { queue, messages: Array.from({ length: k }, () => ({ ...opts, body })) });
        } catch (e) {
          failed += k;
          firstError ||= (e as Error).message;
        }
        progress.tick(k);
      }
    };
    await Promise.all(Array.from({ length: window }, worker));
    progress.finish();
    const secs = (Date.now() - t0) / 1000;
    const summary = { count: n, failed, seconds: secs, perSecond: Math.round(n / secs), server: pool.current };
    if (out.json) out.print(JSON.stringify({ ...summary, firstError: firstError || undefined }));
    else out.print(`published ${n - failed} of ${n} messages of ${size} bytes in ${secs.toFixed(2)} s (${summary.perSecond}/s)${failed ? `; ${failed} failed, first: ${firstError}` : ''}`);
    if (failed) process.exitCode = 1;
    return;
  }
  let lines = bodies;
  if (lines.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('quorumq publish QUEUE needs messages as arguments, on stdin (one per line), or --count N');
    lines = [];
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) lines.push(line);
  }
  // Arguments or stdin: one atomic publish (at most 10 000 messages each); with
  // --producer, numbered from --seq so that running the command again stores nothing twice.
  const producerId = str(flags, 'producer') ?? '';
  let seq = count('--seq', str(flags, 'seq'), 1);
  for (let i = 0; i < lines.length; i += 10_000) {
    const part = lines.slice(i, i + 10_000);
    const r = await pool.call<PublishResponse__Output>('Publish', { queue, producerId, sequence: producerId ? seq++ : 0, messages: part.map((b) => ({ ...opts, body: Buffer.from(b) })) });
    if (out.json) out.print(JSON.stringify({ queue, count: r.count, deduplicated: r.deduplicated, duplicate: r.duplicate, index: r.index, leader: r.leader }));
    else out.print(`published ${r.count} message${r.count === 1 ? '' : 's'} to ${queue}${r.duplicate ? ' (duplicate: stored before)' : ''}${r.deduplicated ? ` (${r.deduplicated} skipped: id seen before)` : ''}`);
  }
}

/** --priority of a consumer: 0 to 255, higher first. */
function consumerPriority(flags: Flags): number {
  const p = count('--priority', str(flags, 'priority'), 0);
  if (p > 255) throw new UsageError(`--priority of a consumer must be between 0 and 255, got ${p}`);
  return p;
}

function showDelivery(d: Delivery__Output, out: Out): void {
  const body = Buffer.from(d.body).toString('utf8');
  if (out.json) {
    out.print(JSON.stringify({ tag: d.tag, priority: d.priority, redelivered: d.redelivered, acquired: d.acquired, failed: d.failed, headers: Object.fromEntries(d.headers.map((h) => [h.key, h.value])), body }));
  } else {
    const hs = d.headers.length ? ` [${d.headers.map((h) => `${h.key}=${h.value}`).join(' ')}]` : '';
    out.print(`${d.tag}${d.redelivered ? ' (redelivered)' : ''}${hs}  ${body}`);
  }
}

export async function consumeCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [queue] = args;
  if (!queue) throw new UsageError('usage: quorumq consume QUEUE [--prefetch N] [--priority P] [--count N] [--ack|--requeue|--reject] [--follow]');
  const prefetch = Math.max(1, count('--prefetch', str(flags, 'prefetch'), 16));
  const priority = consumerPriority(flags);
  const limit = count('--count', str(flags, 'count'), 0);
  const how = flags.requeue ? 'requeue' : flags.reject ? 'reject' : 'ack';
  const follow = flags.follow === true;
  // Without --follow: stop once no delivery came for this long.
  const idleMs = 1000;
  await new Promise<void>((resolve, reject) => {
    const call = pool.raw().Consume();
    let got = 0;
    let settled = 0;
    let requestId = 0;
    let idle: NodeJS.Timeout | undefined;
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      if (idle) clearTimeout(idle);
      call.end();
    };
    const arm = (): void => {
      if (follow) return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
    };
    call.on('data', (r: ConsumeResponse__Output) => {
      for (const d of r.deliveries) {
        if (limit && got >= limit) break;
        got++;
        showDelivery(d, out);
        call.write({ [how]: [d.tag], requestId: ++requestId });
      }
      if (r.confirmed) {
        settled++;
        if (limit && settled >= limit) stop();
      }
      if (r.ended && !stopping) process.stderr.write(`quorumq: ${r.ended}\n`);
      if (!(limit && got >= limit)) arm();
    });
    call.on('error', (e: grpc.ServiceError) => (stopping && e.code === grpc.status.CANCELLED ? resolve() : reject(new CallError(e.code, e.details, pool.current))));
    call.on('end', () => resolve());
    call.write({ queue, prefetch, priority });
    arm();
  });
}

export async function dlqCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, queue] = args;
  if (!queue) throw new UsageError('usage: quorumq dlq list|replay|purge QUEUE [--count N]');
  switch (sub) {
    case 'list': {
      const r = await pool.call<ListDeadLettersResponse__Output>('ListDeadLetters', { queue, max: count('--count', str(flags, 'count'), 100), consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify({ total: r.total, deadLetters: r.deadLetters.map((d) => ({ ...d, body: Buffer.from(d.body).toString('utf8'), headers: Object.fromEntries(d.headers.map((h) => [h.key, h.value])) })) }));
      out.print(`${r.total} dead letters in ${queue}`);
      if (r.deadLetters.length) out.print(table(['REASON', 'AT', 'FAILED', 'ACQUIRED', 'BODY'], r.deadLetters.map((d) => [d.reason, new Date(Number(d.deadLetteredAt)).toISOString(), d.failed, d.acquired, Buffer.from(d.body).toString('utf8')])));
      return;
    }
    case 'replay': {
      const r = await pool.call<{ replayed: number }>('ReplayDeadLetters', { queue, max: count('--count', str(flags, 'count'), 100_000) });
      return out.print(out.json ? JSON.stringify({ queue, replayed: r.replayed }) : `${r.replayed} dead letters moved back to ${queue}`);
    }
    case 'purge': {
      const r = await pool.call<{ purged: number }>('PurgeDeadLetters', { queue });
      return out.print(out.json ? JSON.stringify({ queue, purged: r.purged }) : `${r.purged} dead letters purged from ${queue}`);
    }
    default:
      throw new UsageError(`unknown dlq command "${sub ?? ''}": use list, replay or purge`);
  }
}
