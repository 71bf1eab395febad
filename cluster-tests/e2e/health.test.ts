// The standard gRPC health service on the client port of a real cluster, as
// grpc_health_probe and Kubernetes gRPC probes call it (a client built from
// the upstream grpc/health/v1/health.proto, not quorumq's proto): NOT_SERVING
// while the node knows no leader, SERVING once it has one and has applied its
// log; per service; Watch reports the change.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthV1 } from '../../proto/load.js';
import { LocalCluster, waitFor } from './cluster.js';

type Check = (req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void) => void;
interface HealthClient extends grpc.Client {
  Check: Check;
  Watch(req: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

describe('grpc.health.v1.Health on the client port', () => {
  let c: LocalCluster;
  const clients: grpc.Client[] = [];
  const health = (id: number): HealthClient => {
    const Health = healthV1().Health as grpc.ServiceClientConstructor;
    const h = new Health(c.node(id).client, grpc.credentials.createInsecure()) as unknown as HealthClient;
    clients.push(h);
    return h;
  };
  const check = (h: HealthClient, service: string): Promise<string> =>
    new Promise((resolve) => h.Check({ service }, { deadline: Date.now() + 5000 }, (err, res) => resolve(err ? grpc.status[err.code]! : res!.status)));

  beforeAll(async () => {
    c = await LocalCluster.create(3);
  });

  afterAll(async () => {
    for (const h of clients) h.close();
    await c?.destroy();
  });

  it('is NOT_SERVING without a leader, SERVING once there is one, per service, and Watch follows', async () => {
    const r = await c.startNode(1);
    expect(r.exitCode).toBeUndefined();
    const h = health(1);
    expect(await check(h, '')).toBe('NOT_SERVING');
    expect(await check(h, 'quorumq.v1.Broker')).toBe('NOT_SERVING');
    expect(await check(h, 'no.such.Service')).toBe('NOT_FOUND');

    const seen: string[] = [];
    const watch = h.Watch({ service: '' });
    watch.on('data', (m: { status: string }) => seen.push(m.status));
    watch.on('error', () => undefined);
    await waitFor('the first Watch message', () => seen.length > 0);
    expect(seen[0]).toBe('NOT_SERVING');

    await Promise.all([c.startNode(2), c.startNode(3)]);
    await waitFor('SERVING from Watch', () => seen.includes('SERVING'), 30_000);
    expect(await check(h, '')).toBe('SERVING');
    expect(await check(h, 'quorumq.v1.Broker')).toBe('SERVING');
    const h2 = health(2);
    await waitFor('node 2 SERVING', async () => (await check(h2, '')) === 'SERVING', 30_000);
    watch.cancel();
  }, 60_000);
});
