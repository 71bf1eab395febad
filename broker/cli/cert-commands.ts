// `quorumq cert init|issue`: a cluster CA and the certificates nodes and
// clients need, for users who have no PKI of their own (and for `make run`).
//
// Node has no X.509 generation built in; @peculiar/x509 (pure TypeScript on
// the WebCrypto Node ships) writes the certificates, so there is no openssl
// to install and no ASN.1 of our own to get wrong. Keys are ECDSA P-256.
//
//   init                 ca.pem + ca-key.pem
//   issue node --id N    node-N.pem + node-N-key.pem  (CN quorumq-node-N; server and client auth)
//   issue client --name  client-NAME.pem + ...-key.pem (CN quorumq-client-NAME; client auth only)

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { randomBytes, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs a
// Reflect metadata polyfill loaded first. Only `quorumq cert` loads this file
// (main.ts imports it on demand), so no other command carries the polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { nodeCommonName } from '../../raft/transport/peer-tls.js';
import type { Out } from './cluster-commands.js';
import { UsageError } from './usage.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

type Flags = Record<string, string | boolean | undefined>;

function serial(): string {
  // Positive (high bit clear), 16 random bytes.
  const b = randomBytes(16);
  b[0]! &= 0x7f;
  return b.toString('hex');
}

function writeNew(path: string, text: string, mode: number): void {
  if (existsSync(path)) throw new UsageError(`${path} already exists; remove it first or choose another --dir`);
  writeFileSync(path, text, { mode });
}

function keyPem(pkcs8: ArrayBuffer): string {
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
}

function validity(flags: Flags, defaultDays: number): { notBefore: Date; notAfter: Date } {
  // A minute of slack for clocks a little behind this one.
  const notBefore = new Date(Date.now() - 60_000);
  if (typeof flags['not-after'] === 'string') {
    const t = Date.parse(flags['not-after']);
    if (!Number.isFinite(t)) throw new UsageError(`--not-after must be a date (ISO 8601), got "${flags['not-after']}"`);
    return { notBefore: new Date(Math.min(notBefore.getTime(), t - 60_000)), notAfter: new Date(t) };
  }
  const days = flags.days === undefined ? defaultDays : Number(flags.days);
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new UsageError(`--days must be a whole number of days from 1 to 36500, got "${String(flags.days)}"`);
  return { notBefore, notAfter: new Date(Date.now() + days * DAY) };
}

async function init(dir: string, flags: Flags, out: Out): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const cluster = typeof flags['cluster-id'] === 'string' ? flags['cluster-id'] : 'quorumq';
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=quorumq CA for ${cluster.replace(/[,=+<>#;"\\]/g, '_')}`,
    ...validity(flags, 3650),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  writeNew(keyPath, keyPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), 0o600);
  writeNew(certPath, ca.toString('pem') + '\n', 0o644);
  if (out.json) out.print(JSON.stringify({ cert: certPath, key: keyPath, subject: ca.subject, notAfter: ca.notAfter.toISOString() }));
  else out.print(`wrote ${certPath} and ${keyPath} (${ca.subject}, valid until ${ca.notAfter.toISOString()}); keep the key private`);
}

async function loadCa(dir: string): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  let cert: x509.X509Certificate;
  let key: CryptoKey;
  try {
    cert = new x509.X509Certificate(readFileSync(certPath, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the CA certificate ${certPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run "quorumq cert init --dir ${dir}" first`);
  }
  try {
    const der = x509.PemConverter.decode(readFileSync(keyPath, 'utf8'))[0]!;
    key = await webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
  } catch (e) {
    throw new UsageError(`cannot read the CA key ${keyPath} as a P-256 PKCS#8 key (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { cert, key };
}

function altNames(hosts: string[]): x509.JsonGeneralName[] {
  return hosts.map((h) => (isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }));
}

async function issue(dir: string, positionals: string[], flags: Flags, out: Out): Promise<void> {
  const kind = positionals[0];
  let cn: string;
  let base: string;
  let usages: string[];
  if (kind === 'node') {
    const id = Number(flags.id);
    if (!Number.isInteger(id) || id < 1 || id > 0xffff_ffff) throw new UsageError('cert issue node needs --id N (the node id, a positive integer)');
    cn = nodeCommonName(id);
    base = `node-${id}`;
    usages = [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  } else if (kind === 'client') {
    const name = typeof flags.name === 'string' ? flags.name : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new UsageError('cert issue client needs --name NAME (letters, digits, ".", "_", "-")');
    cn = `quorumq-client-${name}`;
    base = `client-${name}`;
    usages = [x509.ExtendedKeyUsage.clientAuth];
  } else {
    throw new UsageError('usage: quorumq cert issue node --id N [--host h1,h2] | cert issue client --name NAME  [--dir DIR] [--days N | --not-after DATE]');
  }
  const ca = await loadCa(dir);
  const hosts = typeof flags.host === 'string' ? flags.host.split(',').map((h) => h.trim()).filter(Boolean) : ['localhost', '127.0.0.1', '::1'];
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const v = validity(flags, 825);
  if (v.notAfter > ca.cert.notAfter) v.notAfter = ca.cert.notAfter;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${cn}`,
    issuer: ca.cert.subject,
    ...v,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      ...(kind === 'node' ? [new x509.SubjectAlternativeNameExtension(altNames(hosts), false)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    ],
  });
  const certPath = join(dir, `${base}.pem`);
  const keyPath = join(dir, `${base}-key.pem`);
  writeNew(keyPath, keyPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), 0o600);
  writeNew(certPath, cert.toString('pem') + '\n', 0o644);
  if (out.json) out.print(JSON.stringify({ cert: certPath, key: keyPath, subject: cert.subject, hosts: kind === 'node' ? hosts : [], notAfter: cert.notAfter.toISOString() }));
  else out.print(`wrote ${certPath} and ${keyPath} (${cert.subject}${kind === 'node' ? `, hosts ${hosts.join(', ')}` : ''}, valid until ${cert.notAfter.toISOString()})`);
}

export async function certCommand(positionals: string[], flags: Flags, out: Out): Promise<void> {
  const [sub, ...rest] = positionals;
  const dir = typeof flags.dir === 'string' ? flags.dir : '.';
  if (sub === 'init') return init(dir, flags, out);
  if (sub === 'issue') return issue(dir, rest, flags, out);
  throw new UsageError('usage: quorumq cert init [--dir DIR] [--cluster-id ID] | quorumq cert issue node --id N [--host h1,h2] | quorumq cert issue client --name NAME');
}
