// Stream writes on their way to the leader, coalesced per event-loop turn:
// every append that arrives in one turn (from unary calls, from the requests
// of every open AppendStream) becomes one proposeBatch on the leader — one
// Ready, one fsync, one AppendEntries — or, on a follower, one Raft.Forward
// carrying all of them. The leader stamps its own clock into each append just
// before proposing, so time comes from the leader whichever node took the
// request.

import * as grpc from '@grpc/grpc-js';
import type { CommandResult } from '../machine/commands.js';
import { decodeResult, encodeResult } from '../machine/commands.js';
import type { NodeContext } from './context.js';
import { GROUP } from './context.js';
import { forwardToLeader } from './leader-calls.js';
import type { WriteOutcome } from './leader-calls.js';
import { StatusError, toStatus } from './status.js';

const VERSION = 1;
const STREAMS_MACHINE = 2;
/** The append operation's code in broker/machine/streams/commands.ts (checked by a unit test). */
const OP_APPEND = 3;

/**
 * Overwrite the `time` of an encoded stream append in place (no copy), when
 * `cmd` is one. Layout: version, machine, op, stream (u32 length + bytes),
 * producer (u32 length + bytes), seq (8 bytes), time (8 bytes, float64 BE).
 */
export function stampAppendTime(cmd: Uint8Array, time: number): boolean {
  if (cmd.byteLength < 3 || cmd[0] !== VERSION || cmd[1] !== STREAMS_MACHINE || cmd[2] !== OP_APPEND) return false;
  const v = new DataView(cmd.buffer, cmd.byteOffset, cmd.byteLength);
  let o = 3;
  if (o + 4 > cmd.byteLength) return false;
  o += 4 + v.getUint32(o);
  if (o + 4 > cmd.byteLength) return false;
  o += 4 + v.getUint32(o);
  o += 8;
  if (o + 8 > cmd.byteLength) return false;
  v.setFloat64(o, time);
  return true;
}

/** Forwarded batches stay well under the peer port's message limit. */
const FORWARD_CHUNK_BYTES = 8 << 20;
const FORWARD_TIMEOUT_MS = 30_000;

/** One answer of a batch: the machine's result, or a status when the command never reached the machine. */
const OUTCOME_STATUS = 2;

export function encodeOutcome(o: { result: CommandResult } | { code: grpc.status; details: string }): Buffer {
  if ('result' in o) return Buffer.from(encodeResult(o.result));
  const d = Buffer.from(o.details);
  const b = Buffer.allocUnsafe(5 + d.length);
  b[0] = OUTCOME_STATUS;
  b.writeUInt32BE(o.code, 1);
  d.copy(b, 5);
  return b;
}

export function decodeOutcome(b: Uint8Array): { result: CommandResult } | { code: grpc.status; details: string } {
  if (b[0] === OUTCOME_STATUS) {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    return { code: buf.readUInt32BE(1), details: buf.subarray(5).toString() };
  }
  return { result: decodeResult(b) };
}

interface Pending {
  readonly cmd: Uint8Array;
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/** Propose encoded commands on the leader (stamping appends); resolves one outcome per command, never rejects. */
export function proposeStamped(ctx: NodeContext, cmds: readonly Uint8Array[]): Promise<Array<{ outcome: WriteOutcome } | { error: unknown }>> {
  const now = Date.now();
  for (const c of cmds) stampAppendTime(c, now);
  let ps;
  try {
    ps = ctx.host.proposeBatch(cmds);
  } catch (e) {
    return Promise.resolve(cmds.map(() => ({ error: e })));
  }
  return Promise.all(
    ps.map((p) =>
      p.then(
        (applied) => ({ outcome: { result: applied.result ?? { ok: true as const, index: applied.index }, index: applied.index, leader: ctx.id } }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
}

export class AppendBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly ctx: NodeContext) {}

  /** Submit an encoded command; resolves once applied on the leader (or rejects with a status). */
  submit(cmd: Uint8Array): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.pending.push({ cmd, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (this.ctx.host.isLeader) {
      void proposeStamped(
        this.ctx,
        batch.map((p) => p.cmd),
      ).then((outs) => outs.forEach((o, i) => ('outcome' in o ? batch[i]!.resolve(o.outcome) : batch[i]!.reject(o.error))));
      return;
    }
    let from = 0;
    while (from < batch.length) {
      let bytes = 0;
      let to = from;
      while (to < batch.length && (to === from || bytes + batch[to]!.cmd.byteLength <= FORWARD_CHUNK_BYTES)) bytes += batch[to++]!.cmd.byteLength;
      this.forward(batch.slice(from, to));
      from = to;
    }
  }

  private forward(chunk: Pending[]): void {
    const ctx = this.ctx;
    forwardToLeader(ctx, { group: GROUP, commands: chunk.map((p) => Buffer.from(p.cmd.buffer, p.cmd.byteOffset, p.cmd.byteLength)) }, Date.now() + FORWARD_TIMEOUT_MS, 'Append').then(
      (res) => {
        chunk.forEach((p, i) => {
          const b = res.results[i];
          if (!b) return p.reject(new StatusError(grpc.status.INTERNAL, `the leader answered ${res.results.length} of ${chunk.length} forwarded commands`));
          let o;
          try {
            o = decodeOutcome(b);
          } catch (e) {
            return p.reject(e);
          }
          if ('result' in o) p.resolve({ result: o.result, index: o.result.ok ? o.result.index : 0, leader: res.leader });
          else p.reject(new StatusError(o.code, o.details));
        });
      },
      (e: unknown) => {
        for (const p of chunk) p.reject(e);
      },
    );
  }
}

/** The leader's side of a forwarded batch: propose all, answer one outcome each. */
export async function proposeForwardedBatch(ctx: NodeContext, cmds: readonly Uint8Array[]): Promise<Buffer[]> {
  const outs = await proposeStamped(ctx, cmds);
  return outs.map((o) => {
    if ('outcome' in o) return encodeOutcome({ result: o.outcome.result });
    const s = toStatus(o.error);
    return encodeOutcome({ code: s.code, details: s.details });
  });
}
