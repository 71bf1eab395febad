// The CLI's view of the SDK's Connection (broker/client/): a list of servers,
// each call to the server that answered last, moving on to the next one only
// when a server cannot be reached at all. An answer from a node — success or
// a status it chose — is final: the node already forwarded to the leader, so
// trying elsewhere would only repeat the request; except "unavailable, not
// applied" (a node removed from the cluster, whose forwards the leader
// refuses), where nothing happened. The channels, the retry loop and the
// error mapping are the SDK's (one client pool).

import * as grpc from '@grpc/grpc-js';
import { Connection, isMissingBroker as missingBroker } from '../client/connection.js';
import { QuorumqError } from '../client/errors.js';
import type { UnaryMethod } from '../client/methods.js';
import type { BrokerClient } from '../../proto/generated/quorumq/v1/Broker.js';

export { META_ANSWERED_BY } from '../client/errors.js';

export class CallError extends Error {
  override readonly name = 'CallError';
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    readonly server: string,
    /** What the node said of a write it refused: 'not-applied' (nothing happened) or 'unknown'. */
    readonly outcome?: 'not-applied' | 'unknown',
  ) {
    super(`${grpc.status[code]}: ${details}`);
  }
}

/**
 * grpc-js's own answer for a method the server does not serve: the port holds
 * no Broker service (a node's peer port, say). Nothing ran there, so the next
 * server may be tried; broker/cli/port-check.ts says what the port is.
 */
export const isMissingBroker = (e: { code: grpc.status; details: string }): boolean => missingBroker(e);

export function parseServers(list: string | undefined): string[] {
  const s = (list ?? process.env.QUORUMQ_SERVER ?? '127.0.0.1:7001')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (s.length === 0) throw new Error('--server needs at least one host:port');
  return s;
}

type Method = UnaryMethod;

export class BrokerPool {
  private readonly conn: Connection;
  private preferred = 0;

  constructor(
    readonly servers: string[],
    private readonly timeoutMs = 5000,
    /** TLS for a client port served with --tls all; plaintext when absent. */
    credentials?: grpc.ChannelCredentials,
    /** A user's token, sent on every call (the server's --auth on). */
    token?: string,
  ) {
    // Only these servers (a user who says --server means it), no overall deadline: each attempt has its own.
    this.conn = new Connection({ servers, discoverMembers: false, timeoutMs: Infinity, attemptTimeoutMs: timeoutMs, ...(credentials ? { credentials } : {}), ...(token ? { token } : {}) });
  }

  /** Each call's deadline unless it asks for another. */
  get timeout(): number {
    return this.timeoutMs;
  }

  /** The server that answered last. */
  get current(): string {
    return this.servers[this.preferred]!;
  }

  /**
   * One call. A node that answers "unavailable, nothing was proposed (not
   * applied)" — an election in progress, say — did nothing, so the call is
   * made again after a short, growing pause until `timeoutMs` has passed, as
   * a careful user would; any other answer stands.
   */
  async call<Res>(method: Method, req: object, timeoutMs = this.timeoutMs): Promise<Res & { _server: string }> {
    const deadline = Date.now() + timeoutMs;
    for (let pauseMs = 50; ; pauseMs = Math.min(pauseMs * 2, 500)) {
      try {
        return await this.callOnce<Res>(method, req, Math.max(1, deadline - Date.now()));
      } catch (e) {
        const notApplied = e instanceof CallError && e.code === grpc.status.UNAVAILABLE && e.outcome === 'not-applied';
        // Another try only with time enough left to be answered: one cut short
        // by the deadline would end as DEADLINE_EXCEEDED (outcome unknown) and
        // hide the node's own answer.
        if (!notApplied || deadline - (Date.now() + pauseMs) < Math.min(1000, timeoutMs / 2)) throw e;
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    }
  }

  private async callOnce<Res>(method: Method, req: object, timeoutMs: number): Promise<Res & { _server: string }> {
    try {
      const r = await this.conn.call(method, req as never, { route: this.current, once: true, attemptTimeoutMs: timeoutMs, timeoutMs: Infinity });
      const i = this.servers.indexOf(r._server);
      if (i >= 0) this.preferred = i;
      return r as unknown as Res & { _server: string };
    } catch (e) {
      if (e instanceof QuorumqError) throw new CallError(e.status ?? grpc.status.UNAVAILABLE, e.details, e.server ?? this.current, e.outcome);
      throw e;
    }
  }

  /** The raw client of one server (for streaming calls), default the one that answered last. */
  raw(addr = this.current): BrokerClient {
    return this.conn.client(addr);
  }

  /** Move the preferred server on (after a streaming call lost its server). */
  next(): string {
    this.preferred = (this.preferred + 1) % this.servers.length;
    return this.current;
  }

  close(): void {
    this.conn.close();
  }
}
