// A 3-node cluster with TLS on every port and client authentication on
// (--auth on), its first administrator installed from a token file the nodes
// create themselves: calls without credentials are refused; a user without
// write cannot publish (unary or streamed), one without configure cannot
// delete; a client certificate authenticates its user; a rotated token stops
// working on every node without a restart; permissions hold after a leader
// failover; certificates reload when their files change; failed TLS
// handshakes are counted in /metrics.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { X509Certificate, randomBytes } from 'node:crypto';
import { get as httpsGet } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../broker/client/connection.js';
import { connect, type Client } from '../../broker/client/client.js';
import { AlreadyExistsError, PermissionDeniedError, UnauthenticatedError } from '../../broker/client/errors.js';
import { BrokerPool } from '../../broker/cli/client.js';
import type { CallError } from '../../broker/cli/client.js';
import { quorumqV1 } from '../../proto/load.js';
import type { BrokerClient } from '../../proto/generated/quorumq/v1/Broker.js';
import { LocalCluster, failure, waitFor } from './cluster.js';

const CLUSTER = 'auth';

describe('a cluster with TLS and auth on', () => {
  let c: LocalCluster;
  let certs: string;
  let adminFile: string;
  const ca = (): string => join(certs, 'ca.pem');
  const args = (id: number): string[] => [
    '--tls', 'all',
    '--tls-ca', ca(),
    '--tls-cert', join(certs, `node-${id}.pem`),
    '--tls-key', join(certs, `node-${id}-key.pem`),
    '--auth', 'on',
    '--admin-token-file', adminFile,
  ];
  const servers = (ids = [1, 2, 3]): string => ids.map((id) => c.node(id).client).join(',');
  /** The CLI over TLS, as nobody unless `who` says otherwise. */
  const cli = (a: string[], ...who: string[]) => c.cli([...a, '--tls-ca', ca(), ...who], 30_000);
  const admin = (): string[] => ['--token-file', adminFile];
  const as = (token: string): string[] => ['--token', token];

  const pools: BrokerPool[] = [];
  /** An in-process client of nodes `ids` over TLS, as the holder of `token` (or of a client certificate). */
  function pool(token: string | undefined, ids = [1, 2, 3], cert?: string): BrokerPool {
    const creds = grpc.credentials.createSsl(readFileSync(ca()), cert ? readFileSync(join(certs, `${cert}-key.pem`)) : null, cert ? readFileSync(join(certs, `${cert}.pem`)) : null);
    const p = new BrokerPool(ids.map((id) => c.node(id).client), 5000, creds, token);
    pools.push(p);
    return p;
  }
  const adminToken = (): string => readFileSync(adminFile, 'utf8').trim();
  const publish = (p: BrokerPool, queue: string) => p.call('Publish', { queue, messages: [{ body: Buffer.from('m') }] });
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    const e = await failure<CallError>(p);
    return `${grpc.status[e.code]}: ${e.details}`;
  };

  async function ok(a: string[], ...who: string[]): Promise<string> {
    const r = await cli(a, ...who);
    expect(r.code, `${a.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  }

  beforeAll(async () => {
    c = await LocalCluster.create(3, { clusterId: CLUSTER });
    certs = join(c.dir, 'certs');
    adminFile = join(c.dir, 'admin.token');
    const cert = async (a: string[]): Promise<void> => {
      const r = await c.cli(['cert', ...a], 30_000);
      expect(r.code, r.stderr).toBe(0);
    };
    await cert(['init', '--dir', certs, '--cluster-id', CLUSTER]);
    await Promise.all([...[1, 2, 3].map((id) => cert(['issue', 'node', '--id', String(id), '--dir', certs])), cert(['issue', 'client', '--name', 'ops', '--dir', certs])]);
    // The token file does not exist: the nodes, started together, make one (and only one) between them.
    const started = await Promise.all([1, 2, 3].map((id) => c.startNode(id, args(id))));
    for (const s of started) expect(s.exitCode, s.stderr).toBeUndefined();
    await waitFor('the administrator of the token file installed', async () => {
      const r = await cli(['user', 'whoami', '--json', '--server', servers()], ...admin());
      return r.code === 0 && JSON.parse(r.stdout).user === 'admin';
    }, 30_000);
    await ok(['queue', 'declare', 'orders', '--server', servers()], ...admin());
    await pool(adminToken()).call('DeclareQueue', { name: 'billing' });
  }, 120_000);

  const sdkClients: Client[] = [];
  /** An SDK client of the cluster over TLS, as the holder of `token`. */
  async function sdk(token: string): Promise<Client> {
    const qq = await connect({ servers: servers().split(','), tls: { ca: readFileSync(ca()) }, token, timeoutMs: 15_000 });
    sdkClients.push(qq);
    return qq;
  }

  afterAll(async () => {
    for (const q of sdkClients) q.close();
    for (const p of pools) p.close();
    await c?.destroy();
  });

  /** A user `name` with these permissions; returns its token. */
  async function addUser(name: string, permissions: { configure?: string; write?: string; read?: string; admin?: boolean }): Promise<string> {
    return (await pool(adminToken()).call<{ token: string }>('AddUser', { name, permissions })).token;
  }

  function metrics(id: number): Promise<string> {
    return new Promise((resolve, reject) => {
      httpsGet(`https://${c.node(id).metrics}/metrics`, { ca: readFileSync(ca()) }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
  }

  const counter = (text: string, name: string, label: string): number => Number(new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

  it('refuses calls without valid credentials, and counts them and failed TLS handshakes', async () => {
    const none = await cli(['cluster', 'status', '--server', servers()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/UNAUTHENTICATED: this cluster requires authentication/);
    expect(await refusal(pool('qq_not-a-token-of-anyone-here-000').call('ClusterStatus', {}))).toMatch(/^UNAUTHENTICATED: the token is not valid/);
    // A plaintext client on the TLS client port fails its handshake.
    const plain = new (quorumqV1().Broker)(c.node(1).client, grpc.credentials.createInsecure()) as unknown as BrokerClient;
    const err = await new Promise<grpc.ServiceError | null>((r) => plain.ClusterStatus({}, { deadline: Date.now() + 2000 }, (e) => r(e)));
    plain.close();
    expect(err?.code).toBe(grpc.status.UNAVAILABLE);
    await waitFor('the failed handshake and the refusals in /metrics', async () => {
      const m = await metrics(1);
      return counter(m, 'quorumq_tls_handshake_failures_total', 'port="client"') >= 1 && counter(m, 'quorumq_auth_refused_total', 'reason="unauthenticated"') >= 1;
    });
  });

  it('a user without write cannot publish, without configure cannot delete (unary and streamed)', async () => {
    // Made with the CLI, as an operator would.
    const app = JSON.parse(await ok(['user', 'add', 'app', '--write', '^orders', '--read', '.*', '--json', '--server', servers()], ...admin())).token as string;
    await ok(['publish', 'orders', 'hello', '--server', servers()], ...as(app));
    const denied = await cli(['publish', 'billing', 'hello', '--server', servers()], ...as(app));
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('PERMISSION_DENIED: user "app" has no write permission on queue "billing"; Publish needs it');
    const p = pool(app);
    expect(await refusal(p.call('DeleteQueue', { name: 'orders' }))).toBe('PERMISSION_DENIED: user "app" has no configure permission on queue "orders"; DeleteQueue needs it');
    expect(await refusal(p.call('RemoveNode', { id: 3 }))).toContain('has no admin permission');
    expect(await refusal(p.call('AddUser', { name: 'eve', permissions: { admin: true } }))).toContain('has no admin permission');
    // Streamed through the SDK's connection options: each request is checked, the first allowed, the second refused.
    const conn = new Connection({ servers: servers([1]), tls: { ca: readFileSync(ca()) }, token: app, discoverMembers: false });
    try {
      const call = conn.client(c.node(1).client).PublishStream();
      const answers: unknown[] = [];
      const ended = new Promise<grpc.ServiceError>((resolve) => {
        call.on('data', (d: unknown) => answers.push(d));
        call.on('error', resolve);
      });
      call.write({ queue: 'orders', messages: [{ body: Buffer.from('a') }], requestId: 1 });
      await waitFor('the allowed publish answered', () => answers.length === 1);
      call.write({ queue: 'billing', messages: [{ body: Buffer.from('b') }], requestId: 2 });
      const e = await ended;
      expect(e.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(e.details).toContain('no write permission on queue "billing"');
    } finally {
      conn.close();
    }
    // A consumer whose read covers only ^orders: its acks, which name no queue, count as the call's queue.
    const reader = await addUser('reader', { read: '^orders' });
    const rc = new Connection({ servers: servers([1]), tls: { ca: readFileSync(ca()) }, token: reader, discoverMembers: false });
    try {
      const call = rc.client(c.node(1).client).Consume();
      const got: Array<{ deliveries: Array<{ tag: number }>; confirmed: number }> = [];
      let failed: grpc.ServiceError | undefined;
      call.on('data', (d: { deliveries: Array<{ tag: number }>; confirmed: number }) => got.push(d));
      call.on('error', (e: grpc.ServiceError) => (failed = e));
      call.write({ queue: 'orders', prefetch: 1 });
      const tag = await waitFor('a delivery', () => {
        if (failed) throw failed;
        return got.flatMap((d) => d.deliveries)[0]?.tag;
      });
      call.write({ ack: [tag], requestId: 7 });
      await waitFor('the ack confirmed', () => failed ?? got.some((d) => Number(d.confirmed) === 7));
      expect(failed).toBeUndefined();
      call.end();
    } finally {
      rc.close();
    }
    // The queue still holds what the user could publish, and nothing else.
    const info = JSON.parse(await ok(['queue', 'info', 'billing', '--json', '--server', servers()], ...admin()));
    expect(info.published).toBe(0);
  });

  it('a client certificate authenticates its user', async () => {
    await addUser('ops', { admin: true });
    const tlsCert = ['--tls-cert', join(certs, 'client-ops.pem'), '--tls-key', join(certs, 'client-ops-key.pem')];
    const who = JSON.parse(await ok(['user', 'whoami', '--json', '--server', servers()], ...tlsCert));
    expect(who).toMatchObject({ user: 'ops', method: 'certificate', auth: true });
    await pool(undefined, [1, 2, 3], 'client-ops').call('ClusterStatus', {});
  });

  it('a rotated token stops working on every node at once, the new one works, no restart', async () => {
    const old = await addUser('rotor', { write: '^orders' });
    await publish(pool(old), 'orders');
    const fresh = JSON.parse(await ok(['user', 'rotate-token', 'rotor', '--json', '--server', servers()], ...admin())).token as string;
    expect(fresh).not.toBe(old);
    for (const id of [1, 2, 3]) {
      const before = pool(old, [id]);
      const after = pool(fresh, [id]);
      await waitFor(`node ${id} to refuse the old token`, async () => (await refusal(publish(before, 'orders'))).startsWith('UNAUTHENTICATED'));
      await waitFor(`node ${id} to take the new token`, () => publish(after, 'orders').then(() => true));
    }
    // A user may rotate its own token (not another's) without an administrator.
    const self = pool(fresh, [1]);
    expect(await refusal(self.call('RotateToken', { name: 'app' }))).toContain('has no admin permission');
    const third = (await self.call<{ token: string }>('RotateToken', { name: 'rotor' })).token;
    await waitFor('node 1 to refuse the token rotated away', async () => (await refusal(publish(self, 'orders'))).startsWith('UNAUTHENTICATED'));
    await publish(pool(third, [1]), 'orders');
  });

  it("the SDK's user helpers: add, whoAmI, setPermissions, listUsers, rotateToken, removeUser", async () => {
    const admin = await sdk(adminToken());
    expect(await admin.whoAmI()).toMatchObject({ user: 'admin', auth: true, method: 'token', permissions: { admin: true } });
    const { token } = await admin.addUser('sdk-user', { read: '.*' });
    await expect(admin.addUser('sdk-user')).rejects.toBeInstanceOf(AlreadyExistsError);
    const user = await sdk(token);
    expect(await user.whoAmI()).toEqual({ user: 'sdk-user', auth: true, method: 'token', permissions: { configure: '', write: '', read: '.*', admin: false } });
    const denied = await user.call('Publish', { queue: 'orders', messages: [{ body: Buffer.from('m') }] }).then(() => undefined, (e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect((denied as Error).message).toContain('no write permission on queue "orders"');
    await expect(user.listUsers()).rejects.toBeInstanceOf(PermissionDeniedError);

    const stored = await admin.setPermissions('sdk-user', { write: '^orders', read: '.*' });
    expect(stored).toEqual({ name: 'sdk-user', permissions: { configure: '', write: '^orders', read: '.*', admin: false } });
    expect((await admin.listUsers()).find((u) => u.name === 'sdk-user')).toEqual(stored);
    await waitFor('the grant applied where the user publishes', () => user.call('Publish', { queue: 'orders', messages: [{ body: Buffer.from('m') }] }).then(() => true));

    // The user rotates its own token: the old connection is refused, a new one works.
    const rotated = await user.rotateToken('sdk-user');
    expect(rotated.token).not.toBe(token);
    await waitFor('the old token refused', () => user.whoAmI({ route: 'leader' }).then(() => false, (e: unknown) => e instanceof UnauthenticatedError));
    const again = await sdk(rotated.token);
    expect((await again.whoAmI({ route: 'leader' })).user).toBe('sdk-user');

    await admin.removeUser('sdk-user');
    expect((await admin.listUsers()).some((u) => u.name === 'sdk-user')).toBe(false);
    await waitFor('the removed user refused', () => again.whoAmI({ route: 'leader' }).then(() => false, (e: unknown) => e instanceof UnauthenticatedError));
  });

  it('permissions hold after a leader failover, and can be changed under the new leader', async () => {
    const token = await addUser('after', { write: '^orders' });
    const leader = (await pool(adminToken()).call<{ leader: number }>('ClusterStatus', {})).leader;
    expect(leader).toBeGreaterThan(0);
    const rest = [1, 2, 3].filter((id) => id !== leader);
    await c.stopNode(leader);
    const survivors = pool(adminToken(), rest);
    await waitFor('a new leader', async () => rest.includes((await survivors.call<{ leader: number }>('ClusterStatus', {})).leader), 30_000);
    for (const id of rest) {
      expect(await refusal(publish(pool(token, [id]), 'billing'))).toContain('no write permission on queue "billing"');
      await publish(pool(token, [id]), 'orders');
    }
    await ok(['user', 'grant', 'after', '--write', '.*', '--server', servers(rest)], ...admin());
    const list = JSON.parse(await ok(['user', 'list', '--json', '--server', servers(rest)], ...admin())) as Array<{ name: string; permissions: { write: string } }>;
    expect(list.find((u) => u.name === 'after')?.permissions.write).toBe('.*');
    const granted = pool(token, rest);
    await waitFor('the grant applied', () => publish(granted, 'billing').then(() => true));
    const back = await c.startNode(leader, args(leader));
    expect(back.exitCode, back.stderr).toBeUndefined();
    const again = pool(token, [leader]);
    await waitFor(`node ${leader}, back, to apply the grant`, () => publish(again, 'billing').then(() => true, () => false), 30_000);
  }, 90_000);

  it('reloads its certificate when the files change on disk, without SIGHUP', async () => {
    const serial = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const [host, port] = c.node(2).client.split(':');
        const s = tlsConnect({ host, port: Number(port), ca: readFileSync(ca()), ALPNProtocols: ['h2'], servername: 'localhost' }, () => {
          const sn = s.getPeerCertificate().serialNumber;
          s.destroy();
          resolve(sn);
        });
        s.on('error', reject);
      });
    const before = await serial();
    // A renewal made elsewhere, copied over the files in use.
    const renew = join(c.dir, 'renew');
    mkdirSync(renew);
    copyFileSync(join(certs, 'ca.pem'), join(renew, 'ca.pem'));
    copyFileSync(join(certs, 'ca-key.pem'), join(renew, 'ca-key.pem'));
    const r = await c.cli(['cert', 'issue', 'node', '--id', '2', '--dir', renew], 30_000);
    expect(r.code, r.stderr).toBe(0);
    const want = new X509Certificate(readFileSync(join(renew, 'node-2.pem'))).serialNumber;
    expect(want).not.toBe(before);
    copyFileSync(join(renew, 'node-2-key.pem'), join(certs, 'node-2-key.pem'));
    copyFileSync(join(renew, 'node-2.pem'), join(certs, 'node-2.pem'));
    await waitFor('node 2 to serve the renewed certificate', async () => (await serial()).toUpperCase() === want.toUpperCase(), 20_000);
    await pool(adminToken(), [2]).call('ClusterStatus', {});
  });

  it('answers garbage sent to every Broker method with a status, and stays up', async () => {
    // Random bytes as the request of each method, from a user with every permission but admin (garbage
    // that happens to decode as a membership change is refused, not applied): past the auth check, into
    // decoding (grpc-js answers bytes that are no protobuf INTERNAL "Error deserializing request").
    const fuzzer = await addUser('fuzzer', { configure: '.*', write: '.*', read: '.*' });
    const raw = new grpc.Client(c.node(1).client, grpc.credentials.createSsl(readFileSync(ca())));
    const md = (): grpc.Metadata => {
      const m = new grpc.Metadata();
      m.set('authorization', `Bearer ${fuzzer}`);
      return m;
    };
    const id = (b: Buffer): Buffer => b;
    const methods = Object.values(quorumqV1().Broker.service);
    const answers = new Map<string, number>();
    try {
      for (let i = 0; i < 3 * methods.length; i++) {
        const def = methods[i % methods.length]!;
        const body = randomBytes(i % 97);
        const opts = { deadline: Date.now() + 5000 };
        const answer = await new Promise<string>((resolve) => {
          const end = (e: grpc.ServiceError | null): void => resolve(e ? grpc.status[e.code]! : 'OK');
          if (!def.requestStream && !def.responseStream) {
            raw.makeUnaryRequest(def.path, id, id, body, md(), opts, end);
            return;
          }
          const call = def.requestStream ? raw.makeBidiStreamRequest(def.path, id, id, md(), opts) : raw.makeServerStreamRequest(def.path, id, id, body, md(), opts);
          call.on('data', () => {});
          call.on('error', end);
          call.on('end', () => end(null));
          if (def.requestStream) {
            (call as grpc.ClientDuplexStream<Buffer, Buffer>).write(body);
            (call as grpc.ClientDuplexStream<Buffer, Buffer>).end();
          }
        });
        // Never a hang, never an unexplained failure.
        expect(['DEADLINE_EXCEEDED', 'UNKNOWN'], `${def.path} with ${body.toString('hex')}: ${answer}`).not.toContain(answer);
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }
    } finally {
      raw.close();
    }
    expect(answers.get('INTERNAL')).toBeGreaterThan(0);
    for (const n of [1, 2, 3]) expect(c.running(n), c.logTail(n)).toBe(true);
    await pool(adminToken()).call('ClusterStatus', {});
  });
});
