// Commands on their way into the log. Every command submitted in one
// event-loop turn (unary calls, the pipelined requests of every open bidi
// call, batches forwarded by followers) is handled at once at the end of the
// turn: on the leader they are packed into as few entries as the size bound
// allows — one proposal, one fsync, one AppendEntries slot per entry — and
// stamped with the leader's clock; on a follower they leave in one
// Raft.Forward to the leader, which adds them to its own turn. Each command
// still gets its own reply (see envelope.ts). Nothing here knows a machine's
// bytes.

import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../../raft/core/types.js';
import { buildEntry, commandMachine, entrySize } from '../../machine/envelope.js';
import type { EntryResult } from '../../machine/registry.js';
import type { CommandWriter, NodeContext, WriteOutcome } from '../node/context.js';
import { GROUP } from '../node/context.js';
import { StatusError, toStatus } from '../rpc/status.js';
import { forwardToLeader } from './forward.js';
import { decodeOutcome, encodeOutcome } from './outcome.js';
import { TurnBatcher } from './turn-batcher.js';

/** An entry stays under this size: many small commands share one, and large ones only lengthen each write and AppendEntries. */
export const ENTRY_MAX_BYTES = 1 << 20;
/** Forwarded batches stay well under the peer port's message limit. */
const FORWARD_CHUNK_BYTES = 8 << 20;

interface Pending {
  readonly cmd: Uint8Array;
  /** Absolute ms; a command whose deadline passed before it was proposed is never proposed. */
  readonly deadline: number;
  /** Forwarded to us as leader: never forward again. */
  readonly here: boolean;
  /** A forwarded command whose sender gave up (cancelled the call): not proposed. */
  readonly abandoned?: () => boolean;
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class WritePath implements CommandWriter {
  private readonly turn = new TurnBatcher<Pending>((batch) => this.flush(batch));
  /** The last time stamped into an entry: never goes back, even if the clock does. */
  private lastStamp = 0;

  constructor(private readonly ctx: NodeContext) {}

  submit(cmd: Uint8Array, deadline = Number.POSITIVE_INFINITY): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => this.turn.add({ cmd, deadline, here: false, resolve, reject }));
  }

  async submitForwarded(cmds: readonly Uint8Array[], deadlines: readonly number[], abandoned: () => boolean): Promise<Buffer[]> {
    const outs = await Promise.all(
      cmds.map(
        (cmd, i) =>
          new Promise<WriteOutcome>((resolve, reject) => this.turn.add({ cmd, deadline: deadlines[i]!, here: true, abandoned, resolve, reject })).then(
            (o) => ({ reply: o.reply, index: o.index }),
            (e: unknown) => toStatus(e),
          ),
      ),
    );
    return outs.map((o, i) => encodeOutcome(this.ctx.machines, cmds[i]!.length ? commandMachine(cmds[i]!) : 0, o));
  }

  stampTime(): number {
    const t = Math.max(Date.now(), this.lastStamp, this.ctx.machines.now);
    this.lastStamp = t;
    return t;
  }

  private flush(batch: Pending[]): void {
    const now = Date.now();
    const live: Pending[] = [];
    for (const p of batch) {
      if (p.abandoned?.()) p.reject(new StatusError(grpc.status.CANCELLED, 'the forwarding node cancelled the call before the write was proposed; it was not applied', 'not-applied'));
      else if (p.deadline <= now) p.reject(new StatusError(grpc.status.DEADLINE_EXCEEDED, 'deadline exceeded before the write was proposed; it was not applied', 'not-applied'));
      else if (p.cmd.byteLength === 0) p.reject(new StatusError(grpc.status.INVALID_ARGUMENT, 'empty command'));
      else live.push(p);
    }
    if (live.length === 0) return;
    if (this.ctx.host.isLeader) return this.propose(live);
    const here = live.filter((p) => p.here);
    for (const p of here) {
      const l = this.ctx.host.currentLeader;
      p.reject(new StatusError(grpc.status.UNAVAILABLE, `node ${this.ctx.id} is no longer the leader${l ? ` (node ${l} is)` : ''}; the write was not proposed (not applied); retry`, 'not-applied'));
    }
    const away = here.length ? live.filter((p) => !p.here) : live;
    let from = 0;
    while (from < away.length) {
      let bytes = 0;
      let to = from;
      while (to < away.length && (to === from || bytes + away[to]!.cmd.byteLength <= FORWARD_CHUNK_BYTES)) bytes += away[to++]!.cmd.byteLength;
      this.forward(away.slice(from, to));
      from = to;
    }
  }

  /** Pack into entries within ENTRY_MAX_BYTES, in order, and propose them together. */
  private propose(batch: Pending[]): void {
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
    const leader = this.ctx.id;
    ps.forEach((promise, k) => {
      const parts = groups[k]!;
      promise.then(
        (applied) => settle(parts, applied.result, applied.index, leader),
        (e: unknown) => {
          for (const p of parts) p.reject(e);
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
    forwardToLeader(ctx, { group: GROUP, commands, deadlines }, deadline, 'Write').then(
      (res) => {
        chunk.forEach((p, i) => {
          const b = res.results[i];
          if (!b) return p.reject(new StatusError(grpc.status.INTERNAL, `the leader answered ${res.results.length} of ${chunk.length} forwarded commands`));
          let o;
          try {
            o = decodeOutcome(ctx.machines, commandMachine(p.cmd), b);
          } catch (e) {
            return p.reject(e);
          }
          if ('reply' in o) p.resolve({ reply: o.reply, index: o.index, leader: res.leader });
          else p.reject(new StatusError(o.code, o.details, o.outcome));
        });
      },
      (e: unknown) => {
        for (const p of chunk) p.reject(e);
      },
    );
  }
}

function settle(parts: readonly Pending[], result: EntryResult | undefined, index: number, leader: NodeId): void {
  for (let i = 0; i < parts.length; i++) {
    const reply = result?.refused ?? result?.replies[i];
    if (reply) parts[i]!.resolve({ reply, index, leader });
    else parts[i]!.reject(new StatusError(grpc.status.INTERNAL, `entry ${index} was applied without a reply for command ${i}`));
  }
}
