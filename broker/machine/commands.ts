// The replicated commands, as they sit in Raft entries. Every command starts
// with a format version and the id of the machine it is for, so new machines
// (queues, streams) and new command formats can be added without breaking the
// logs and snapshots already written: a node applies what it understands and
// answers a clear error for the rest, identically on every member.

import { DecodeError, Reader, Writer } from './bytes.js';

export const COMMAND_VERSION = 1;

export const MachineId = {
  /** The cluster's own records: the member address book. */
  Cluster: 0,
  /** The replicated key-value store. */
  Kv: 1,
} as const;
export type MachineId = (typeof MachineId)[keyof typeof MachineId];

export type Command =
  | { readonly machine: 'kv'; readonly op: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly machine: 'cluster'; readonly op: 'set-member'; readonly id: number; readonly peerAddress: string; readonly clientAddress: string }
  | { readonly machine: 'cluster'; readonly op: 'remove-member'; readonly id: number };

const KV_PUT = 1;
const CLUSTER_SET_MEMBER = 1;
const CLUSTER_REMOVE_MEMBER = 2;

export function encodeCommand(c: Command): Uint8Array {
  const w = new Writer().u8(COMMAND_VERSION);
  switch (c.machine) {
    case 'kv':
      return w.u8(MachineId.Kv).u8(KV_PUT).str(c.key).bytes(c.value).finish();
    case 'cluster':
      w.u8(MachineId.Cluster);
      if (c.op === 'set-member') return w.u8(CLUSTER_SET_MEMBER).u32(c.id).str(c.peerAddress).str(c.clientAddress).finish();
      return w.u8(CLUSTER_REMOVE_MEMBER).u32(c.id).finish();
  }
}

export function decodeCommand(data: Uint8Array): Command {
  const r = new Reader(data);
  const version = r.u8();
  if (version !== COMMAND_VERSION) throw new DecodeError(`unsupported command version ${version}`);
  const machine = r.u8();
  const op = r.u8();
  let c: Command;
  if (machine === MachineId.Kv && op === KV_PUT) {
    c = { machine: 'kv', op: 'put', key: r.str(), value: r.bytes() };
  } else if (machine === MachineId.Cluster && op === CLUSTER_SET_MEMBER) {
    c = { machine: 'cluster', op: 'set-member', id: r.u32(), peerAddress: r.str(), clientAddress: r.str() };
  } else if (machine === MachineId.Cluster && op === CLUSTER_REMOVE_MEMBER) {
    c = { machine: 'cluster', op: 'remove-member', id: r.u32() };
  } else {
    throw new DecodeError(`unknown command ${op} for machine ${machine}`);
  }
  r.end();
  return c;
}

/** What applying a command produced. Errors are results too: every member computes the same one. */
export type CommandResult =
  | { readonly ok: true; readonly index: number }
  | { readonly ok: false; readonly code: 'invalid-argument' | 'unsupported'; readonly message: string };

export function encodeResult(r: CommandResult): Uint8Array {
  const w = new Writer();
  if (r.ok) return w.u8(1).u53(r.index).finish();
  return w.u8(0).str(r.code).str(r.message).finish();
}

export function decodeResult(data: Uint8Array): CommandResult {
  const r = new Reader(data);
  if (r.u8() === 1) return { ok: true, index: r.u53() };
  const code = r.str();
  if (code !== 'invalid-argument' && code !== 'unsupported') throw new DecodeError(`unknown result code ${code}`);
  return { ok: false, code, message: r.str() };
}
