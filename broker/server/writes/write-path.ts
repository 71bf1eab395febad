// Commands on their way into the log. Every command submitted in one
// event-loop turn (unary calls, the pipelined requests of every open bidi
// call, batches forwarded by followers) is handled at once at the end of the
// turn: on the leader they are packed into as few entries as the size bound
// allows — one proposal, one fsync, one AppendEntries slot per entry — and
// stamped with the leader's clock; on a follower they leave in one
// Raft.Forward to the leader, which adds them to its own turn. Each command
// still gets its own reply (see envelope.ts). Nothing here knows a machine's
// bytes.

import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../../raft/core/types.js';
import { buildEntry, commandMachine, entrySize } from '../../machine/envelope.js';
import type { EntryResult } from '../../machine/registry.js';
import type { CommandWriter, WriteContext, WriteOutcome } from '../node/context.js';
import { OutcomeUnknownError, ProposalSupersededError } from '../../../raft/host/proposals.js';
import { StatusError, noLeader, toStatus } from '../rpc/status.js';
import { forwardToLeader } from './forward.js';
import { decodeOutcome, encodeOutcome } from './outcome.js';
import { TurnBatcher } from './turn-batcher.js';

/** An entry stays under this size: many small commands share one, and large ones only lengthen each write and AppendEntries. */
export const ENTRY_MAX_BYTES = 1 << 20;
/** Forwarded batches stay well under the peer port's message limit. */
const FORWARD_CHUNK_BYTES = 8 << 20;
/**
 * What a leader may have proposed and not yet applied, in command bytes.
 * Clients may keep whole windows in flight (256 requests per call, many
 * calls); beyond this the leader holds further commands back, in order, until
 * earlier ones apply — so a burst lengthens a queue in memory that is bounded
 * by what clients are allowed in flight, instead of piling megabytes into
 * writes and AppendEntries that delay heartbeats (elections under load) and
 * every confirm behind them. 32 MiB is ~0.1 s of the disk's synced rate here
 * and far more than one turn ever proposes at full speed.
 */
export const DEFAULT_MAX_UNAPPLIED_BYTES = 32 << 20;

interface Pending {
  readonly cmd: Uint8Array;
  /** Absolute ms; a command whose deadline passed before it was proposed is never proposed. */
  readonly deadline: number;
  /** Forwarded to us as leader: never forward again. */
  readonly here: boolean;
  /** Applying it twice stores it once (an idempotent producer's append): it may be sent again whatever became of the first copy. */
  readonly idempotent: boolean;
  /** A forwarded command whose sender gave up (cancelled the call): not proposed. */
  readonly abandoned?: () => boolean;
  /** Bumped each time it is sent again: answers to an earlier copy are ignored. */
  attempt: number;
  /** When it began waiting for a leader to be known, on the monotonic clock (0: not waiting). */
  parkedAt: number;
  /** Held back at least once by the leader's byte budget (counted once). */
  wasHeld: boolean;
  done: boolean;
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

function pending(
  cmd: Uint8Array,
  deadline: number,
  here: boolean,
  idempotent: boolean,
  resolve: (o: WriteOutcome) => void,
  reject: (e: unknown) => void,
  abandoned?: () => boolean,
): Pending {
  const p: Pending = {
    cmd,
    deadline,
    here,
    idempotent,
    abandoned,
    attempt: 0,
    parkedAt: 0,
    wasHeld: false,
    done: false,
    resolve: (o) => {
      if (p.done) return;
      p.done = true;
      resolve(o);
    },
    reject: (e) => {
      if (p.done) return;
      p.done = true;
      reject(e);
    },
  };
  return p;
}

/** A forward on its way to `leader`: the copy of each command it carries. */
interface InFlight {
  readonly leader: NodeId;
  readonly chunk: readonly Pending[];
  readonly attempts: readonly number[];
}

/** Whether `p` still waits for the answer to the copy sent as `attempt`. */
const awaiting = (p: Pending, attempt: number): boolean => !p.done && p.attempt === attempt;

export class WritePath implements CommandWriter {
  private readonly turn = new TurnBatcher<Pending>((batch) => this.flush(batch));

  /** Forwards not yet answered. */
  private readonly inFlight = new Set<InFlight>();
  /** Commands that arrived while no leader was known: sent once one is, or refused after WAIT_FOR_LEADER. */
  private parked: Pending[] = [];
  private parkTimer: NodeJS.Timeout | undefined;

  /** Command bytes proposed here and not yet settled (applied, refused or lost). */
  private unapplied = 0;
  /** Commands waiting, in arrival order, for `unapplied` to fall below the budget. */
  private held: Pending[] = [];
  private readonly maxUnappliedBytes: number;

  constructor(
    private readonly ctx: WriteContext,
    opts: { maxUnappliedBytes?: number } = {},
  ) {
    this.maxUnappliedBytes = opts.maxUnappliedBytes ?? DEFAULT_MAX_UNAPPLIED_BYTES;
  }

  /** Command bytes proposed and not yet settled, and commands held back (for tests and status). */
  get backlog(): { unappliedBytes: number; held: number } {
    return { unappliedBytes: this.unapplied, held: this.held.length };
  }

  /**
   * Every write ends by its deadline: confirmed, refused, or (when the
   * deadline passes first, wherever the command is) DEADLINE_EXCEEDED with an
   * unknown outcome. Without this a command proposed here stays unanswered
   * for as long as nothing settles its proposal.
   */
  submit(cmd: Uint8Array, deadline = Number.POSITIVE_INFINITY, opts: { idempotent?: boolean } = {}): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
      };
      const p = pending(
        cmd,
        deadline,
        false,
        opts.idempotent === true,
        (o) => {
          done();
          resolve(o);
        },
        (e) => {
          done();
          reject(e);
        },
      );
      if (Number.isFinite(deadline)) {
        timer = setTimeout(() => p.reject(new StatusError(grpc.status.DEADLINE_EXCEEDED, 'deadline exceeded while the write was in flight: it may or may not have been applied (outcome unknown)', 'unknown')), Math.max(0, deadline - Date.now()));
        timer.unref?.();
      }
      this.turn.add(p);
    });
  }

  /**
   * This node learned of a new leader. What it forwarded to another leader
   * and that is still unanswered goes to the new one when it is idempotent
   * (a paused or cut-off old leader would otherwise hold it until the
   * client's deadline); commands waiting for a leader go now.
   */
  leaderChanged(leader: NodeId): void {
    if (!leader) return;
    for (const f of this.inFlight) {
      if (f.leader === leader) continue;
      f.chunk.forEach((p, i) => {
        if (!p.idempotent || !awaiting(p, f.attempts[i]!)) return;
        p.attempt++;
        this.ctx.metrics.resent.inc({ why: 'leader-changed' });
        this.turn.add(p);
      });
    }
    const parked = this.parked;
    this.parked = [];
    for (const p of parked) {
      p.parkedAt = 0;
      if (!p.done) this.turn.add(p);
    }
  }

  /** No leader is known: hold `p` until one is, for at most two election timeouts (and never past its deadline). */
  private park(p: Pending): void {
    this.parked.push(p);
    if (!p.parkedAt) p.parkedAt = performance.now();
    if (this.parkTimer) return;
    const waitMs = 2 * this.ctx.host.tickMs * this.ctx.host.electionTicks;
    const sweep = (): void => {
      this.parkTimer = undefined;
      const now = Date.now();
      const mono = performance.now();
      const keep: Pending[] = [];
      for (const q of this.parked) {
        if (q.done) continue;
        if (now >= q.deadline || mono - q.parkedAt >= waitMs) q.reject(noLeader());
        else keep.push(q);
      }
      this.parked = keep;
      if (keep.length) this.parkTimer = setTimeout(sweep, 25);
    };
    this.parkTimer = setTimeout(sweep, 25);
  }

  async submitForwarded(cmds: readonly Uint8Array[], deadlines: readonly number[], abandoned: () => boolean): Promise<Buffer[]> {
    const outs = await Promise.all(
      cmds.map(
        (cmd, i) =>
          new Promise<WriteOutcome>((resolve, reject) => this.turn.add(pending(cmd, deadlines[i]!, true, false, resolve, reject, abandoned))).then(
            (o) => ({ reply: o.reply, index: o.index }),
            (e: unknown) => toStatus(e),
          ),
      ),
    );
    return outs.map((o, i) => encodeOutcome(this.ctx.machines, cmds[i]!.length ? commandMachine(cmds[i]!) : 0, o));
  }

  stampTime(): number {
    return this.ctx.clock.stamp(this.ctx.machines.now);
  }

  private flush(batch: Pending[]): void {
    const now = Date.now();
    const live: Pending[] = [];
    // Held commands go first: a producer's pipelined requests must reach the log in order.
    const all = this.held.length ? this.held.concat(batch) : batch;
    this.held = [];
    for (const p of all) {
      if (p.done) continue; // its caller's deadline already ended it
      if (p.abandoned?.()) p.reject(new StatusError(grpc.status.CANCELLED, 'the forwarding node cancelled the call before the write was proposed; it was not applied', 'not-applied'));
      else if (p.deadline <= now) p.reject(new StatusError(grpc.status.DEADLINE_EXCEEDED, 'deadline exceeded before the write was proposed; it was not applied', 'not-applied'));
      else if (p.cmd.byteLength === 0) p.reject(new StatusError(grpc.status.INVALID_ARGUMENT, 'empty command'));
      else live.push(p);
    }
    if (live.length === 0) return;
    if (this.ctx.host.isLeader) return this.admit(live);
    const here = live.filter((p) => p.here);
    for (const p of here) {
      const l = this.ctx.host.currentLeader;
      p.reject(new StatusError(grpc.status.UNAVAILABLE, `node ${this.ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; the write was not proposed (not applied); retry`, 'not-applied'));
    }
    let away = here.length ? live.filter((p) => !p.here) : live;
    if (!this.ctx.host.currentLeader) {
      // An election is on: wait for its result rather than fail at once.
      for (const p of away) this.park(p);
      away = [];
    }
    let from = 0;
    while (from < away.length) {
      let bytes = 0;
      let to = from;
      while (to < away.length && (to === from || bytes + away[to]!.cmd.byteLength <= FORWARD_CHUNK_BYTES)) bytes += away[to++]!.cmd.byteLength;
      this.forward(away.slice(from, to));
      from = to;
    }
  }

  /** Propose the longest prefix the byte budget allows (at least one command when nothing is unapplied); hold the rest. */
  private admit(batch: Pending[]): void {
    let n = 0;
    let bytes = 0;
    while (n < batch.length) {
      const b = batch[n]!.cmd.byteLength;
      if (this.unapplied + bytes + b > this.maxUnappliedBytes && (n > 0 || this.unapplied > 0)) break;
      bytes += b;
      n++;
    }
    if (n < batch.length) {
      const rest = batch.slice(n);
      let fresh = 0;
      for (const p of rest) if (!p.wasHeld) (p.wasHeld = true), fresh++;
      if (fresh) this.ctx.metrics.held.inc(fresh);
      this.held = rest;
    }
    if (n > 0) this.propose(n === batch.length ? batch : batch.slice(0, n), bytes);
  }

  /** `bytes` of proposals settled: held commands may go (at the end of this turn, with whatever else arrives). */
  private release(bytes: number): void {
    this.unapplied -= bytes;
    if (this.held.length) this.turn.kick();
  }

  /** Pack into entries within ENTRY_MAX_BYTES, in order, and propose them together. */
  private propose(batch: Pending[], batchBytes: number): void {
    const groups: Pending[][] = [];
    let cur: Pending[] = [];
    let bytes = 0;
    for (const p of batch) {
      if (cur.length > 0 && entrySize(bytes + p.cmd.byteLength, cur.length + 1) > ENTRY_MAX_BYTES) {
        groups.push(cur);
        cur = [];
        bytes = 0;
      }
      cur.push(p);
      bytes += p.cmd.byteLength;
    }
    groups.push(cur);
    const time = this.stampTime();
    let ps;
    try {
      ps = this.ctx.host.proposeBatch(groups.map((g) => buildEntry(g.map((p) => p.cmd), time)));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    this.unapplied += batchBytes;
    const leader = this.ctx.id;
    ps.forEach((promise, k) => {
      const parts = groups[k]!;
      const attempts = parts.map((p) => p.attempt);
      let partBytes = 0;
      for (const p of parts) partBytes += p.cmd.byteLength;
      promise.then(
        (applied) => {
          this.release(partBytes);
          settle(parts, applied.result, applied.index, leader);
        },
        (e: unknown) => {
          this.release(partBytes);
          parts.forEach((p, i) => {
            if (!awaiting(p, attempts[i]!)) return;
            // Proposed while this node led, and gone from its log since (raft/host/proposals.ts
            // replaced): an idempotent command goes to the new leader, which answers it, rather
            // than leaving its caller with "outcome unknown" (a settle re-applied answers as the first).
            if (p.idempotent && !p.here && (e instanceof OutcomeUnknownError || e instanceof ProposalSupersededError) && !this.ctx.host.isLeader && p.deadline > Date.now()) {
              p.attempt++;
              this.ctx.metrics.resent.inc({ why: 'leadership-lost' });
              this.turn.add(p);
            } else p.reject(e);
          });
        },
      );
    });
  }

  private forward(chunk: Pending[]): void {
    const ctx = this.ctx;
    // The call lives as long as the latest deadline; each command carries its own, which the leader keeps.
    let deadline = 0;
    for (const p of chunk) deadline = Math.max(deadline, p.deadline);
    const commands = chunk.map((p) => Buffer.from(p.cmd.buffer, p.cmd.byteOffset, p.cmd.byteLength));
    const deadlines = chunk.map((p) => (Number.isFinite(p.deadline) ? Math.ceil(p.deadline) : 0));
    const sent: InFlight = { leader: ctx.host.currentLeader, chunk, attempts: chunk.map((p) => p.attempt) };
    this.inFlight.add(sent);
    forwardToLeader(ctx, { group: ctx.group, commands, deadlines }, deadline, 'Write').then(
      (res) => {
        this.inFlight.delete(sent);
        let refused = false;
        chunk.forEach((p, i) => {
          if (!awaiting(p, sent.attempts[i]!)) return;
          const b = res.results[i];
          if (!b) return p.reject(new StatusError(grpc.status.INTERNAL, `the leader answered ${res.results.length} of ${chunk.length} forwarded commands`));
          let o;
          try {
            o = decodeOutcome(ctx.machines, commandMachine(p.cmd), b);
          } catch (e) {
            return p.reject(e);
          }
          if ('reply' in o) return p.resolve({ reply: o.reply, index: o.index, leader: res.leader });
          // The leader lost its leadership before proposing it: as a refused forward (below), sent again once another leader is known.
          if (o.code === grpc.status.UNAVAILABLE && o.outcome === 'not-applied') {
            if (!refused) ctx.host.refused?.(sent.leader);
            refused = true;
            if (ctx.host.currentLeader !== sent.leader) return this.again(p, 'not-applied');
          }
          p.reject(new StatusError(o.code, o.details, o.outcome));
        });
      },
      (e: unknown) => {
        this.inFlight.delete(sent);
        const live = chunk.filter((p, i) => awaiting(p, sent.attempts[i]!));
        // Certainly not applied, and another leader is known (or an election is on): send it again.
        const s = toStatus(e);
        // A seat that does not learn leaders from Raft (a group not hosted here) looks again.
        if (s.code === grpc.status.UNAVAILABLE) ctx.host.refused?.(sent.leader);
        const now = ctx.host.currentLeader;
        if (s.code === grpc.status.UNAVAILABLE && s.outcome === 'not-applied' && now !== sent.leader) {
          for (const p of live) this.again(p, 'not-applied');
          return;
        }
        for (const p of live) p.reject(e);
      },
    );
  }

  /** Send `p` again (answers to the earlier copy are ignored). */
  private again(p: Pending, why: string): void {
    p.attempt++;
    this.ctx.metrics.resent.inc({ why });
    this.turn.add(p);
  }
}

function settle(parts: readonly Pending[], result: EntryResult | undefined, index: number, leader: NodeId): void {
  for (let i = 0; i < parts.length; i++) {
    const reply = result?.refused ?? result?.replies[i];
    if (reply) parts[i]!.resolve({ reply, index, leader });
    else parts[i]!.reject(new StatusError(grpc.status.INTERNAL, `entry ${index} was applied without a reply for command ${i}`));
  }
}
