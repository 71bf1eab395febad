// Time for machines with deadlines (retention by age, dedup windows; TTLs,
// delays and ack timeouts next). Machines never read a clock: time moves only
// when an entry carries the leader's stamp of the cluster time (cluster-clock.ts).
// Every entry does; when no writes arrive, the leader proposes an entry that
// carries only time — and only while some machine has a deadline that has
// passed by the cluster time it would stamp (not by its wall clock, which may
// have stepped), at most once per housekeeping round (100 ms: delayed
// deliveries and ack timeouts are that precise), so an idle cluster stays quiet.

import { performance } from 'node:perf_hooks';
import { buildEntry } from '../../machine/envelope.js';
import type { NodeContext } from './context.js';

export const TICK_EVERY_MS = 100;

export class LeaderClock {
  /** When the last time entry was proposed, on the monotonic clock (pacing only). */
  private last = -Infinity;
  private inFlight = false;

  constructor(private readonly ctx: NodeContext) {}

  /** Called every housekeeping round (100 ms): proposes a time entry when a deadline has passed. */
  maybeTick(): void {
    const ctx = this.ctx;
    const mono = performance.now();
    if (this.inFlight || mono - this.last < TICK_EVERY_MS || !ctx.host.isLeader) return;
    const due = ctx.machines.nextDeadline();
    if (due === undefined || due > ctx.clock.now(ctx.machines.now)) return;
    this.last = mono;
    this.inFlight = true;
    let p;
    try {
      p = ctx.host.propose(buildEntry([], ctx.writes.stampTime()));
    } catch {
      this.inFlight = false;
      return;
    }
    p.then(
      () => undefined,
      (e: unknown) => ctx.logger.debug({ err: (e as Error).message }, 'time entry not applied'),
    ).finally(() => {
      this.inFlight = false;
    });
  }
}
