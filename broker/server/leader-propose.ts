// The leader's side of stream writes: stamping its clock into appends,
// proposing a batch of commands at once, and the per-command outcomes a
// forwarded batch answers with. No forwarding here (see append-batcher.ts).

import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../raft/core/types.js';
import type { CommandResult } from '../machine/commands.js';
import { decodeResult, encodeResult } from '../machine/commands.js';
import type { NodeContext } from './context.js';
import { toStatus } from './status.js';

export interface WriteOutcome {
  readonly result: CommandResult;
  readonly index: number;
  readonly leader: NodeId;
}

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

/** The leader's side of a forwarded batch: propose all, answer one outcome each. */
export async function proposeForwardedBatch(ctx: NodeContext, cmds: readonly Uint8Array[]): Promise<Buffer[]> {
  const outs = await proposeStamped(ctx, cmds);
  return outs.map((o) => {
    if ('outcome' in o) return encodeOutcome({ result: o.outcome.result });
    const s = toStatus(o.error);
    return encodeOutcome({ code: s.code, details: s.details });
  });
}
