// port-check.ts against small in-process servers: the failure each wrong
// port produces in a real BrokerPool call, and what the CLI makes of it.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../proto/load.js';
import { BrokerPool, CallError } from './client.js';
import { explain, isMissingBroker, isProtocolError, notClientPort, WrongPortError } from './port-check.js';
import { version } from './version.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
});

async function http(handler: (path: string) => { status: number; body: string }): Promise<string> {
  const s: Server = createServer((req, res) => {
    const r = handler(req.url ?? '/');
    res.writeHead(r.status, { 'content-type': 'text/plain' });
    res.end(r.body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => s.close(() => r())));
  return `127.0.0.1:${(s.address() as { port: number }).port}`;
}

async function grpcServer(withRaft: 'none' | 'answers' | 'refuses'): Promise<string> {
  const s = new grpc.Server();
  if (withRaft !== 'none') {
    const unimpl = (_c: unknown, cb: grpc.sendUnaryData<unknown>): void => cb({ code: grpc.status.UNIMPLEMENTED });
    s.addService(quorumqV1().Raft.service, {
      Send: unimpl,
      InstallSnapshot: unimpl,
      Forward: unimpl,
      NodeStatus: (_c: unknown, cb: grpc.sendUnaryData<unknown>) =>
        withRaft === 'answers' ? cb(null, { id: 3, clientAddress: '127.0.0.3:7001' }) : cb({ code: grpc.status.FAILED_PRECONDITION, details: 'peer belongs to cluster "", this node to cluster "prod"' }),
    });
  }
  const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  closers.push(() => new Promise((r) => s.tryShutdown(() => r())));
  return `127.0.0.1:${port}`;
}

async function failure(addr: string): Promise<CallError> {
  const pool = new BrokerPool([addr], 3000);
  try {
    await pool.call('ClusterStatus', {});
  } catch (e) {
    return e as CallError;
  } finally {
    pool.close();
  }
  throw new Error(`${addr} answered ClusterStatus`);
}

describe('a wrong port, told apart after the call failed', () => {
  it('a peer port whose node answers NodeStatus: its node and client port', async () => {
    const addr = await grpcServer('answers');
    const e = await failure(addr);
    expect(isMissingBroker(e)).toBe(true);
    expect(await notClientPort(e)).toBe(`${addr} is not a quorumq client port: it is the peer (Raft) port of node 3; its client port is 127.0.0.3:7001`);
  });

  it('a peer port of another cluster (a real node refuses NodeStatus to strangers): named with its cluster', async () => {
    const addr = await grpcServer('refuses');
    expect(await notClientPort(await failure(addr))).toBe(`${addr} is not a quorumq client port: it is a peer (Raft) port of cluster "prod"; use a node's client port (7001 by default)`);
  });

  it('a gRPC server without the Broker service', async () => {
    const addr = await grpcServer('none');
    expect(await notClientPort(await failure(addr))).toBe(`${addr} is not a quorumq client port: it serves gRPC, but not the quorumq Broker service (a peer port?)`);
  });

  it('a quorumq metrics port, and any other HTTP server', async () => {
    const metrics = await http((p) => (p === '/metrics' ? { status: 200, body: '# HELP quorumq_raft_term term\nquorumq_raft_term 3\n' } : { status: 404, body: 'not found' }));
    const e = await failure(metrics);
    expect(isProtocolError(e)).toBe(true);
    const shown = await explain(e);
    expect(shown).toBeInstanceOf(WrongPortError);
    expect(shown.message).toBe(`${metrics} is not a quorumq client port: it is a node's metrics port (HTTP: /metrics, /healthz, /readyz)`);
    const other = await http(() => ({ status: 404, body: 'no' }));
    expect(await notClientPort(await failure(other))).toBe(`${other} is not a quorumq client port: it answers plain HTTP (status 404), not gRPC`);
  });

  it('other failures are left as they are', async () => {
    const e = new CallError(grpc.status.NOT_FOUND, 'stream "s" does not exist', '127.0.0.1:7001');
    expect(await notClientPort(e)).toBeUndefined();
    expect(await explain(e)).toBe(e);
    const refused = new CallError(grpc.status.UNAVAILABLE, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:9', '127.0.0.1:9');
    expect(await notClientPort(refused)).toBeUndefined();
  });

  it('BrokerPool moves on from a port without the Broker service to the next server', async () => {
    const peer = await grpcServer('refuses');
    const pool = new BrokerPool([peer, await grpcServer('none')], 3000);
    const e = await pool.call('ClusterStatus', {}).then(
      () => undefined,
      (x: unknown) => x as CallError,
    );
    pool.close();
    // Both were tried: the error is the last server's.
    expect(e?.server).toBeTruthy();
    expect(e?.server).not.toBe(peer);
  });
});

describe('version', () => {
  it('is package.json\'s', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
    expect(version()).toBe(pkg.version);
  });
});
