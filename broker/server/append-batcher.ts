// Stream writes on their way to the leader, coalesced per event-loop turn:
// every append that arrives in one turn (from unary calls, from the requests
// of every open AppendStream) becomes one proposeBatch on the leader — one
// Ready, one fsync, one AppendEntries — or, on a follower, one Raft.Forward
// carrying all of them. The leader stamps its own clock into each append just
// before proposing, so time comes from the leader whichever node took the
// request.

import * as grpc from '@grpc/grpc-js';
import type { NodeContext } from './context.js';
import { GROUP } from './context.js';
import { forwardToLeader } from './leader-calls.js';
import type { WriteOutcome } from './leader-propose.js';
import { decodeOutcome, proposeStamped } from './leader-propose.js';
import { StatusError } from './status.js';

/** Forwarded batches stay well under the peer port's message limit. */
const FORWARD_CHUNK_BYTES = 8 << 20;
const FORWARD_TIMEOUT_MS = 30_000;

interface Pending {
  readonly cmd: Uint8Array;
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class AppendBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly ctx: NodeContext) {}

  /** Submit an encoded command; resolves once applied on the leader (or rejects with a status). */
  submit(cmd: Uint8Array): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.pending.push({ cmd, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (this.ctx.host.isLeader) {
      void proposeStamped(
        this.ctx,
        batch.map((p) => p.cmd),
      ).then((outs) => outs.forEach((o, i) => ('outcome' in o ? batch[i]!.resolve(o.outcome) : batch[i]!.reject(o.error))));
      return;
    }
    let from = 0;
    while (from < batch.length) {
      let bytes = 0;
      let to = from;
      while (to < batch.length && (to === from || bytes + batch[to]!.cmd.byteLength <= FORWARD_CHUNK_BYTES)) bytes += batch[to++]!.cmd.byteLength;
      this.forward(batch.slice(from, to));
      from = to;
    }
  }

  private forward(chunk: Pending[]): void {
    const ctx = this.ctx;
    forwardToLeader(ctx, { group: GROUP, commands: chunk.map((p) => Buffer.from(p.cmd.buffer, p.cmd.byteOffset, p.cmd.byteLength)) }, Date.now() + FORWARD_TIMEOUT_MS, 'Append').then(
      (res) => {
        chunk.forEach((p, i) => {
          const b = res.results[i];
          if (!b) return p.reject(new StatusError(grpc.status.INTERNAL, `the leader answered ${res.results.length} of ${chunk.length} forwarded commands`));
          let o;
          try {
            o = decodeOutcome(b);
          } catch (e) {
            return p.reject(e);
          }
          if ('result' in o) p.resolve({ result: o.result, index: o.result.ok ? o.result.index : 0, leader: res.leader });
          else p.reject(new StatusError(o.code, o.details));
        });
      },
      (e: unknown) => {
        for (const p of chunk) p.reject(e);
      },
    );
  }
}

