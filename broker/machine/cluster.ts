// The cluster's own replicated records: where each member serves Raft and
// clients. Replicated (not just configured) so that every node, including one
// that joins later or becomes leader after a change, knows how to reach every
// member.

import { Reader, Writer } from './bytes.js';

export interface MemberAddress {
  readonly id: number;
  readonly peerAddress: string;
  readonly clientAddress: string;
}

export class ClusterMachine {
  private readonly members = new Map<number, MemberAddress>();

  set(m: MemberAddress): void {
    this.members.set(m.id, m);
  }

  remove(id: number): void {
    this.members.delete(id);
  }

  get(id: number): MemberAddress | undefined {
    return this.members.get(id);
  }

  all(): MemberAddress[] {
    return [...this.members.values()].sort((a, b) => a.id - b.id);
  }

  write(w: Writer): void {
    const all = this.all();
    w.u32(all.length);
    for (const m of all) w.u32(m.id).str(m.peerAddress).str(m.clientAddress);
  }

  read(r: Reader): void {
    this.members.clear();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const m = { id: r.u32(), peerAddress: r.str(), clientAddress: r.str() };
      this.members.set(m.id, m);
    }
  }
}
