// A 3-node cluster with TLS on every port (--tls all), its certificates made
// with `quorumq cert`: the peer port refuses a plaintext client, a certificate
// from another CA, a non-member's certificate from the cluster's own CA, and
// a member's certificate claiming another member's id — while the cluster
// keeps serving. Certificates reload on SIGHUP; bad files fail at start with
// one line naming the file.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../proto/load.js';
import type { RaftClient } from '../../proto/generated/quorumq/v1/Raft.js';
import type { RaftMessage } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import { LocalCluster, waitFor } from './cluster.js';

const CLUSTER = 'tls';

describe('a cluster with TLS on', () => {
  let c: LocalCluster;
  let certs: string;
  let other: string;
  const cert = (name: string, dir = certs): { ca: Buffer; cert: Buffer; key: Buffer } => ({
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, `${name}.pem`)),
    key: readFileSync(join(dir, `${name}-key.pem`)),
  });
  const tlsArgs = (id: number, certName = `node-${id}`, keyName = certName): string[] => [
    '--tls', 'all',
    '--tls-ca', join(certs, 'ca.pem'),
    '--tls-cert', join(certs, `${certName}.pem`),
    '--tls-key', join(certs, `${keyName}-key.pem`),
  ];
  const cli = (args: string[]) => c.cli([...args, '--tls-ca', join(certs, 'ca.pem')], 30_000);
  const servers = (): string => [1, 2, 3].map((id) => c.node(id).client).join(',');

  async function quorumqCert(args: string[]): Promise<void> {
    const r = await c.cli(['cert', ...args], 30_000);
    expect(r.code, r.stderr).toBe(0);
  }

  beforeAll(async () => {
    c = await LocalCluster.create(3, { clusterId: CLUSTER });
    certs = join(c.dir, 'certs');
    other = join(c.dir, 'other-ca');
    await quorumqCert(['init', '--dir', certs, '--cluster-id', CLUSTER]);
    await quorumqCert(['init', '--dir', other]);
    await Promise.all([
      ...[1, 2, 3, 99].map((id) => quorumqCert(['issue', 'node', '--id', String(id), '--dir', certs])),
      quorumqCert(['issue', 'node', '--id', '2', '--dir', other]),
      quorumqCert(['issue', 'node', '--id', '4', '--dir', certs, '--not-after', '2020-01-01T00:00:00Z']),
    ]);
    const started = await Promise.all([1, 2, 3].map((id) => c.startNode(id, tlsArgs(id))));
    for (const s of started) expect(s.exitCode, s.stderr).toBeUndefined();
    await waitFor('a leader, over TLS', async () => {
      const r = await cli(['cluster', 'status', '--json', '--server', servers()]);
      return r.code === 0 && JSON.parse(r.stdout).leader > 0;
    }, 30_000);
  }, 180_000);

  afterAll(async () => {
    await c?.destroy();
  });

  async function stillServing(key: string): Promise<void> {
    for (const id of [1, 2, 3]) expect(c.running(id), c.logTail(id)).toBe(true);
    const put = await cli(['put', key, 'ok', '--server', servers()]);
    expect(put.code, put.stderr).toBe(0);
    for (const id of [1, 2, 3]) {
      await waitFor(`node ${id} to read ${key}`, async () => {
        const get = await cli(['get', key, '--json', '--server', c.node(id).client]);
        return get.code === 0 && JSON.parse(get.stdout).found === true;
      });
    }
  }

  /** One forged heartbeat to node `to`'s peer port over `creds`, claiming to be node `from`. */
  function forge(to: number, from: number, creds: grpc.ChannelCredentials, serverName?: string): Promise<grpc.ServiceError | null> {
    const options: grpc.ChannelOptions = serverName ? { 'grpc.ssl_target_name_override': serverName } : {};
    const client = new (quorumqV1().Raft)(c.node(to).peer, creds, options) as unknown as RaftClient;
    const md = new grpc.Metadata();
    md.set('x-quorumq-cluster', CLUSTER);
    md.set('x-quorumq-from', String(from));
    const msg: RaftMessage = { type: 'APP', group: 0, from, to, term: 1_000_000, index: 0, logTerm: 0, commit: 1_000_000, entries: [] };
    return new Promise((resolve) => {
      const call = client.Send(md, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null) => {
        client.close();
        resolve(err);
      });
      call.on('error', () => {});
      call.write({ messages: [msg] });
      call.end();
    });
  }

  /** TLS as an attacker dials: any server name accepted (the node's certificate is checked against the CA only). */
  const ssl = (ca: Buffer, key: Buffer, certificate: Buffer): grpc.ChannelCredentials =>
    grpc.credentials.createSsl(ca, key, certificate, { checkServerIdentity: () => undefined });

  function metric(id: number, name: string): Promise<number> {
    return new Promise((resolve, reject) => {
      httpsGet(`https://${c.node(id).metrics}/metrics`, { ca: readFileSync(join(certs, 'ca.pem')) }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
          resolve(line ? Number(line.split(' ').pop()) : NaN);
        });
      }).on('error', reject);
    });
  }

  it('serves clients over TLS and refuses plaintext ones on the client port', async () => {
    await stillServing('tls-works');
    const plain = await c.cli(['get', 'tls-works', '--server', c.node(1).client], 30_000);
    expect(plain.code).not.toBe(0);
  });

  it('refuses a plaintext client, another CA, a non-member and an impersonating member on the peer port, and keeps serving', async () => {
    const plain = await forge(1, 2, grpc.credentials.createInsecure());
    expect(plain?.code).toBe(grpc.status.UNAVAILABLE);

    const o = cert('node-2', other);
    const foreign = await forge(1, 2, ssl(readFileSync(join(certs, 'ca.pem')), o.key, o.cert), 'quorumq-node-1');
    expect(foreign?.code).toBe(grpc.status.UNAVAILABLE);

    const n99 = cert('node-99');
    const before = await metric(1, 'quorumq_transport_calls_rejected');
    const outsider = await forge(1, 99, ssl(n99.ca, n99.key, n99.cert), 'quorumq-node-1');
    expect(outsider?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(outsider?.details).toMatch(/node 99 is not a member/);

    const n3 = cert('node-3');
    const impostor = await forge(1, 2, ssl(n3.ca, n3.key, n3.cert), 'quorumq-node-1');
    expect(impostor?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(impostor?.details).toMatch(/says node 2 but the connection is node 3/);

    expect(await metric(1, 'quorumq_transport_calls_rejected')).toBeGreaterThanOrEqual(before + 2);
    await stillServing('after-tls-attacks');
    const s = JSON.parse((await cli(['cluster', 'status', '--json', '--server', servers()])).stdout);
    expect(s.term).toBeLessThan(1_000_000);
  });

  it('reloads its certificate on SIGHUP without a restart', async () => {
    const servedSerial = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const [host, port] = c.node(1).client.split(':');
        const s = tlsConnect({ host, port: Number(port), ca: readFileSync(join(certs, 'ca.pem')), ALPNProtocols: ['h2'], servername: 'localhost' }, () => {
          const serial = s.getPeerCertificate().serialNumber;
          s.end();
          resolve(serial);
        });
        s.on('error', reject);
      });
    const old = await servedSerial();
    // A new certificate for node 1 from the same CA, put where the node reads its files.
    const renew = join(c.dir, 'renew');
    mkdirSync(renew);
    for (const f of ['ca.pem', 'ca-key.pem']) copyFileSync(join(certs, f), join(renew, f));
    await quorumqCert(['issue', 'node', '--id', '1', '--dir', renew]);
    // A broken file first: refused, the old certificate stays in use.
    writeFileSync(join(certs, 'node-1.pem'), 'not a certificate');
    c.node(1).proc!.kill('SIGHUP');
    await waitFor('the refused reload to be logged', () => /TLS reload refused/.test(c.logTail(1, 50)));
    expect(await servedSerial()).toBe(old);
    copyFileSync(join(renew, 'node-1.pem'), join(certs, 'node-1.pem'));
    copyFileSync(join(renew, 'node-1-key.pem'), join(certs, 'node-1-key.pem'));
    c.node(1).proc!.kill('SIGHUP');
    await waitFor('the new certificate on new connections', async () => (await servedSerial()) !== old);
    expect(c.running(1)).toBe(true);
    await stillServing('after-reload');
  });

  it('refuses to start with an expired or someone else\'s certificate, in one line naming the file', async () => {
    await c.allocate(4);
    const expired = await c.startNode(4, ['--join', ...tlsArgs(4)]);
    expect(expired.exitCode).toBe(2);
    const line = expired.stderr.trim().split('\n').filter((l) => l.startsWith('quorumq server'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/--tls-cert .*node-4\.pem: certificate expired on 2020-01-01/);
    const wrong = await c.startNode(4, ['--join', ...tlsArgs(4, 'node-2')]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/--tls-cert .*node-2\.pem: certificate is for "quorumq-node-2", this node needs one for "quorumq-node-4"/);
    const mismatched = await c.startNode(4, ['--join', ...tlsArgs(4, 'node-99', 'node-2')]);
    expect(mismatched.exitCode).toBe(2);
    expect(mismatched.stderr).toMatch(/--tls-key .*node-2-key\.pem: does not match the certificate/);
  });
});
