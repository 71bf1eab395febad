// Hand-written codecs for Raft.Forward, both ways: a follower relays its
// clients' writes to the leader with it (every write an SDK sends to a
// follower), and a restarted follower's first relayed write (a consumer
// attaching to it) would otherwise build protobufjs's types on the spot
// (~50 ms, proto/load.ts). Same shapes as the loader's: every field present
// with its default, absent nested messages as null, 64-bit integers as
// numbers, bytes as Buffers (base64 text taken as the loader takes it);
// forward-codec.test.ts checks them against the loader's codecs.

import type { AddNodeRequest, AddNodeRequest__Output } from '../../proto/generated/quorumq/v1/AddNodeRequest.js';
import type { AddNodeResponse, AddNodeResponse__Output } from '../../proto/generated/quorumq/v1/AddNodeResponse.js';
import type { ForwardRequest, ForwardRequest__Output } from '../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse, ForwardResponse__Output } from '../../proto/generated/quorumq/v1/ForwardResponse.js';
import type { RemoveNodeRequest, RemoveNodeRequest__Output } from '../../proto/generated/quorumq/v1/RemoveNodeRequest.js';
import { EMPTY, In, LEN, Out, VARINT, WireError, fields, repeatedUint } from '../../proto/wire-codec.js';

type Bytes = Buffer | Uint8Array | string | undefined;

const asBytes = (v: Bytes): Uint8Array => (v === undefined ? EMPTY : typeof v === 'string' ? Buffer.from(v, 'base64') : v);


/** A nested message: its fields written by `write` into a buffer of their own, then tag, length and bytes. */
function nested(out: Out, no: number, write: (o: Out) => void): void {
  const inner = new Out();
  write(inner);
  const b = inner.finish();
  out.lenPrefix(no, b.byteLength);
  out.raw(b);
}

function packed(out: Out, no: number, xs: ReadonlyArray<number | string | { toString(): string }> | undefined): void {
  if (!xs || xs.length === 0) return;
  const inner = new Out();
  for (const x of xs) {
    const v = typeof x === 'number' ? x : Number(x);
    if (!Number.isInteger(v) || v < 0) throw new WireError(`field ${no}: ${String(x)} is not an unsigned integer`);
    inner.varint(v);
  }
  const b = inner.finish();
  out.lenPrefix(no, b.byteLength);
  out.raw(b);
}

function repeatedBytes(out: Out, no: number, xs: readonly Bytes[] | undefined): void {
  for (const x of xs ?? []) {
    const b = asBytes(x);
    // An empty element is still an element: written with length 0 (Out.bytes leaves empty ones out).
    out.lenPrefix(no, b.byteLength);
    out.raw(b);
  }
}

function membersResponse(r: In): AddNodeResponse__Output {
  const end = r.len();
  const m: AddNodeResponse__Output = { voters: [], learners: [] };
  fields(r, end, (no, wt) => {
    if (no === 1) return repeatedUint(r, wt, m.voters);
    if (no === 2) return repeatedUint(r, wt, m.learners);
    return false;
  });
  return m;
}

// ---- requests ---------------------------------------------------------------------

export function encodeForwardRequest(req: ForwardRequest): Buffer {
  const out = new Out(64 + asBytes(req.command).byteLength + (req.commands ?? []).reduce((n, c) => n + 8 + asBytes(c).byteLength, 0) + 10 * (req.deadlines?.length ?? 0));
  out.uint(1, req.group);
  out.bytes(2, asBytes(req.command));
  const add: AddNodeRequest | null | undefined = req.addNode;
  if (add) nested(out, 3, (o) => o.uint(1, add.id).string(2, add.peerAddress).string(3, add.clientAddress));
  const remove: RemoveNodeRequest | null | undefined = req.removeNode;
  if (remove) nested(out, 4, (o) => o.uint(1, remove.id));
  repeatedBytes(out, 5, req.commands);
  packed(out, 6, req.deadlines);
  return out.finish();
}

export function decodeForwardRequest(buf: Buffer): ForwardRequest__Output {
  const r = new In(buf, 0, buf.length);
  const q: ForwardRequest__Output = { group: 0, command: EMPTY, addNode: null, removeNode: null, commands: [], deadlines: [] };
  fields(r, buf.length, (no, wt) => {
    if (no === 6) return repeatedUint(r, wt, q.deadlines);
    if (no === 1 && wt === VARINT) q.group = r.uint32();
    else if (no === 2 && wt === LEN) q.command = r.bytes();
    else if (no === 3 && wt === LEN) {
      const end = r.len();
      const a: AddNodeRequest__Output = { id: 0, peerAddress: '', clientAddress: '' };
      fields(r, end, (n, w) => {
        if (n === 1 && w === VARINT) a.id = r.varint();
        else if (n === 2 && w === LEN) a.peerAddress = r.string();
        else if (n === 3 && w === LEN) a.clientAddress = r.string();
        else return false;
        return true;
      });
      q.addNode = a;
    } else if (no === 4 && wt === LEN) {
      const end = r.len();
      const m: RemoveNodeRequest__Output = { id: 0 };
      fields(r, end, (n, w) => {
        if (n === 1 && w === VARINT) m.id = r.varint();
        else return false;
        return true;
      });
      q.removeNode = m;
    } else if (no === 5 && wt === LEN) q.commands.push(r.bytes());
    else return false;
    return true;
  });
  return q;
}

// ---- responses --------------------------------------------------------------------

export function encodeForwardResponse(res: ForwardResponse): Buffer {
  const out = new Out(64 + asBytes(res.result).byteLength + (res.results ?? []).reduce((n, c) => n + 8 + asBytes(c).byteLength, 0));
  out.bytes(1, asBytes(res.result));
  out.uint(2, res.index);
  out.uint(3, res.leader);
  const members = (no: number, m: AddNodeResponse | null | undefined): void => {
    if (!m) return;
    nested(out, no, (o) => {
      packed(o, 1, m.voters);
      packed(o, 2, m.learners);
    });
  };
  members(4, res.addNode);
  members(5, res.removeNode);
  repeatedBytes(out, 6, res.results);
  return out.finish();
}

export function decodeForwardResponse(buf: Buffer): ForwardResponse__Output {
  const r = new In(buf, 0, buf.length);
  const s: ForwardResponse__Output = { result: EMPTY, index: 0, leader: 0, addNode: null, removeNode: null, results: [] };
  fields(r, buf.length, (no, wt) => {
    if (no === 1 && wt === LEN) s.result = r.bytes();
    else if (no === 2 && wt === VARINT) s.index = r.varint();
    else if (no === 3 && wt === VARINT) s.leader = r.varint();
    else if (no === 4 && wt === LEN) s.addNode = membersResponse(r);
    else if (no === 5 && wt === LEN) s.removeNode = membersResponse(r);
    else if (no === 6 && wt === LEN) s.results.push(r.bytes());
    else return false;
    return true;
  });
  return s;
}

/** The Raft service with these codecs on Forward (both sides: the client's requests out and answers in, the server's requests in and answers out). */
export function withForwardCodec<S extends Record<string, object>>(service: S): S {
  const forward = service['Forward'];
  if (!forward) throw new WireError('the Raft service has no Forward method');
  return {
    ...service,
    Forward: { ...forward, requestSerialize: encodeForwardRequest, requestDeserialize: decodeForwardRequest, responseSerialize: encodeForwardResponse, responseDeserialize: decodeForwardResponse },
  } as S;
}
