// How many connections one client address may hold open on the client port.
// A client that opens connections without end (by mistake or not) would pin
// memory and file descriptors; past the limit, a new connection from that
// address is closed at once, before TLS or HTTP/2 spend anything on it, and
// counted. The SDK and the CLI use one connection per node, so the limit
// only bites many processes behind one address, or a flood.

import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

/** Refuse connections from an address that already holds `max`; `refused` is told each time. */
export function limitConnectionsPerAddress(servers: readonly EventEmitter[], max: number, refused: (address: string) => void): void {
  const open = new Map<string, number>();
  const onConnection = (socket: Socket): void => {
    const addr = socket.remoteAddress ?? 'unknown';
    const n = open.get(addr) ?? 0;
    if (n >= max) {
      refused(addr);
      socket.destroy();
      return;
    }
    open.set(addr, n + 1);
    socket.once('close', () => {
      const left = (open.get(addr) ?? 1) - 1;
      if (left <= 0) open.delete(addr);
      else open.set(addr, left);
    });
  };
  // First in line: before grpc-js's own listeners set anything up for the socket.
  for (const s of servers) s.prependListener('connection', onConnection);
}
