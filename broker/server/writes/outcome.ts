// One forwarded command's answer as bytes: the machine's reply (success or
// refusal, encoded by the registry) with the index of the entry that held it
// (first byte 1), or a status when the command never reached a machine
// (first byte 2; first byte 3 adds the status's outcome, see rpc/status.ts).

import * as grpc from '@grpc/grpc-js';
import type { Reply } from '../../machine/api.js';
import type { MachineRegistry } from '../../machine/registry.js';
import type { Outcome } from '../rpc/status.js';

const APPLIED = 1;
const STATUS = 2;
const STATUS_WITH_OUTCOME = 3;
const OUTCOMES: readonly Outcome[] = ['not-applied', 'unknown'];

export type CommandOutcome = { readonly reply: Reply; readonly index: number } | { readonly code: grpc.status; readonly details: string; readonly outcome?: Outcome };

export function encodeOutcome(machines: MachineRegistry, machine: number, o: CommandOutcome): Buffer {
  if ('reply' in o) {
    const r = machines.encodeReply(machine, o.reply);
    const b = Buffer.allocUnsafe(9 + r.byteLength);
    b[0] = APPLIED;
    b.writeDoubleBE(o.index, 1);
    b.set(r, 9);
    return b;
  }
  const d = Buffer.from(o.details);
  if (o.outcome) {
    const b = Buffer.allocUnsafe(6 + d.length);
    b[0] = STATUS_WITH_OUTCOME;
    b.writeUInt32BE(o.code, 1);
    b[5] = OUTCOMES.indexOf(o.outcome);
    d.copy(b, 6);
    return b;
  }
  const b = Buffer.allocUnsafe(5 + d.length);
  b[0] = STATUS;
  b.writeUInt32BE(o.code, 1);
  d.copy(b, 5);
  return b;
}

export function decodeOutcome(machines: MachineRegistry, machine: number, b: Uint8Array): CommandOutcome {
  if (b[0] === STATUS_WITH_OUTCOME) {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (buf.length < 6) return { code: grpc.status.INTERNAL, details: 'a truncated outcome came back from the leader', outcome: 'unknown' };
    return { code: buf.readUInt32BE(1), details: buf.subarray(6).toString(), outcome: OUTCOMES[buf[5]!] ?? 'unknown' };
  }
  if (b[0] === STATUS) {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (buf.length < 5) return { code: grpc.status.INTERNAL, details: 'a truncated outcome came back from the leader' };
    return { code: buf.readUInt32BE(1), details: buf.subarray(5).toString() };
  }
  if (b[0] !== APPLIED || b.byteLength < 9) return { code: grpc.status.INTERNAL, details: 'the leader answered with an outcome this node does not understand' };
  const index = new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(1);
  return { reply: machines.decodeReply(machine, b.subarray(9)), index };
}
