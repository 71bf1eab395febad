// What every workload's clients share: one gRPC client per node address
// (reconnecting fast, so a restarted node is reached again within a
// fraction of a second), a unary call with a deadline, and the careful
// user's write loop — the same idempotent write tried on the next node after
// a transient error, until a definite answer or a give-up time.

import * as grpc from '@grpc/grpc-js';
import { Connection } from '../../../broker/client/connection.js';
import type { BrokerClient } from '../../../proto/generated/quorumq/v1/Broker.js';
import { sleep } from '../../../deploy/chaos/cluster-ctl.js';
import type { ClientAccess } from '../../../deploy/chaos/cluster-ctl.js';

/** Statuses that say the write was refused for good (retrying cannot help). */
export const DEFINITE = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.FAILED_PRECONDITION, grpc.status.NOT_FOUND, grpc.status.OUT_OF_RANGE, grpc.status.ALREADY_EXISTS]);

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => void;

/** A status in words for the history. */
export function describeError(e: unknown): string {
  const err = e as grpc.ServiceError;
  return `${grpc.status[err.code] ?? err.code}: ${err.details ?? err.message}`;
}

/**
 * The SDK's channels (one per node, reconnecting fast), without its routing:
 * each try goes where the workload says.
 */
export class NodeClients {
  private conn: Connection | undefined;
  private access: ClientAccess = {};

  /**
   * The cluster's CA and token (a run with --tls/--auth), as a user of such a
   * cluster has them: set before the first call (a workload's setup()).
   */
  useAccess(access: ClientAccess): void {
    if (this.conn) throw new Error('NodeClients.useAccess after the first call: the channels are already open');
    this.access = access;
  }

  client(addr: string): BrokerClient {
    this.conn ??= new Connection({
      servers: [addr],
      discoverMembers: false,
      ...(this.access.tls ? { tls: this.access.tls } : {}),
      // Sent on every call, the Consume streams opened by hand included.
      ...(this.access.token ? { token: this.access.token } : {}),
      // A batch of deliveries or dead letters of large (bulk) messages may pass the 4 MiB default.
      channelOptions: { 'grpc.max_receive_message_length': -1 },
    });
    return this.conn.client(addr);
  }

  unary<Res>(addr: string, method: string, req: object, timeoutMs: number): Promise<Res> {
    const c = this.client(addr) as unknown as Record<string, Unary<object, Res>>;
    return new Promise((resolve, reject) => {
      c[method]!.call(c, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res!)));
    });
  }

  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }
}

/**
 * A failed write certainly not applied: the server said so (the
 * x-quorumq-outcome trailer), or grpc-js failed the call with "No connection
 * established" before sending it (no channel to that node is up, e.g. a
 * killed node). Anything else may have been applied.
 */
export function certainlyNotApplied(e: unknown): boolean {
  const err = e as grpc.ServiceError;
  if (err.metadata?.get('x-quorumq-outcome')[0]?.toString() === 'not-applied') return true;
  return err.code === grpc.status.UNAVAILABLE && /^No connection established/.test(err.details ?? '');
}

export type RetriedWrite<T> =
  | { readonly outcome: 'ok'; readonly value: T; readonly addr: string; readonly tries: number }
  /** fail: every try was certainly not applied, or one was refused for good; unknown: some try may have been applied. */
  | { readonly outcome: 'fail' | 'unknown'; readonly error: string; readonly definite: boolean; readonly addr: string; readonly tries: number };

/**
 * Send one idempotent write (a producer's sequence: the server stores it
 * once) until a definite answer: on a transient status the same write goes to
 * the next node. Each failed try's x-quorumq-outcome trailer says whether it
 * may have been applied; a status without one (the client's own deadline, a
 * broken connection) counts as maybe applied. `at` is advanced past nodes that
 * failed, so the caller's next write starts where this one succeeded.
 */
export async function writeWithRetries<T>(o: {
  addrs: () => string[];
  at: { n: number };
  giveUpMs: number;
  rng: () => number;
  attempt: (addr: string) => Promise<T>;
  /**
   * false: a write the server does not deduplicate (a partitioned queue takes
   * no producer sequence): it is sent again only after tries that certainly
   * were not applied, and a try that may have been ends it as unknown.
   */
  idempotent?: boolean;
}): Promise<RetriedWrite<T>> {
  const started = Date.now();
  let tries = 0;
  let maybeApplied = false;
  for (;;) {
    tries++;
    const addrs = o.addrs();
    const addr = addrs[o.at.n % addrs.length]!;
    try {
      return { outcome: 'ok', value: await o.attempt(addr), addr, tries };
    } catch (e) {
      const err = e as grpc.ServiceError;
      const said = err.metadata?.get('x-quorumq-outcome')[0]?.toString();
      if (!certainlyNotApplied(err)) maybeApplied = true;
      const error = `${describeError(err)} [outcome ${said ?? 'not said'}]`;
      if (DEFINITE.has(err.code)) return { outcome: 'fail', error, definite: true, addr, tries };
      if (maybeApplied && o.idempotent === false) return { outcome: 'unknown', error, definite: false, addr, tries };
      if (Date.now() - started > o.giveUpMs) return { outcome: maybeApplied ? 'unknown' : 'fail', error, definite: false, addr, tries };
      o.at.n++; // the next node
      await sleep(50 + Math.floor(o.rng() * 100));
    }
  }
}
