// A Broker client over a list of servers: each call goes to the server that
// answered last, and moves on to the next one when a server cannot be reached
// at all. An answer from a node — success or a status it chose — is final:
// the node already forwarded to the leader, so trying elsewhere would only
// repeat the request.

import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { BrokerClient } from '../../proto/generated/quorumq/v1/Broker.js';

export const META_ANSWERED_BY = 'x-quorumq-answered-by';

export class CallError extends Error {
  override readonly name = 'CallError';
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    readonly server: string,
  ) {
    super(`${grpc.status[code]}: ${details}`);
  }
}

/**
 * grpc-js's own answer for a method the server does not serve: the port holds
 * no Broker service (a node's peer port, say). Nothing ran there, so the next
 * server may be tried; broker/cli/port-check.ts says what the port is.
 */
export const isMissingBroker = (e: { code: grpc.status; details: string }): boolean => e.code === grpc.status.UNIMPLEMENTED && /\/quorumq\.v1\.Broker\//.test(e.details);

export function parseServers(list: string | undefined): string[] {
  const s = (list ?? process.env.QUORUMQ_SERVER ?? '127.0.0.1:7001')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (s.length === 0) throw new Error('--server needs at least one host:port');
  return s;
}

type Method =
  | 'Put'
  | 'Get'
  | 'ClusterStatus'
  | 'AddNode'
  | 'RemoveNode'
  | 'TransferLeader'
  | 'DeclareStream'
  | 'DeleteStream'
  | 'ListStreams'
  | 'StreamInfo'
  | 'Append'
  | 'Read'
  | 'CommitOffset'
  | 'GetOffset'
  | 'DeclareQueue'
  | 'DeleteQueue'
  | 'PurgeQueue'
  | 'ListQueues'
  | 'QueueInfo'
  | 'Publish'
  | 'ListDeadLetters'
  | 'ReplayDeadLetters'
  | 'PurgeDeadLetters'
  | 'GetMessages'
  | 'Settle'
  | 'AddSchedule'
  | 'ListSchedules'
  | 'RemoveSchedule';

export class BrokerPool {
  private readonly clients = new Map<string, BrokerClient>();
  private preferred = 0;

  constructor(
    readonly servers: string[],
    private readonly timeoutMs = 5000,
  ) {}

  /** Each call's deadline unless it asks for another. */
  get timeout(): number {
    return this.timeoutMs;
  }

  private client(addr: string): BrokerClient {
    let c = this.clients.get(addr);
    if (!c) {
      const Broker = quorumqV1().Broker;
      c = new Broker(addr, grpc.credentials.createInsecure(), {
        'grpc.initial_reconnect_backoff_ms': 50,
        'grpc.max_reconnect_backoff_ms': 500,
        'grpc.min_reconnect_backoff_ms': 50,
      }) as unknown as BrokerClient;
      this.clients.set(addr, c);
    }
    return c;
  }

  /** The server that answered last. */
  get current(): string {
    return this.servers[this.preferred]!;
  }

  call<Res>(method: Method, req: object, timeoutMs = this.timeoutMs): Promise<Res & { _server: string }> {
    const n = this.servers.length;
    const tryAt = (k: number, lastErr: CallError | undefined): Promise<Res & { _server: string }> => {
      if (k >= n) return Promise.reject(lastErr ?? new CallError(grpc.status.UNAVAILABLE, 'no server to call', ''));
      const i = (this.preferred + k) % n;
      const addr = this.servers[i]!;
      return new Promise<Res & { _server: string }>((resolve, reject) => {
        const c = this.client(addr) as unknown as Record<Method, (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => void>;
        c[method](req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
          if (!err) {
            this.preferred = i;
            resolve({ ...(res as Res), _server: addr });
            return;
          }
          const answered = err.metadata?.get(META_ANSWERED_BY).length > 0;
          const e = new CallError(err.code, err.details, addr);
          if (answered || (err.code !== grpc.status.UNAVAILABLE && !isMissingBroker(e))) reject(e);
          else tryAt(k + 1, e).then(resolve, reject);
        });
      });
    };
    return tryAt(0, undefined);
  }

  /** The raw client of one server (for streaming calls), default the one that answered last. */
  raw(addr = this.current): BrokerClient {
    return this.client(addr);
  }

  /** Move the preferred server on (after a streaming call lost its server). */
  next(): string {
    this.preferred = (this.preferred + 1) % this.servers.length;
    return this.current;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
