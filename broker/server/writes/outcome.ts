// One forwarded command's answer as bytes: the machine's reply (success or
// refusal, encoded by the registry) with the index of the entry that held it
// (first byte 1), or a status when the command never reached a machine
// (first byte 2).

import * as grpc from '@grpc/grpc-js';
import type { Reply } from '../../machine/api.js';
import type { MachineRegistry } from '../../machine/registry.js';

const APPLIED = 1;
const STATUS = 2;

export type CommandOutcome = { readonly reply: Reply; readonly index: number } | { readonly code: grpc.status; readonly details: string };

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
  const b = Buffer.allocUnsafe(5 + d.length);
  b[0] = STATUS;
  b.writeUInt32BE(o.code, 1);
  d.copy(b, 5);
  return b;
}

export function decodeOutcome(machines: MachineRegistry, machine: number, b: Uint8Array): CommandOutcome {
  if (b[0] === STATUS) {
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (buf.length < 5) return { code: grpc.status.INTERNAL, details: 'a truncated outcome came back from the leader' };
    return { code: buf.readUInt32BE(1), details: buf.subarray(5).toString() };
  }
  if (b[0] !== APPLIED || b.byteLength < 9) return { code: grpc.status.INTERNAL, details: 'the leader answered with an outcome this node does not understand' };
  const index = new DataView(b.buffer, b.byteOffset, b.byteLength).getFloat64(1);
  return { reply: machines.decodeReply(machine, b.subarray(9)), index };
}
