// The replicated commands, as they sit in Raft entries. Every command starts
// with a format version and the id of the machine it is for, so new machines
// (queues, streams) and new command formats can be added without breaking the
// logs and snapshots already written: a node applies what it understands and
// answers a clear error for the rest, identically on every member.

import { DecodeError, Reader, Writer } from './bytes.js';
import type { StreamErrorCode, StreamResult } from './streams/machine.js';

export const COMMAND_VERSION = 1;

export const MachineId = {
  /** The cluster's own records: the member address book. */
  Cluster: 0,
  /** The replicated key-value store. */
  Kv: 1,
  /** Streams (broker/machine/streams): commands with their own codec. */
  Streams: 2,
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

export type ResultCode = 'invalid-argument' | 'unsupported' | StreamErrorCode;
const RESULT_CODES: readonly ResultCode[] = ['invalid-argument', 'unsupported', 'not-found', 'failed-precondition', 'resource-exhausted', 'out-of-range'];

/** A successful stream command's own result. */
export type StreamOk = Extract<StreamResult, { ok: true }>;

/** What applying a command produced. Errors are results too: every member computes the same one. */
export type CommandResult =
  | { readonly ok: true; readonly index: number; readonly stream?: StreamOk | undefined }
  | { readonly ok: false; readonly code: ResultCode; readonly message: string };

const KIND = { declared: 1, deleted: 2, appended: 3, committed: 4, ticked: 5 } as const;

export function encodeResult(r: CommandResult): Uint8Array {
  const w = new Writer();
  if (!r.ok) return w.u8(0).str(r.code).str(r.message).finish();
  w.u8(1).u53(r.index);
  const s = r.stream;
  if (!s) return w.finish();
  w.u8(KIND[s.kind]);
  if (s.kind === 'declared') w.u8(s.created ? 1 : 0);
  else if (s.kind === 'appended') w.u53(s.firstOffset).u53(s.count).u53(s.timestamp).u8(s.duplicate ? 1 : 0);
  return w.finish();
}

export function decodeResult(data: Uint8Array): CommandResult {
  const r = new Reader(data);
  if (r.u8() === 1) {
    const index = r.u53();
    if (r.done) return { ok: true, index };
    const kind = r.u8();
    let stream: StreamOk;
    if (kind === KIND.declared) stream = { ok: true, kind: 'declared', created: r.u8() === 1 };
    else if (kind === KIND.deleted) stream = { ok: true, kind: 'deleted' };
    else if (kind === KIND.appended) stream = { ok: true, kind: 'appended', firstOffset: r.u53(), count: r.u53(), timestamp: r.u53(), duplicate: r.u8() === 1 };
    else if (kind === KIND.committed) stream = { ok: true, kind: 'committed' };
    else if (kind === KIND.ticked) stream = { ok: true, kind: 'ticked' };
    else throw new DecodeError(`unknown stream result kind ${kind}`);
    r.end();
    return { ok: true, index, stream };
  }
  const code = r.str() as ResultCode;
  if (!RESULT_CODES.includes(code)) throw new DecodeError(`unknown result code ${code}`);
  return { ok: false, code, message: r.str() };
}
