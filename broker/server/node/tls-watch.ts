// Two things the node's TLS needs besides the files themselves:
//
// - Reload on file change: the directories of --tls-ca/-cert/-key are
//   watched (not the files: tools that renew certificates — cert-manager,
//   certbot, `mv` — replace a file by renaming, and a watch on the old inode
//   then sees nothing). A change is acted on once things settle (a renewal
//   writes the cert and the key one after the other), through the same
//   reload as SIGHUP: bad new files are refused and the old ones kept.
// - Handshake failures counted: a plaintext client on a TLS port, an
//   untrusted or expired client certificate. Node reports them as
//   'tlsClientError' on the TLS server; grpc-js creates its HTTP/2 servers
//   itself and exposes no hook (see http2ServersOf).

import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { http2ServersOf } from '../../../raft/transport/grpc-server.js';
import type { TlsFiles } from './tls.js';

/** How long changes must stop before the files are read again. */
const SETTLE_MS = 250;

/** Call `reload` after the TLS files change; returns the function that stops watching. */
export function watchTlsFiles(files: TlsFiles, reload: () => void, log: Logger): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const f of [files.ca, files.cert, files.key]) {
    const d = dirname(f);
    if (!byDir.has(d)) byDir.set(d, new Set());
    byDir.get(d)!.add(basename(f));
  }
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms give no name: then any change in the directory counts.
        // Kubernetes Secret volumes swap a hidden "..data" link: that counts too.
        if (name && !names.has(name.toString()) && !name.toString().startsWith('..')) return;
        clearTimeout(timer);
        timer = setTimeout(reload, SETTLE_MS);
      });
      w.on('error', (e) => log.warn({ dir, err: e.message }, 'stopped watching a TLS directory; SIGHUP still reloads'));
      watchers.push(w);
    } catch (e) {
      log.warn({ dir, err: (e as Error).message }, 'cannot watch a TLS directory; SIGHUP still reloads');
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

/** Count every failed TLS handshake on `server` (a node:tls or node:https server). */
export function countHandshakeFailures(server: EventEmitter, count: () => void): void {
  server.on('tlsClientError', count);
}

/** The same for the HTTP/2 servers a grpc.Server listens with; false when they cannot be found. */
export function countGrpcHandshakeFailures(server: grpc.Server, count: () => void): boolean {
  const servers = http2ServersOf(server);
  for (const s of servers ?? []) countHandshakeFailures(s, count);
  return servers !== undefined;
}
