// Stream helpers for end-to-end tests: streaming appends and subscriptions
// over raw gRPC clients of the public Broker API, and data-directory sizes.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { BrokerClient } from '../../proto/generated/quorumq/v1/Broker.js';
import type { AppendRequest } from '../../proto/generated/quorumq/v1/AppendRequest.js';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { StreamMessage__Output } from '../../proto/generated/quorumq/v1/StreamMessage.js';
import type { SubscribeRequest } from '../../proto/generated/quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse__Output } from '../../proto/generated/quorumq/v1/SubscribeResponse.js';

const clients: BrokerClient[] = [];

export function rawClient(addr: string): BrokerClient {
  const c = new (quorumqV1().Broker)(addr, grpc.credentials.createInsecure()) as unknown as BrokerClient;
  clients.push(c);
  return c;
}

export function closeRawClients(): void {
  for (const c of clients.splice(0)) c.close();
}

/** Send every request on one AppendStream call with up to `window` in flight; resolves with the responses in order. */
export function appendMany(addr: string, reqs: AppendRequest[], window = 256): Promise<AppendResponse__Output[]> {
  const call = rawClient(addr).AppendStream({ deadline: Date.now() + 120_000 });
  const out: AppendResponse__Output[] = [];
  let sent = 0;
  return new Promise((resolve, reject) => {
    const pump = (): void => {
      while (sent < reqs.length && sent - out.length < window) call.write({ ...reqs[sent], requestId: sent++ });
      if (sent === reqs.length) call.end();
    };
    call.on('data', (r: AppendResponse__Output) => {
      out.push(r);
      if (sent < reqs.length) pump();
    });
    call.on('error', reject);
    call.on('end', () => resolve(out));
    pump();
  });
}

export interface Subscription {
  readonly messages: StreamMessage__Output[];
  ended: string | undefined;
  error: grpc.ServiceError | undefined;
  /** Resolves when the call is over (end or error). */
  readonly closed: Promise<void>;
  credit(n: number): void;
  cancel(): void;
}

/** `halfClose`: close the sending side right after the first request (the pattern of a client that sends one request). */
export function subscribe(addr: string, first: SubscribeRequest, opts: { halfClose?: boolean } = {}): Subscription {
  const call = rawClient(addr).Subscribe();
  const sub: Subscription = {
    messages: [],
    ended: undefined,
    error: undefined,
    closed: new Promise<void>((resolve) => {
      call.on('end', () => resolve());
      call.on('error', (e: grpc.ServiceError) => {
        sub.error = e;
        resolve();
      });
    }),
    credit: (n) => call.write({ credit: n }),
    cancel: () => call.cancel(),
  };
  call.on('data', (r: SubscribeResponse__Output) => {
    sub.messages.push(...r.messages);
    if (r.ended) sub.ended = r.ended;
  });
  call.write(first);
  if (opts.halfClose) call.end();
  return sub;
}

/** Bytes under a directory. */
export function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    n += s.isDirectory() ? dirBytes(p) : s.size;
  }
  return n;
}

export const body = (s: string): Buffer => Buffer.from(s);
