// How commands sit in Raft entries. A command is the id byte of the machine
// it is for, then that machine's own bytes; the front door builds it, a
// follower forwards it as is. The leader packs the commands of one event-loop
// turn — for any machines — into one entry and stamps its clock into it:
//
//   u8  format (2)
//   f64 time       the leader's clock when proposed, ms (big-endian)
//   u32 count
//   count × ( u32 length, then `length` bytes of command: u8 machine, payload )
//
// Each command in an entry is applied on its own (its own reply, its own
// refusal, its own retention), in order, with the entry's index, time and its
// position (`part`); sharing an entry only saves the per-entry costs (a
// proposal, a log key and checksum, an AppendEntries slot, a decode). An
// entry with no commands carries only time: it is how time reaches machines
// that have deadlines while no other writes arrive.

import { DecodeError } from './bytes.js';

export const ENTRY_FORMAT = 2;
const HEADER = 1 + 8 + 4;
const TIME_AT = 1;

/** One command: the machine's id, then its payload. */
export function machineCommand(machine: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + payload.byteLength);
  out[0] = machine;
  out.set(payload, 1);
  return out;
}

/** The command for machine `m`: its id byte, then its encoding of `c`. */
export function commandFor<C>(m: { readonly id: number; encodeCommand(c: C): Uint8Array; encodeCommandWithId?(c: C): Uint8Array }, c: C): Uint8Array {
  return m.encodeCommandWithId ? m.encodeCommandWithId(c) : machineCommand(m.id, m.encodeCommand(c));
}

/** The machine a command is for. */
export function commandMachine(cmd: Uint8Array): number {
  if (cmd.byteLength < 1) throw new DecodeError('empty command');
  return cmd[0]!;
}

/** The size an entry holding these commands will have. */
export function entrySize(commandBytes: number, commands: number): number {
  return HEADER + commandBytes + 4 * commands;
}

/** One entry holding `commands` in order, stamped with `time` (0: the leader stamps it later). */
export function buildEntry(commands: readonly Uint8Array[], time = 0): Uint8Array {
  let size = HEADER;
  for (const c of commands) size += 4 + c.byteLength;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = ENTRY_FORMAT;
  v.setFloat64(TIME_AT, time);
  v.setUint32(9, commands.length);
  let o = HEADER;
  for (const c of commands) {
    v.setUint32(o, c.byteLength);
    out.set(c, o + 4);
    o += 4 + c.byteLength;
  }
  return out;
}

/** Write the leader's time into an entry built by buildEntry (in place). */
export function stampTime(entry: Uint8Array, time: number): void {
  new DataView(entry.buffer, entry.byteOffset, entry.byteLength).setFloat64(TIME_AT, time);
}

export interface DecodedEntry {
  readonly time: number;
  /** Views into the entry's buffer: machine id byte, then payload. */
  readonly commands: Uint8Array[];
}

/** Split an entry into its commands (views, no copies). Throws DecodeError for anything else. */
export function decodeEntry(data: Uint8Array): DecodedEntry {
  if (data.byteLength < HEADER) throw new DecodeError(`entry of ${data.byteLength} bytes is shorter than the ${HEADER}-byte header`);
  if (data[0] !== ENTRY_FORMAT) throw new DecodeError(`unsupported entry format ${data[0]}`);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const time = v.getFloat64(TIME_AT);
  if (!Number.isFinite(time) || time < 0) throw new DecodeError(`bad entry time ${time}`);
  const count = v.getUint32(9);
  const commands: Uint8Array[] = [];
  let o = HEADER;
  for (let k = 0; k < count; k++) {
    if (o + 4 > data.byteLength) throw new DecodeError(`entry truncated in command ${k} of ${count}`);
    const len = v.getUint32(o);
    if (len < 1 || o + 4 + len > data.byteLength) throw new DecodeError(`command ${k} of ${count} has a bad length ${len}`);
    commands.push(data.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  if (o !== data.byteLength) throw new DecodeError(`${data.byteLength - o} trailing bytes after ${count} commands`);
  return { time, commands };
}

/** The command at `part` of an entry (a view). */
export function entryCommand(data: Uint8Array, part: number): Uint8Array {
  const { commands } = decodeEntry(data);
  const c = commands[part];
  if (!c) throw new DecodeError(`entry has ${commands.length} commands, not a command at position ${part}`);
  return c;
}
