// The client port's hostile-input limits on a real gRPC server: metadata size
// (the interceptor), connections per client address, calls at once per
// connection (HTTP/2 concurrent streams).

import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../../proto/load.js';
import type { BrokerClient } from '../../../proto/generated/quorumq/v1/Broker.js';
import { bindServer, http2ServersOf } from '../../../raft/transport/grpc-server.js';
import { MAX_METADATA_BYTES, authInterceptor } from '../auth/interceptor.js';
import { limitConnectionsPerAddress } from './connection-limits.js';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

async function waitFor(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function server(o: { maxConnections?: number; maxStreams?: number } = {}) {
  const refused: string[] = [];
  let active = 0;
  let most = 0;
  const open: grpc.ServerDuplexStream<unknown, unknown>[] = [];
  const s = new grpc.Server({ 'grpc.max_concurrent_streams': o.maxStreams ?? 100, interceptors: [authInterceptor(() => ({ users: undefined, nodeId: 1, refused: (r) => refused.push(r) }))] });
  s.addService(quorumqV1().Broker.service, {
    ClusterStatus: (_c: unknown, cb: grpc.sendUnaryData<object>) => cb(null, { leader: 1 }),
    Subscribe: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      active++;
      most = Math.max(most, active);
      open.push(call);
      call.on('data', () => {});
      call.on('end', () => {
        active--;
        call.end();
      });
    },
  });
  const port = await bindServer(s, '127.0.0.1:0');
  let connectionsRefused = 0;
  limitConnectionsPerAddress(http2ServersOf(s)!, o.maxConnections ?? 100, () => connectionsRefused++);
  stops.push(() => s.forceShutdown());
  const client = (): BrokerClient => {
    // A pool of its own: each client its own connection.
    const c = new (quorumqV1().Broker)(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }) as unknown as BrokerClient;
    stops.push(() => c.close());
    return c;
  };
  const status = (c: BrokerClient, md = new grpc.Metadata()): Promise<grpc.ServiceError | null> =>
    new Promise((r) => c.ClusterStatus({}, md, { deadline: Date.now() + 5000 }, (e) => r(e)));
  return { client, status, refused, open, stats: () => ({ active, most, connectionsRefused }) };
}

describe('client port limits', () => {
  it('refuses a call whose metadata is over the limit, naming the size and the limit, and counts it', async () => {
    const s = await server();
    const c = s.client();
    const md = new grpc.Metadata();
    md.set('x-big', 'a'.repeat(MAX_METADATA_BYTES + 100));
    const e = await s.status(c, md);
    expect(e?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(e?.details).toMatch(new RegExp(`metadata is \\d+ bytes; the limit is ${MAX_METADATA_BYTES}`));
    expect(s.refused).toEqual(['metadata-too-large']);
    expect(await s.status(c)).toBeNull();
  });

  it('closes connections from an address that holds the maximum already, and counts them', async () => {
    const s = await server({ maxConnections: 2 });
    const [a, b, third] = [s.client(), s.client(), s.client()];
    expect(await s.status(a)).toBeNull();
    expect(await s.status(b)).toBeNull();
    const e = await new Promise<grpc.ServiceError | null>((r) => third.ClusterStatus({}, { deadline: Date.now() + 1500 }, (err) => r(err)));
    expect(e?.code).toBe(grpc.status.UNAVAILABLE);
    expect(s.stats().connectionsRefused).toBeGreaterThanOrEqual(1);
    // One leaves: the third gets in.
    a.close();
    const end = Date.now() + 15_000;
    while ((await s.status(third)) !== null) expect(Date.now()).toBeLessThan(end);
  });

  it('holds one connection to the maximum of calls open at once', async () => {
    const s = await server({ maxStreams: 2 });
    const c = s.client();
    expect(await s.status(c)).toBeNull();
    const calls = [c.Subscribe(), c.Subscribe(), c.Subscribe()];
    const errors: string[] = [];
    for (const call of calls) {
      call.on('error', (e: grpc.ServiceError) => errors.push(`${e.code} ${e.details}`));
      call.write({ stream: 's' });
    }
    await waitFor('two calls open on the server', () => s.stats().active === 2);
    // The third waits on the client (HTTP/2 queues streams past the server's limit) until one ends.
    calls[0]!.end();
    await waitFor('the third call let in once one ended', () => s.open.length === 3);
    expect(s.stats().most).toBe(2);
    expect(errors).toEqual([]);
    for (const call of calls) call.end();
  });
});
