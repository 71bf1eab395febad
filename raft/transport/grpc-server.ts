// Binding a gRPC server with errors a person can act on. grpc-js reports an
// address in use as "No address added out of total 1 resolved"; callers get a
// BindError naming the address instead.

import type { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';

export class BindError extends Error {
  override readonly name = 'BindError';
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cannot listen on ${address}: ${reason}`);
  }
}

/** Bind `server` to host:port (port 0 picks a free one) and return the bound port; plaintext unless `creds` say otherwise. */
export function bindServer(server: grpc.Server, address: string, creds: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, creds, (err, port) => {
      if (err) {
        const msg = /EADDRINUSE/.test(err.message)
          ? 'address already in use'
          : /EADDRNOTAVAIL/.test(err.message)
            ? 'address not available on this host'
            : err.message.split('\n')[0]!;
        reject(new BindError(address, msg));
      } else resolve(port);
    });
  });
}

/** Stop accepting calls and wait for in-flight ones, but never longer than `graceMs`. */
export function shutdownServer(server: grpc.Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * The node:http2 servers a grpc.Server listens with (one per bound address),
 * for what grpc-js offers no option or hook for: counting failed TLS
 * handshakes, limiting connections per client address. grpc-js keeps them in
 * a private map; it is checked at run time, and undefined is returned (the
 * caller says so in the log) if an upgrade of grpc-js renamed it.
 */
export function http2ServersOf(server: grpc.Server): EventEmitter[] | undefined {
  const map = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(map instanceof Map)) return undefined;
  const out = [...map.keys()].filter((s): s is EventEmitter => !!s && typeof (s as EventEmitter).on === 'function');
  return out.length > 0 ? out : undefined;
}
