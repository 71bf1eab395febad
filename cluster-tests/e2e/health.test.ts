// The standard gRPC health service on the client port of a real cluster, as
// grpc_health_probe and Kubernetes gRPC probes call it (a client built from
// the upstream grpc/health/v1/health.proto, not quorumq's proto): NOT_SERVING
// while the node knows no leader, SERVING once it has one and has applied its
// log; per service; Watch reports the change.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthV1 } from '../../proto/load.js';
import { askReflection, reflectionClient } from '../../proto/reflection-client.js';
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
    // Check agrees (an election right after the start may flip it back for a moment: wait, do not sample once).
    await waitFor('SERVING from Check, for the node and for the Broker', async () => (await check(h, '')) === 'SERVING' && (await check(h, 'quorumq.v1.Broker')) === 'SERVING', 30_000);
    const h2 = health(2);
    await waitFor('node 2 SERVING', async () => (await check(h2, '')) === 'SERVING', 30_000);
    watch.cancel();
  }, 60_000);

  it('answers server reflection: the Broker and Health services, and the Broker\'s file descriptor, without any .proto on the client side', async () => {
    await c.startAll().catch(() => undefined);
    await c.waitForLeader();
    const client = reflectionClient('v1', c.node(2).client);
    clients.push(client);
    const ask = (req: object): Promise<Record<string, unknown>> => askReflection(client, req);
    const list = (await ask({ list_services: '' })) as { list_services_response: { service: { name: string }[] } };
    expect(list.list_services_response.service.map((s) => s.name).sort()).toEqual(['grpc.health.v1.Health', 'quorumq.v1.Broker']);
    const file = (await ask({ file_containing_symbol: 'quorumq.v1.Broker' })) as { file_descriptor_response: { file_descriptor_proto: Buffer[] } };
    const bytes = Buffer.concat(file.file_descriptor_response.file_descriptor_proto);
    // A FileDescriptorProto naming the package and the Broker's methods.
    expect(bytes.toString('latin1')).toContain('quorumq.v1');
    expect(bytes.toString('latin1')).toContain('PublishStream');
  });
});
