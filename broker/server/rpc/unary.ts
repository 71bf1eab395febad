// The shape every unary Broker handler shares: deadline, status mapping,
// metrics, refusing calls while the node is not serving; and the barrier of a
// linearizable read.

import * as grpc from '@grpc/grpc-js';
import { ReadInterruptedError, ReadTimeoutError } from '../../../raft/host/reads.js';
import type { NodeContext } from '../node/context.js';
import { callDeadline } from '../node/context.js';
import { StatusError, noLeader, toServiceError, toStatus, withDeadline } from './status.js';

/** Calls without a deadline still end: writes and reads after 30 s, membership after 60 s. */
export const DEFAULT_CAP_MS = 30_000;

export type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** The status of a call that reached a node that is starting or stopping. */
export const notServing = (ctx: NodeContext): StatusError =>
  new StatusError(grpc.status.UNAVAILABLE, `node ${ctx.id} is not serving (starting or shutting down); nothing was done (not applied); try another node`, 'not-applied');

/**
 * The deadline a node works to: a little before the caller's (a tenth of the
 * time left, at most 100 ms), so that its own answer — DEADLINE_EXCEEDED with
 * the outcome trailer — reaches the caller before the caller's library gives
 * up with a status that says nothing about the outcome.
 */
export function answerBy(deadline: number, now = Date.now()): number {
  if (!Number.isFinite(deadline)) return deadline;
  return deadline - Math.min(100, Math.max(0, (deadline - now) / 10));
}

/** Wrap an async handler: status mapping, metrics, and refusing calls while not serving. */
export function unary<Req, Res>(ctx: NodeContext, method: string, fn: (req: Req, deadline: number, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>, capMs = DEFAULT_CAP_MS): Unary<Req, Res> {
  return (call, callback) => {
    const end = ctx.metrics.requestSeconds.startTimer({ method });
    const done = (code: grpc.status): void => {
      end();
      ctx.metrics.requests.inc({ method, code: grpc.status[code] });
    };
    if (!ctx.serving) {
      done(grpc.status.UNAVAILABLE);
      callback(toServiceError(notServing(ctx), ctx.id));
      return;
    }
    fn(call.request, answerBy(callDeadline(call.getDeadline(), capMs)), call).then(
      (res) => {
        done(grpc.status.OK);
        callback(null, res);
      },
      (e: unknown) => {
        const s = toStatus(e);
        done(s.code);
        if (s.code === grpc.status.INTERNAL) ctx.logger.error({ method, err: (e as Error)?.stack ?? String(e) }, 'request failed');
        callback(toServiceError(e, ctx.id));
      },
    );
  };
}

/** How often a read interrupted by a leader change is asked again (each time of the leader then known). */
const READ_RETRIES = 3;

/**
 * A linearizable read's barrier: every write confirmed before now is applied
 * here when it resolves. A read that leadership moved away from is asked
 * again at once of the new leader (a read changes nothing, so repeating it is
 * safe); with no leader known it fails at once rather than waiting. A read
 * whose request or answer was lost on the way (the peer transport drops
 * messages while a link is down; Raft resends entries, not reads) is asked
 * again after two election timeouts, until the deadline.
 */
export async function readBarrier(ctx: NodeContext, deadline: number): Promise<void> {
  const attemptMs = Math.max(500, 2 * ctx.host.tickMs * ctx.host.electionTicks);
  let interrupted = 0;
  for (;;) {
    if (!ctx.host.currentLeader) throw noLeader();
    const left = deadline - Date.now();
    try {
      await withDeadline(ctx.host.readBarrier(Math.max(1, Math.min(left, attemptMs))), deadline, 'the read was confirmed by the leader', 'not-applied');
      return;
    } catch (e) {
      const again = Date.now() < deadline && ctx.host.currentLeader !== 0;
      if (e instanceof ReadInterruptedError && again && interrupted++ < READ_RETRIES) continue;
      if (e instanceof ReadTimeoutError && again) continue;
      throw e;
    }
  }
}
