// An in-process network for host tests: delivers on a later macrotask (as a
// socket would), and can cut a node off in both directions.

import type { Message, NodeId } from '../../core/types.js';
import type { Transport, TransportListener } from '../env.js';

export class MemoryNetwork {
  private readonly listeners = new Map<NodeId, TransportListener>();
  readonly down = new Set<NodeId>();
  delivered = 0;

  transport(id: NodeId): Transport {
    return {
      send: (messages: readonly Message[]) => {
        const batch = [...messages];
        setImmediate(() => {
          for (const m of batch) {
            if (this.down.has(m.from) || this.down.has(m.to)) {
              if (!this.down.has(m.from)) this.listeners.get(m.from)?.unreachable(m.to);
              continue;
            }
            const l = this.listeners.get(m.to);
            if (!l) continue;
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
}
