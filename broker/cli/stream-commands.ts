// quorumq stream declare|delete|list|info, quorumq append, quorumq read.

import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import type { AppendRequest } from '../../proto/generated/quorumq/v1/AppendRequest.js';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { DeclareStreamResponse__Output } from '../../proto/generated/quorumq/v1/DeclareStreamResponse.js';
import type { ListStreamsResponse__Output } from '../../proto/generated/quorumq/v1/ListStreamsResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse__Output } from '../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import type { StreamMessage__Output } from '../../proto/generated/quorumq/v1/StreamMessage.js';
import type { SubscribeResponse__Output } from '../../proto/generated/quorumq/v1/SubscribeResponse.js';
import type { BrokerPool } from './client.js';
import { CallError } from './client.js';
import { isProtocolError } from './port-check.js';
import type { Out } from './cluster-commands.js';
import { Progress, table } from './output.js';
import { consistency, count, headersOf, parseDuration, parseSize, strip } from './flags.js';
import { UsageError } from './usage.js';

import type { Flags } from './flags.js';

export async function streamCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, name] = args;
  switch (sub) {
    case 'create':
    case 'declare': {
      if (!name) throw new UsageError(`usage: quorumq stream ${sub} NAME [--max-age DUR] [--max-bytes SIZE] [--max-messages N] [--max-message-bytes SIZE] [--dedup-window DUR] [--discard old|reject] [--partitions N]`);
      const discard = (flags.discard as string | undefined) ?? 'old';
      if (discard !== 'old' && discard !== 'reject') throw new UsageError(`--discard must be old or reject, got "${discard}"`);
      const settings = {
        maxAgeMs: parseDuration('--max-age', flags['max-age'] as string | undefined) ?? 0,
        maxBytes: parseSize('--max-bytes', flags['max-bytes'] as string | undefined) ?? 0,
        maxMessages: count('--max-messages', flags['max-messages'] as string | undefined, 0),
        maxMessageBytes: parseSize('--max-message-bytes', flags['max-message-bytes'] as string | undefined) ?? 0,
        dedupWindowMs: parseDuration('--dedup-window', flags['dedup-window'] as string | undefined) ?? 0,
        discard: discard === 'reject' ? 'DISCARD_REJECT' : 'DISCARD_OLD',
      };
      // The server checks the range (1-64, 0 for an ordinary stream) and names the field.
      const partitions = count('--partitions', flags.partitions as string | undefined, 0);
      const r = await pool.call<DeclareStreamResponse__Output>('DeclareStream', { name, settings, partitions });
      if (out.json) return out.print(JSON.stringify({ name, partitions, ...strip(r) }));
      const parts = partitions ? ` with ${partitions} partitions` : '';
      return out.print(r.created ? `stream ${name} declared${parts}` : `stream ${name} already exists with these settings${parts}`);
    }
    case 'delete': {
      if (!name) throw new UsageError('usage: quorumq stream delete NAME');
      const r = await pool.call<{ index: number }>('DeleteStream', { name });
      if (out.json) return out.print(JSON.stringify({ name, deleted: true, index: r.index }));
      return out.print(`stream ${name} deleted`);
    }
    case 'list': {
      const r = await pool.call<ListStreamsResponse__Output>('ListStreams', { consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(r.streams.map((s) => ({ ...s, nodes: undefined }))));
      if (r.streams.length === 0) return out.print('no streams');
      return out.print(
        table(
          ['NAME', 'PARTITIONS', 'FIRST', 'NEXT', 'MESSAGES', 'BYTES', 'CONSUMERS', 'PRODUCERS'],
          // Offsets of a partitioned stream are per partition: stream info shows them.
          r.streams.map((s) => [s.name, s.partitions || '-', s.partitions ? '-' : s.firstOffset, s.partitions ? '-' : s.nextOffset, s.messageCount, s.bytes, s.consumers, s.producers]),
        ),
      );
    }
    case 'info': {
      if (!name) throw new UsageError('usage: quorumq stream info NAME');
      const r = await pool.call<StreamInfoResponse__Output>('StreamInfo', { name, consistency: consistency(flags) });
      if (out.json) return out.print(JSON.stringify(strip(r), null, 2));
      const s = r.settings!;
      if (r.partitions) {
        out.print(`stream ${r.name}: ${r.partitions} partitions (one Raft group each), ${r.messageCount} messages, ${r.bytes} bytes in all`);
        out.print(
          `limits (per partition): max-age ${s.maxAgeMs || '-'} ms, max-bytes ${s.maxBytes || '-'}, max-messages ${s.maxMessages || '-'}, max-message-bytes ${s.maxMessageBytes}, dedup-window ${s.dedupWindowMs} ms, discard ${s.discard === 'DISCARD_REJECT' ? 'reject' : 'old'}`,
        );
        out.print(`consumers ${r.consumers}, producers ${r.producers} (summed over partitions; served by node ${r.servedBy})`);
        out.print(table(['PARTITION', 'GROUP', 'LEADER', 'FIRST', 'NEXT', 'MESSAGES', 'BYTES'], r.partitionInfo.map((p) => [p.partition, p.group, p.leader || '-', p.firstOffset, p.nextOffset, p.messageCount, p.bytes])));
        return;
      }
      out.print(`stream ${r.name}: offsets ${r.firstOffset}..${r.messageCount ? r.lastOffset : '(empty)'}, next ${r.nextOffset}, ${r.messageCount} messages, ${r.bytes} bytes`);
      out.print(
        `limits: max-age ${s.maxAgeMs || '-'} ms, max-bytes ${s.maxBytes || '-'}, max-messages ${s.maxMessages || '-'}, max-message-bytes ${s.maxMessageBytes}, dedup-window ${s.dedupWindowMs} ms, discard ${s.discard === 'DISCARD_REJECT' ? 'reject' : 'old'}`,
      );
      out.print(`consumers ${r.consumers}, producers ${r.producers}, declared at index ${r.createdIndex} (served by node ${r.servedBy})`);
      out.print(table(['NODE', 'APPLIED-OFFSET', 'REPLICATED-OFFSET', 'REACHABLE'], r.nodes.map((n) => [n.id, n.appliedOffset, n.replicatedOffset || '-', n.reachable ? 'yes' : 'no'])));
      return;
    }
    default:
      throw new UsageError(`unknown stream command "${sub ?? ''}": use declare (or create), delete, list or info`);
  }
}

/** Appends with up to `window` requests in flight on one AppendStream call; resolves when all are confirmed. */
async function appendStreaming(pool: BrokerPool, reqs: AsyncIterable<AppendRequest> | Iterable<AppendRequest>, window: number, onConfirm: (r: AppendResponse__Output, n: number) => void): Promise<{ failed: number; firstError: string }> {
  const call = pool.raw().AppendStream({ deadline: Date.now() + 3_600_000 });
  let inflight = 0;
  let failed = 0;
  let firstError = '';
  let waiting: (() => void) | undefined;
  const sizes: number[] = [];
  let confirmed = 0;
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (r: AppendResponse__Output) => {
      inflight--;
      const n = sizes[confirmed++] ?? 1;
      if (r.errorCode) {
        failed += n;
        firstError ||= `${grpc.status[r.errorCode]}: ${r.errorMessage}`;
      }
      onConfirm(r, n);
      const w = waiting;
      waiting = undefined;
      w?.();
    });
    call.on('error', (e: grpc.ServiceError) => reject(new CallError(e.code, e.details, pool.current)));
    call.on('end', () => resolve());
  });
  done.catch(() => {
    const w = waiting;
    waiting = undefined;
    w?.();
  });
  let id = 0;
  for await (const req of reqs) {
    while (inflight >= window) await new Promise<void>((r) => (waiting = r));
    sizes.push(req.messages?.length ?? 1);
    inflight++;
    call.write({ ...req, requestId: id++ });
  }
  call.end();
  await done;
  return { failed, firstError };
}

export async function appendCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [stream, ...bodies] = args;
  if (!stream) throw new UsageError('usage: quorumq append STREAM [MESSAGE...] [--header k=v] [--producer ID [--seq N]] | --count N --size SIZE');
  const headers = headersOf(flags);
  const producerId = (flags.producer as string | undefined) ?? '';
  const key = (flags.key as string | undefined) ?? '';
  let seq = count('--seq', flags.seq as string | undefined, 1);
  const withSeq = (req: AppendRequest): AppendRequest => ({ ...(producerId ? { ...req, producerId, sequence: seq++ } : req), key });

  if (flags.count !== undefined) {
    const n = count('--count', flags.count as string, 0);
    const size = parseSize('--size', flags.size as string | undefined) ?? 100;
    const batch = Math.max(1, count('--batch', flags.batch as string | undefined, 1));
    const window = Math.max(1, count('--concurrency', flags.concurrency as string | undefined, 256));
    const body = Buffer.alloc(size, 'x');
    const progress = new Progress('append', n);
    const t0 = Date.now();
    function* gen(): Generator<AppendRequest> {
      for (let i = 0; i < n; i += batch) {
        const k = Math.min(batch, n - i);
        yield withSeq({ stream, messages: Array.from({ length: k }, () => ({ headers, body })) });
      }
    }
    const lat: number[] = [];
    const r = await appendStreaming(pool, gen(), window, (_res, k) => {
      progress.tick(k);
      void lat;
    });
    progress.finish();
    const secs = (Date.now() - t0) / 1000;
    const summary = { count: n, failed: r.failed, seconds: secs, perSecond: Math.round(n / secs), server: pool.current };
    if (out.json) out.print(JSON.stringify({ ...summary, firstError: r.firstError || undefined }));
    else out.print(`appended ${n - r.failed} of ${n} messages of ${size} bytes in ${secs.toFixed(2)} s (${summary.perSecond}/s)${r.failed ? `; ${r.failed} failed, first: ${r.firstError}` : ''}`);
    if (r.failed) process.exitCode = 1;
    return;
  }

  const print = (r: AppendResponse__Output & { _server?: string }, what: string): void => {
    if (out.json) out.print(JSON.stringify({ stream, partition: r.partition, firstOffset: r.firstOffset, count: r.count, timestamp: r.timestamp, duplicate: r.duplicate, index: r.index, leader: r.leader }));
    else out.print(`${what}: ${r.partition ? `partition ${r.partition}, ` : ''}offset${r.count > 1 ? `s ${r.firstOffset}..${r.firstOffset + r.count - 1}` : ` ${r.firstOffset}`}${r.duplicate ? ' (duplicate: stored before)' : ''}`);
  };

  if (bodies.length > 0) {
    // Arguments: one atomic batch.
    const r = await pool.call<AppendResponse__Output>('Append', withSeq({ stream, messages: bodies.map((b) => ({ headers, body: Buffer.from(b) })) }));
    print(r, `appended ${bodies.length} message${bodies.length > 1 ? 's' : ''}`);
    return;
  }
  if (process.stdin.isTTY) throw new UsageError('quorumq append STREAM needs messages as arguments, on stdin (one per line), or --count N');
  // Stdin: one message per line, streamed with many in flight.
  async function* lines(): AsyncGenerator<AppendRequest> {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) yield withSeq({ stream, messages: [{ headers, body: Buffer.from(line) }] });
  }
  let n = 0;
  const r = await appendStreaming(pool, lines(), 256, (res) => {
    n++;
    if (!res.errorCode) print(res, 'appended');
  });
  if (r.failed) {
    process.stderr.write(`quorumq: ${r.failed} of ${n} appends failed, first: ${r.firstError}\n`);
    process.exitCode = 1;
  }
}

/** One message; `partitioned`: the stream's offsets are per partition, so the partition is shown too. */
function show(m: StreamMessage__Output, out: Out, partitioned = false): void {
  if (out.json) {
    out.print(JSON.stringify({ ...(partitioned ? { partition: m.partition } : {}), offset: m.offset, timestamp: m.timestamp, headers: Object.fromEntries(m.headers.map((h) => [h.key, h.value])), body: m.body.toString('utf8') }));
  } else {
    const hs = m.headers.length ? ` [${m.headers.map((h) => `${h.key}=${h.value}`).join(' ')}]` : '';
    out.print(`${partitioned ? `${m.partition}/` : ''}${m.offset}  ${new Date(m.timestamp).toISOString()}${hs}  ${m.body.toString('utf8')}`);
  }
}

export async function readCommand(pool: BrokerPool, args: string[], flags: Flags, out: Out): Promise<void> {
  const [stream] = args;
  if (!stream) throw new UsageError('usage: quorumq read STREAM [--from OFFSET|first|new] [--count N] [--follow] [--consistency local|linearizable]');
  const from = (flags.from as string | undefined) ?? 'first';
  const limit = count('--count', flags.count as string | undefined, flags.follow ? 0 : 100);
  const cons = consistency(flags);
  const info = await pool.call<StreamInfoResponse__Output>('StreamInfo', { name: stream, consistency: cons });
  if (info.partitions) return readPartitioned(pool, stream, info, from, limit, flags, out);
  if (!flags.follow) {
    let offset: number;
    if (from === 'first' || from === 'new') {
      offset = from === 'first' ? info.firstOffset : info.nextOffset;
    } else offset = count('--from', from, 0);
    let left = limit || Infinity;
    while (left > 0) {
      const r = await pool.call<ReadResponse__Output>('Read', { stream, fromOffset: offset, maxMessages: Math.min(left, 1000), consistency: cons });
      for (const m of r.messages) show(m, out);
      left -= r.messages.length;
      offset = r.nextOffset;
      if (r.messages.length === 0 || offset >= r.endOffset) break;
    }
    return;
  }
  // --follow: a subscription with credit; resumes on another server from the next offset if one goes away.
  let next: number | undefined = from === 'first' || from === 'new' ? undefined : count('--from', from, 0);
  let shown = 0;
  const CREDIT = 500;
  for (let attempt = 0; ; attempt++) {
    const ended = await new Promise<string | undefined>((resolve, reject) => {
      const call = pool.raw().Subscribe();
      let granted = CREDIT;
      call.write({
        stream,
        start: next !== undefined ? 'START_AT_OFFSET' : from === 'new' ? 'START_NEW' : 'START_FIRST',
        offset: next ?? 0,
        consistency: cons,
        credit: CREDIT,
      });
      call.on('data', (r: SubscribeResponse__Output) => {
        for (const m of r.messages) {
          show(m, out);
          next = m.offset + 1;
          shown++;
          if (limit && shown >= limit) {
            call.cancel();
            resolve('count');
            return;
          }
        }
        granted -= r.messages.length;
        if (granted < CREDIT / 2) {
          call.write({ credit: CREDIT - granted });
          granted = CREDIT;
        }
        if (r.ended) resolve(r.ended);
      });
      call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve('count') : reject(new CallError(e.code, e.details, pool.current))));
      call.on('end', () => resolve('ended'));
    }).catch((e: unknown) => {
      // A port that does not speak gRPC (a metrics port) will not start to: no retry.
      if (e instanceof CallError && e.code === grpc.status.UNAVAILABLE && !isProtocolError(e) && attempt < 20) {
        process.stderr.write(`quorumq: ${pool.current} went away (${e.details}); resuming on ${pool.next()} from offset ${next ?? from}\n`);
        return undefined;
      }
      throw e;
    });
    if (ended !== undefined) {
      if (ended !== 'count' && ended !== 'ended') process.stderr.write(`quorumq: ${ended}\n`);
      return;
    }
  }
}

/**
 * `quorumq read` on a partitioned stream: every partition (or --partition P),
 * each in offset order, one offset per partition; --follow subscribes to
 * them and resumes each partition after its last shown offset elsewhere.
 */
async function readPartitioned(pool: BrokerPool, stream: string, info: StreamInfoResponse__Output, from: string, limit: number, flags: Flags, out: Out): Promise<void> {
  const cons = consistency(flags);
  const one = flags.partition === undefined ? undefined : count('--partition', flags.partition as string, 0);
  if (one !== undefined && one >= info.partitions) throw new UsageError(`--partition must be below ${info.partitions} (stream ${stream} has ${info.partitions} partitions), got ${one}`);
  const partitions = one === undefined ? info.partitionInfo.map((p) => p.partition) : [one];
  const start = (p: number): number => {
    const pi = info.partitionInfo[p]!;
    return from === 'first' ? pi.firstOffset : from === 'new' ? pi.nextOffset : count('--from', from, 0);
  };
  const next = new Map(partitions.map((p) => [p, start(p)]));
  if (!flags.follow) {
    let left = limit || Infinity;
    while (left > 0) {
      const r = await pool.call<ReadResponse__Output>('Read', { stream, partitions, fromOffsets: partitions.map((p) => next.get(p)!), maxMessages: Math.min(left, 1000), consistency: cons });
      for (const m of r.messages) show(m, out, true);
      left -= r.messages.length;
      r.partitions.forEach((p, i) => next.set(p, r.nextOffsets[i]!));
      if (r.messages.length === 0) break;
    }
    return;
  }
  let shown = 0;
  const CREDIT = 500;
  for (let attempt = 0; ; attempt++) {
    const ended = await new Promise<string | undefined>((resolve, reject) => {
      const call = pool.raw().Subscribe();
      let granted = CREDIT;
      call.write({ stream, start: 'START_AT_OFFSET', partitions, offsets: partitions.map((p) => next.get(p)!), consistency: cons, credit: CREDIT });
      call.on('data', (r: SubscribeResponse__Output) => {
        for (const m of r.messages) {
          show(m, out, true);
          next.set(m.partition, m.offset + 1);
          shown++;
          if (limit && shown >= limit) {
            call.cancel();
            resolve('count');
            return;
          }
        }
        granted -= r.messages.length;
        if (granted < CREDIT / 2) {
          call.write({ credit: CREDIT - granted });
          granted = CREDIT;
        }
        if (r.ended) resolve(r.ended);
      });
      call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve('count') : reject(new CallError(e.code, e.details, pool.current))));
      call.on('end', () => resolve('ended'));
    }).catch((e: unknown) => {
      if (e instanceof CallError && e.code === grpc.status.UNAVAILABLE && !isProtocolError(e) && attempt < 20) {
        process.stderr.write(`quorumq: ${pool.current} went away (${e.details}); resuming on ${pool.next()}\n`);
        return undefined;
      }
      throw e;
    });
    if (ended !== undefined) {
      if (ended !== 'count' && ended !== 'ended') process.stderr.write(`quorumq: ${ended}\n`);
      return;
    }
  }
}
