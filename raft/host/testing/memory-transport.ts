// An in-process network for host tests: delivers on a later macrotask (as a
// socket would), and can cut a node off in both directions.

import type { Message, MsgSnap, NodeId } from '../../core/types.js';
import type { Transport, TransportListener } from '../env.js';

export class MemoryNetwork {
  private readonly listeners = new Map<NodeId, TransportListener>();
  readonly down = new Set<NodeId>();
  delivered = 0;
  /** Every message handed to the network, in order (tests read what a host sent). */
  readonly sent: Message[] = [];

  transport(id: NodeId): Transport {
    return {
      send: (messages: readonly Message[]) => {
        const batch = [...messages];
        for (const m of batch) this.sent.push(m);
        setImmediate(() => {
          for (const m of batch) {
            if (this.down.has(m.from) || this.down.has(m.to)) {
              if (!this.down.has(m.from)) this.listeners.get(m.from)?.unreachable(m.to);
              continue;
            }
            const l = this.listeners.get(m.to);
            if (!l) continue;
            if (m.type === 'snap' && l.storeSnapshotEntries && this.listeners.get(m.from)?.snapshotEntries) {
              void this.deliverSnapshot(m, l);
              continue;
            }
            this.delivered++;
            l.message(m);
            if (m.type === 'snap') this.listeners.get(m.from)?.snapshotDone(m.group, m.to, true);
          }
        });
      },
      listen: (l: TransportListener) => {
        this.listeners.set(id, l);
      },
    };
  }

  /** As the gRPC transport does: the entries kept below the snapshot, chunk by chunk, stored before the snapshot is stepped. */
  private async deliverSnapshot(m: MsgSnap, to: TransportListener): Promise<void> {
    const from = this.listeners.get(m.from)!;
    try {
      for await (const es of from.snapshotEntries!(m.group, m.snapshot.meta.index, 4096)) await to.storeSnapshotEntries!(m.group, es);
    } catch {
      from.snapshotDone(m.group, m.to, false);
      return;
    }
    this.delivered++;
    to.message(m);
    from.snapshotDone(m.group, m.to, true);
  }
}
