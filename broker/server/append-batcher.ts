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
import type { ParsedAppend } from './append-merge.js';
import { mergeAppends, mergeLimits, parseMergeable, partBytes, splitResult } from './append-merge.js';

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
    const batch = this.coalesce(this.pending);
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

  /**
   * Merge the appends of one turn per stream (see append-merge.ts). A merged
   * group takes the place of its first member; any command that is not
   * mergeable closes every open group, so nothing moves across it.
   */
  private coalesce(batch: Pending[]): Pending[] {
    if (batch.length < 2) return batch;
    const out: Pending[] = [];
    interface Group {
      readonly at: number;
      readonly parts: Array<{ p: Pending; cmd: Uint8Array; parsed: ParsedAppend }>;
      messages: number;
      bytes: number;
      readonly limits: { messages: number; bytes: number };
    }
    let open = new Map<string, Group>();
    const slots: Array<Pending | Group> = [];
    const streams = this.ctx.machine.streams;
    const limitsOf = new Map<string, { messages: number; bytes: number } | undefined>();
    for (const p of batch) {
      const parsed = parseMergeable(p.cmd);
      let limits: { messages: number; bytes: number } | undefined;
      if (parsed) {
        if (limitsOf.has(parsed.key)) limits = limitsOf.get(parsed.key);
        else {
          limits = mergeLimits(streams.info(Buffer.from(parsed.stream).toString())?.config);
          limitsOf.set(parsed.key, limits);
        }
      }
      if (!parsed || !limits) {
        open = new Map();
        slots.push(p);
        continue;
      }
      const bytes = partBytes(p.cmd, parsed);
      let g = open.get(parsed.key);
      if (g && (g.messages + parsed.count > g.limits.messages || g.bytes + bytes > g.limits.bytes)) g = undefined;
      if (!g) {
        g = { at: slots.length, parts: [], messages: 0, bytes: 0, limits };
        open.set(parsed.key, g);
        slots.push(g);
      }
      g.parts.push({ p, cmd: p.cmd, parsed });
      g.messages += parsed.count;
      g.bytes += bytes;
    }
    for (const s of slots) {
      if (!('parts' in s)) out.push(s);
      else if (s.parts.length === 1) out.push(s.parts[0]!.p);
      else out.push(merged(s.parts));
    }
    return out;
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


/** One pending command standing for several merged appends: its outcome is split back. */
function merged(parts: ReadonlyArray<{ p: Pending; cmd: Uint8Array; parsed: ParsedAppend }>): Pending {
  const counts = parts.map((x) => x.parsed.count);
  return {
    cmd: mergeAppends(parts),
    resolve: (o) => {
      const rs = splitResult(o.result, counts);
      parts.forEach((x, i) => x.p.resolve({ result: rs[i]!, index: o.index, leader: o.leader }));
    },
    reject: (e) => {
      for (const x of parts) x.p.reject(e);
    },
  };
}
