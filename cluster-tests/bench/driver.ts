// Load generators over the public Broker API, as a user's client would run
// them: appends and publishes on AppendStream / PublishStream calls with a window of requests in flight
// (closed loop) or at a fixed offered rate (open loop, latency measured from
// the time each request was due, so a stalled server cannot hide its queue),
// reads with Read, and subscriptions with credit.

import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { BrokerClient } from '../../proto/generated/quorumq/v1/Broker.js';
import type { ConsumeResponse__Output } from '../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { SubscribeResponse__Output } from '../../proto/generated/quorumq/v1/SubscribeResponse.js';

const clients = new Map<string, BrokerClient>();
/** Addresses served over TLS (the tls workload), with the credentials to reach them; others are plaintext. */
const tlsCredentials = new Map<string, grpc.ChannelCredentials>();

/** Reach `addrs` over TLS with `creds` from now on. */
export function useTls(addrs: readonly string[], creds: grpc.ChannelCredentials): void {
  for (const a of addrs) tlsCredentials.set(a, creds);
}

/** One gRPC client (one HTTP/2 connection) per server address and slot. */
export function brokerClient(addr: string, slot = 0): BrokerClient {
  const key = `${addr}#${slot}`;
  let c = clients.get(key);
  if (!c) {
    // A distinct channel option per slot keeps channels (connections) apart.
    c = new (quorumqV1().Broker)(addr, tlsCredentials.get(addr) ?? grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 << 20,
      'grpc.max_send_message_length': 64 << 20,
      'bench.slot': slot,
    }) as unknown as BrokerClient;
    clients.set(key, c);
  }
  return c;
}

export function closeClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

export function payload(size: number): Buffer {
  return randomBytes(size);
}

export interface AppendShape {
  readonly stream: string;
  /** Messages per request. */
  readonly batch: number;
  /** Requests in flight per producer. */
  readonly window: number;
  readonly size: number;
  /** Stop after this many messages (all producers together)... */
  readonly messages: number;
  /** ...or after this long, whichever comes first. */
  readonly timeMs: number;
  readonly producers: number;
  /** Called with messages confirmed so far (for progress). */
  readonly onProgress?: (confirmed: number) => void;
}

export interface AppendRun {
  /** Messages confirmed per second. */
  readonly rate: number;
  readonly confirmed: number;
  readonly errors: number;
  /** Per-request latency, ms (request written → confirm received). */
  readonly latencies: Float64Array;
  readonly seconds: number;
  readonly firstError?: string;
}

/** A bidi call that answers each request with one response carrying its requestId (AppendStream, PublishStream). */
interface WindowedCall {
  write(req: object): void;
  end(): void;
  on(event: 'data', fn: (r: { requestId: number; errorCode: number; errorMessage: string; count: number }) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  on(event: 'end', fn: () => void): void;
}

/**
 * Closed loop: each producer keeps `window` requests in flight on one call
 * opened by `open`; `request` is each request's body, or builds the n-th
 * request's (n counts all producers' requests; its requestId is added).
 */
export async function pumpWindowed(
  addrs: readonly string[],
  s: Omit<AppendShape, 'stream'>,
  open: (client: BrokerClient, deadline: number) => WindowedCall,
  request: object | ((n: number) => object),
): Promise<AppendRun> {
  const build = typeof request === 'function' ? (request as (n: number) => object) : (): object => request;
  const budget = Math.ceil(s.messages / s.batch); // requests, all producers together
  let issued = 0;
  let confirmed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const lat: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + s.timeMs;
  let lastProgress = t0;
  const producer = (k: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const addr = addrs[k % addrs.length]!;
      const call = open(brokerClient(addr, k), Date.now() + s.timeMs + 60_000);
      const sentAt = new Map<number, number>();
      let next = 0;
      let ended = false;
      const pump = (): void => {
        while (!ended && sentAt.size < s.window && issued < budget && performance.now() < deadline) {
          const id = next++;
          sentAt.set(id, performance.now());
          call.write({ ...build(issued++), requestId: id });
        }
        if (!ended && sentAt.size === 0) {
          ended = true;
          call.end();
        }
      };
      call.on('data', (r) => {
        const now = performance.now();
        const id = Number(r.requestId);
        const at = sentAt.get(id);
        sentAt.delete(id);
        if (at !== undefined) lat.push(now - at);
        if (r.errorCode) {
          errors++;
          firstError ??= `${r.errorCode}: ${r.errorMessage}`;
        } else confirmed += Number(r.count);
        if (s.onProgress && now - lastProgress > 1000) {
          lastProgress = now;
          s.onProgress(confirmed);
        }
        pump();
      });
      call.on('error', reject);
      call.on('end', () => resolve());
      pump();
    });
  await Promise.all(Array.from({ length: s.producers }, (_, k) => producer(k)));
  const seconds = (performance.now() - t0) / 1000;
  return { rate: confirmed / seconds, confirmed, errors, latencies: Float64Array.from(lat), seconds, ...(firstError ? { firstError } : {}) };
}

/** Closed loop: each producer keeps `window` requests in flight on one AppendStream call. */
export function appendWindowed(addrs: readonly string[], s: AppendShape): Promise<AppendRun> {
  const body = payload(s.size);
  const messages = Array.from({ length: s.batch }, () => ({ headers: [], body }));
  return pumpWindowed(addrs, s, (c, deadline) => c.AppendStream({ deadline }) as unknown as WindowedCall, { stream: s.stream, messages });
}

/**
 * Closed loop: each producer keeps `window` publishes in flight on one
 * PublishStream call. `fields` adds per-message fields (priority, group,
 * ttlMs...) to the i-th message published (i counts all producers' messages).
 */
export function publishWindowed(addrs: readonly string[], queue: string, s: Omit<AppendShape, 'stream'>, fields?: (i: number) => object): Promise<AppendRun> {
  const body = payload(s.size);
  const open = (c: BrokerClient, deadline: number): WindowedCall => c.PublishStream({ deadline }) as unknown as WindowedCall;
  if (!fields) return pumpWindowed(addrs, s, open, { queue, messages: Array.from({ length: s.batch }, () => ({ headers: [], body })) });
  return pumpWindowed(addrs, s, open, (n) => ({ queue, messages: Array.from({ length: s.batch }, (_, j) => ({ headers: [], body, ...fields(n * s.batch + j) })) }));
}

/** How a consumer settles a delivery. */
export type Settle = 'ack' | 'requeue' | 'reject';

export interface ConsumeShape {
  /** Stop once this many settled deliveries counted (all consumers together)... */
  readonly count: number;
  /** ...or after this long. */
  readonly timeMs: number;
  readonly prefetch: number;
  /** Consume calls, each on a connection of its own. */
  readonly consumers?: number;
  /** The first consumer's client slot (the others take the next ones). */
  readonly slot?: number;
  /** How each delivery is settled (default: acked). */
  readonly settle?: (d: ConsumeResponse__Output['deliveries'][number]) => Settle;
  /** Whether a settled delivery counts toward `count` (default: every one). */
  readonly counts?: (d: ConsumeResponse__Output['deliveries'][number], how: Settle) => boolean;
  /** Time the rate from the first delivery (leaving out attaching the consumers), not from the start. */
  readonly fromFirstDelivery?: boolean;
}

export interface ConsumeRun {
  /** Counted settles the server confirmed, per second. */
  readonly rate: number;
  readonly counted: number;
  readonly seconds: number;
}

/**
 * Consume with `consumers` Consume calls of one prefetch each, settling each
 * response's deliveries in one request; the rate counts settles the server
 * confirmed (those `counts` selects), until `count` of them or time is up.
 */
export function consumeSettled(addr: string, queue: string, s: ConsumeShape): Promise<ConsumeRun> {
  const settle = s.settle ?? ((): Settle => 'ack');
  const counts = s.counts ?? ((): boolean => true);
  let t0 = performance.now();
  let first = true;
  let counted = 0;
  const calls: Array<{ end(): void }> = [];
  let done = false;
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const c of calls) c.end();
      const seconds = (performance.now() - t0) / 1000;
      resolve({ rate: counted / seconds, counted, seconds });
    };
    const timer = setTimeout(finish, s.timeMs);
    for (let k = 0; k < (s.consumers ?? 1); k++) {
      const call = brokerClient(addr, (s.slot ?? 500) + k).Consume({ deadline: Date.now() + s.timeMs + 60_000 });
      calls.push(call);
      let requestId = 0;
      const pending = new Map<number, number>();
      call.on('data', (r: ConsumeResponse__Output) => {
        if (r.deliveries.length && !done) {
          if (first && s.fromFirstDelivery) t0 = performance.now();
          first = false;
          const id = ++requestId;
          const by: Record<Settle, number[]> = { ack: [], requeue: [], reject: [] };
          let n = 0;
          for (const d of r.deliveries) {
            const how = settle(d);
            by[how].push(d.tag);
            if (counts(d, how)) n++;
          }
          pending.set(id, n);
          call.write({ ack: by.ack, requeue: by.requeue, reject: by.reject, requestId: id });
        }
        if (r.confirmed) {
          counted += pending.get(Number(r.confirmed)) ?? 0;
          pending.delete(Number(r.confirmed));
          if (counted >= s.count) finish();
        }
      });
      call.on('error', (e: grpc.ServiceError) => (done ? undefined : reject(e)));
      call.on('end', finish);
      call.write({ queue, prefetch: s.prefetch });
    }
  });
}

/** Consume up to `count` messages with a prefetch on one Consume call, acking each response's deliveries in one settle (see consumeSettled). */
export async function consumeAcked(addr: string, queue: string, prefetch: number, count: number, timeMs: number, slot = 500): Promise<{ rate: number; acked: number }> {
  const r = await consumeSettled(addr, queue, { count, timeMs, prefetch, slot });
  return { rate: r.rate, acked: r.counted };
}

/**
 * Open loop: one request of one message every 1/rate s on one call opened by
 * `open` (AppendStream, PublishStream), whatever the confirms do; latency
 * from when the request was due. `stamp` writes the due time into each body
 * (for end-to-end latency). `request` builds a request around its messages.
 */
export async function pumpAtRate(
  addr: string,
  size: number,
  rate: number,
  timeMs: number,
  stamp: boolean,
  open: (client: BrokerClient, deadline: number) => WindowedCall,
  request: (messages: object[]) => object,
): Promise<AppendRun> {
  const shared = payload(size);
  const call = open(brokerClient(addr, 100), Date.now() + timeMs + 60_000);
  const dueAt: number[] = [];
  const lat: number[] = [];
  let confirmed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const total = Math.max(1, Math.floor((rate * timeMs) / 1000));
  let sent = 0;
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (r) => {
      lat.push(performance.now() - dueAt[Number(r.requestId)]!);
      if (r.errorCode) {
        errors++;
        firstError ??= `${r.errorCode}: ${r.errorMessage}`;
      } else confirmed += Number(r.count);
    });
    call.on('error', reject);
    call.on('end', () => resolve());
  });
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
      while (sent < due) {
        const at = t0 + (sent * 1000) / rate;
        dueAt.push(at);
        let body = shared;
        if (stamp) {
          body = Buffer.allocUnsafe(size);
          shared.copy(body);
          body.writeDoubleLE(performance.timeOrigin + at, 0);
        }
        call.write({ ...request([{ headers: [], body }]), requestId: sent++ });
      }
      if (sent >= total) {
        call.end();
        resolve();
      } else setTimeout(tick, 1);
    };
    tick();
  });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  return { rate: confirmed / seconds, confirmed, errors, latencies: Float64Array.from(lat), seconds, ...(firstError ? { firstError } : {}) };
}

/** Open loop appends: see pumpAtRate. */
export function appendAtRate(addr: string, stream: string, size: number, rate: number, timeMs: number, stamp = false): Promise<AppendRun> {
  return pumpAtRate(addr, size, rate, timeMs, stamp, (c, deadline) => c.AppendStream({ deadline }) as unknown as WindowedCall, (messages) => ({ stream, messages }));
}

/** Open loop publishes: see pumpAtRate. */
export function publishAtRate(addr: string, queue: string, size: number, rate: number, timeMs: number, stamp = false): Promise<AppendRun> {
  return pumpAtRate(addr, size, rate, timeMs, stamp, (c, deadline) => c.PublishStream({ deadline }) as unknown as WindowedCall, (messages) => ({ queue, messages }));
}

/** Read [from, from+count) with Read calls of up to 4 MiB; messages per second. */
export async function readRange(addr: string, stream: string, from: number, count: number, timeMs: number): Promise<{ rate: number; messages: number }> {
  const c = brokerClient(addr, 200);
  const t0 = performance.now();
  let next = from;
  let got = 0;
  while (got < count && performance.now() - t0 < timeMs) {
    const r = await new Promise<ReadResponse__Output>((resolve, reject) =>
      c.Read({ stream, fromOffset: next, maxMessages: Math.min(10_000, count - got), maxBytes: 4 << 20 }, { deadline: Date.now() + 30_000 }, (e, res) => (e ? reject(e) : resolve(res!))),
    );
    if (r.messages.length === 0) break;
    got += r.messages.length;
    next = r.nextOffset;
  }
  return { rate: got / ((performance.now() - t0) / 1000), messages: got };
}

/** Subscribe at `from` with ample credit until `count` messages arrived (or time is up); messages per second. */
export function subscribeRange(addr: string, stream: string, from: number, count: number, timeMs: number, slot = 300): Promise<{ rate: number; messages: number }> {
  const call = brokerClient(addr, slot).Subscribe({ deadline: Date.now() + timeMs + 30_000 });
  const t0 = performance.now();
  let got = 0;
  let granted = 0;
  const grant = (): void => {
    const want = Math.min(count - granted, 20_000);
    if (want > 0) {
      granted += want;
      call.write({ credit: want });
    }
  };
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      call.cancel();
      resolve({ rate: got / ((performance.now() - t0) / 1000), messages: got });
    };
    const timer = setTimeout(finish, timeMs);
    call.on('data', (r: SubscribeResponse__Output) => {
      got += r.messages.length;
      if (got >= count) finish();
      else if (granted - got < 10_000) grant();
    });
    call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? undefined : reject(e)));
    call.write({ stream, start: 'START_AT_OFFSET', offset: from, credit: 0 });
    grant();
  });
}

/**
 * Consume with a prefetch, acknowledging each response's deliveries at once,
 * and collect each delivery's delay (now − time stamped in its body), ms.
 */
export function consumeDelays(addr: string, queue: string, prefetch: number): { delays: number[]; stop: () => void } {
  const call = brokerClient(addr, 600).Consume();
  const delays: number[] = [];
  call.on('data', (r: ConsumeResponse__Output) => {
    const now = performance.timeOrigin + performance.now();
    for (const d of r.deliveries) delays.push(now - d.body.readDoubleLE(0));
    if (r.deliveries.length) call.write({ ack: r.deliveries.map((d) => d.tag) });
  });
  call.on('error', () => undefined);
  call.write({ queue, prefetch });
  return { delays, stop: () => call.cancel() };
}

/** Subscribe to new messages and collect each message's delivery delay (now − time stamped in its body), ms. */
export function subscribeDelays(addr: string, stream: string): { delays: number[]; stop: () => void } {
  const call = brokerClient(addr, 400).Subscribe();
  const delays: number[] = [];
  call.on('data', (r: SubscribeResponse__Output) => {
    const now = performance.timeOrigin + performance.now();
    for (const m of r.messages) delays.push(now - m.body.readDoubleLE(0));
    call.write({ credit: r.messages.length });
  });
  call.on('error', () => undefined);
  call.write({ stream, start: 'START_NEW', credit: 100_000 });
  return { delays, stop: () => call.cancel() };
}

/**
 * Whether a consumer attached to `addr` is delivered a message of `queue`
 * within `timeMs`; the call then ends without settling, so the message goes
 * back to the queue.
 */
export function deliversOne(addr: string, queue: string, timeMs: number, slot = 700): Promise<boolean> {
  return new Promise((resolve) => {
    const call = brokerClient(addr, slot).Consume({ deadline: Date.now() + timeMs });
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      resolve(ok);
      call.cancel();
    };
    call.on('data', (r: ConsumeResponse__Output) => {
      if (r.deliveries.length) finish(true);
    });
    call.on('error', () => finish(false));
    call.on('end', () => finish(false));
    call.write({ queue, prefetch: 1 });
  });
}
