// The cluster's own replicated records: where each member serves Raft and
// clients. Replicated (not just configured) so that every node, including one
// that joins later or becomes leader after a change, knows how to reach every
// member.

import type { Machine, Outcome } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';

export const CLUSTER_MACHINE_ID = 0;

export interface MemberAddress {
  readonly id: number;
  readonly peerAddress: string;
  readonly clientAddress: string;
}

export type ClusterCommand = ({ readonly op: 'set-member' } & MemberAddress) | { readonly op: 'remove-member'; readonly id: number };

export type ClusterReply = { readonly ok: true };

/** Every node re-points its peer connections when the address book changes. */
export type ClusterEffect = { readonly kind: 'members-changed' };

const SET_MEMBER = 1;
const REMOVE_MEMBER = 2;
const CHANGED: Outcome<ClusterReply, ClusterEffect> = { reply: { ok: true }, effects: [{ on: 'every-node', effect: { kind: 'members-changed' } }] };

export class ClusterMachine implements Machine<ClusterCommand, ClusterReply, ClusterEffect> {
  readonly id = CLUSTER_MACHINE_ID;
  readonly name = 'cluster';
  readonly snapshotVersion = 1;
  private readonly members = new Map<number, MemberAddress>();

  encodeCommand(c: ClusterCommand): Uint8Array {
    if (c.op === 'set-member') return new Writer().u8(SET_MEMBER).u32(c.id).str(c.peerAddress).str(c.clientAddress).finish();
    return new Writer().u8(REMOVE_MEMBER).u32(c.id).finish();
  }

  decodeCommand(payload: Uint8Array): ClusterCommand {
    const r = new Reader(payload);
    const op = r.u8();
    let c: ClusterCommand;
    if (op === SET_MEMBER) c = { op: 'set-member', id: r.u32(), peerAddress: r.str(), clientAddress: r.str() };
    else if (op === REMOVE_MEMBER) c = { op: 'remove-member', id: r.u32() };
    else throw new DecodeError(`unknown cluster operation ${op}`);
    r.end();
    return c;
  }

  encodeReply(): Uint8Array {
    return new Uint8Array(0);
  }

  decodeReply(): ClusterReply {
    return { ok: true };
  }

  apply(_meta: unknown, c: ClusterCommand): Outcome<ClusterReply, ClusterEffect> {
    if (c.op === 'set-member') this.members.set(c.id, { id: c.id, peerAddress: c.peerAddress, clientAddress: c.clientAddress });
    else this.members.delete(c.id);
    return CHANGED;
  }

  get(id: number): MemberAddress | undefined {
    return this.members.get(id);
  }

  all(): MemberAddress[] {
    return [...this.members.values()].sort((a, b) => a.id - b.id);
  }

  writeSnapshot(w: Writer): void {
    const all = this.all();
    w.u32(all.length);
    for (const m of all) w.u32(m.id).str(m.peerAddress).str(m.clientAddress);
  }

  readSnapshot(r: Reader): void {
    this.members.clear();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const m = { id: r.u32(), peerAddress: r.str(), clientAddress: r.str() };
      this.members.set(m.id, m);
    }
  }
}
