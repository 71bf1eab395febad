// Time for the streams machine. The machine never reads a clock: age
// retention and the expiry of producers' dedup records move only when a
// command carries the leader's time. Appends do; when no appends arrive, the
// leader proposes a `tick` at most once a second — and only while something
// could expire (a stream with a max age whose oldest batch is due, or a
// producer record within a dedup window), so an idle cluster stays quiet.

import { encodeStreamCommand } from '../machine/streams/commands.js';
import type { NodeContext } from './context.js';

export const TICK_EVERY_MS = 1000;

/** Whether a tick at `now` could change the streams machine's state. */
export function tickDue(ctx: Pick<NodeContext, 'machine'>, now: number): boolean {
  const streams = ctx.machine.streams;
  for (const name of streams.names()) {
    const i = streams.info(name)!;
    if (i.producers > 0) return true;
    if (i.config.maxAgeMs > 0 && i.messages > 0) {
      const oldest = streams.readPlan(name, i.firstOffset, 1)[0];
      if (oldest && oldest.time + i.config.maxAgeMs < now) return true;
    }
  }
  return false;
}

export class StreamTicker {
  private last = 0;
  private inFlight = false;

  constructor(private readonly ctx: NodeContext) {}

  /** Called every housekeeping round (100 ms); proposes a tick when one is due. */
  maybeTick(): void {
    const ctx = this.ctx;
    const now = Date.now();
    if (this.inFlight || now - this.last < TICK_EVERY_MS || !ctx.host.isLeader) return;
    if (!tickDue(ctx, now)) return;
    this.last = now;
    this.inFlight = true;
    let p;
    try {
      p = ctx.host.propose(encodeStreamCommand({ op: 'tick', time: now }));
    } catch {
      this.inFlight = false;
      return;
    }
    p.then(
      () => undefined,
      (e: unknown) => ctx.logger.debug({ err: (e as Error).message }, 'stream tick not applied'),
    ).finally(() => {
      this.inFlight = false;
    });
  }
}
