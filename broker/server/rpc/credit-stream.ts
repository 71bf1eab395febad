// The server side of a subscription with credit: the client grants credit
// (in its first request and any later one); the server sends while it has
// credit and data, and otherwise waits — for credit, for the next apply on
// this node, or for a full socket to drain — never on a timer. What is sent
// and from where is the feed's business; this loop is the same for every
// kind of subscription.
//
// A client that closes its side of the call after its requests (the usual
// pattern of generated clients: `stub.Subscribe(iter([request]))`) can grant
// no more credit: from then on the call has unlimited credit, and only the
// connection's flow control (a full socket) paces it. It goes on until the
// feed ends it, an error does, or the client cancels.

import * as grpc from '@grpc/grpc-js';
import type { ApplyWaiter } from '../node/apply-signal.js';
import type { NodeContext } from '../node/context.js';
import { notServing } from './unary.js';
import { StatusError, toServiceError, toStatus } from './status.js';

export type Pulled<Res> =
  /** Send `response`, which used `used` credit. */
  | { readonly response: Res; readonly used: number }
  /** Nothing available now: wait for the next apply. */
  | { readonly wait: true }
  /** Send `response` (if any) and end the call. */
  | { readonly end: Res | undefined };

export interface Feed<Res> {
  pull(credit: number): Promise<Pulled<Res>>;
  /** Whose applies may bring new data: the call's group (ctx.applied) unless set (a partitioned stream's groups). */
  readonly applied?: Pick<ApplyWaiter, 'onNext'>;
}

/**
 * Serve `call`: `open` validates the first request and positions the feed
 * (throwing a status error to refuse it). Errors end the call with their status.
 */
export function serveWithCredit<Req extends { credit: number }, Res>(
  ctx: NodeContext,
  method: string,
  call: grpc.ServerDuplexStream<Req, Res>,
  open: (first: Req) => Promise<Feed<Res>>,
): void {
  ctx.metrics.requests.inc({ method, code: 'started' });
  let started = false;
  let credit = 0;
  /** The client half-closed: no more credit can come, so credit no longer limits. */
  let inputDone = false;
  let closed = false;
  let applied: Pick<ApplyWaiter, 'onNext'> = ctx.applied;
  let wake: (() => void) | undefined;
  const kick = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = (): void => {
    closed = true;
    kick();
  };
  call.on('data', (req: Req) => {
    credit += req.credit;
    if (!started) {
      started = true;
      void run(req);
    } else kick();
  });
  call.on('end', () => {
    inputDone = true;
    if (!started && !closed) {
      // Nothing to serve: say so rather than leave the call open.
      closed = true;
      call.emit('error', toServiceError(new StatusError(grpc.status.INVALID_ARGUMENT, 'the client closed the call before sending its first request (which names the stream)'), ctx.id));
      return;
    }
    kick();
  });
  call.on('cancelled', stop);
  call.on('error', stop);
  call.on('drain', kick);

  /** Until credit, a drained socket, the call's end — or the next apply when `onApply`. */
  const idle = (onApply: boolean): Promise<void> =>
    new Promise((resolve) => {
      let cancelApply: (() => void) | undefined;
      wake = () => {
        cancelApply?.();
        resolve();
      };
      if (onApply) cancelApply = applied.onNext(kick);
    });

  const run = async (first: Req): Promise<void> => {
    try {
      if (!ctx.serving) throw notServing(ctx);
      const feed = await open(first);
      if (feed.applied) applied = feed.applied;
      while (!closed) {
        if (credit <= 0 && !inputDone) {
          await idle(false);
          continue;
        }
        const p = await feed.pull(inputDone ? Number.MAX_SAFE_INTEGER : credit);
        if (closed) return;
        if ('wait' in p) {
          await idle(true);
          continue;
        }
        if ('end' in p) {
          if (p.end !== undefined) call.write(p.end);
          closed = true;
          call.end();
          return;
        }
        if (!inputDone) credit -= p.used;
        if (!call.write(p.response)) await idle(false);
      }
    } catch (e) {
      if (closed) return;
      closed = true;
      const s = toStatus(e);
      if (s.code === grpc.status.INTERNAL) ctx.logger.error({ method, err: (e as Error)?.stack ?? String(e) }, 'subscription failed');
      call.emit('error', toServiceError(e, ctx.id));
    }
  };
}
