// The node's TLS material: the cluster CA, this node's certificate and key,
// read from PEM files and checked before anything listens, so a wrong file
// fails at start with one line naming the file and the problem instead of as
// handshake errors on every connection later. Reloaded on SIGHUP: new files
// are checked the same way and, if good, used for every new connection on
// every port; if bad, the node keeps the old ones and says why.

import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../../../raft/core/types.js';
import { nodeCommonName } from '../../../raft/transport/peer-tls.js';
import type { CertificateProvider } from '../../../raft/transport/peer-tls.js';

export interface TlsFiles {
  /** The cluster CA's certificate. */
  readonly ca: string;
  /** This node's certificate, issued by the CA to quorumq-node-<id>. */
  readonly cert: string;
  readonly key: string;
}

export interface TlsMaterial {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** When the node certificate expires. */
  readonly notAfter: Date;
}

/** A TLS file that cannot be used; the message names the file and the problem in one line. */
export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

function read(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new TlsFileError(`${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function certificate(flag: string, path: string, pem: Buffer): X509Certificate {
  let c: X509Certificate;
  try {
    c = new X509Certificate(pem);
  } catch (e) {
    throw new TlsFileError(`${flag} ${path}: not a PEM certificate (${(e as Error).message})`);
  }
  const now = Date.now();
  if (Date.parse(c.validTo) < now) throw new TlsFileError(`${flag} ${path}: certificate expired on ${new Date(c.validTo).toISOString()}`);
  if (Date.parse(c.validFrom) > now) throw new TlsFileError(`${flag} ${path}: certificate is not valid before ${new Date(c.validFrom).toISOString()}`);
  return c;
}

function commonName(c: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? '';
}

/**
 * Read and check the files: each parses, nothing has expired, the key is the
 * certificate's, the CA issued the certificate, and the certificate is this
 * node's (its common name is quorumq-node-<id>).
 */
export function loadTls(files: TlsFiles, nodeId: NodeId): TlsMaterial {
  const caPem = read('--tls-ca', files.ca);
  const certPem = read('--tls-cert', files.cert);
  const keyPem = read('--tls-key', files.key);
  const ca = certificate('--tls-ca', files.ca, caPem);
  if (!ca.ca) throw new TlsFileError(`--tls-ca ${files.ca}: not a CA certificate (basicConstraints CA:FALSE)`);
  const cert = certificate('--tls-cert', files.cert, certPem);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new TlsFileError(`--tls-key ${files.key}: not a PEM private key (${(e as Error).message})`);
  }
  if (!cert.checkPrivateKey(key)) throw new TlsFileError(`--tls-key ${files.key}: does not match the certificate in --tls-cert ${files.cert}`);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new TlsFileError(`--tls-cert ${files.cert}: not issued by the CA in --tls-ca ${files.ca}`);
  }
  const want = nodeCommonName(nodeId);
  const cn = commonName(cert);
  if (cn !== want) throw new TlsFileError(`--tls-cert ${files.cert}: certificate is for "${cn}", this node needs one for "${want}" (quorumq cert issue node --id ${nodeId})`);
  return { ca: caPem, cert: certPem, key: keyPem, notAfter: new Date(cert.validTo) };
}

/**
 * A CertificateProvider whose material the node replaces on reload; grpc-js
 * servers and channels built on it use the newest for each new connection.
 */
export class ReloadableCertificates implements CertificateProvider {
  private readonly caListeners = new Set<grpc.experimental.CaCertificateUpdateListener>();
  private readonly identityListeners = new Set<grpc.experimental.IdentityCertificateUpdateListener>();
  private readonly changeListeners = new Set<(m: TlsMaterial) => void>();

  constructor(private current: TlsMaterial) {}

  get material(): TlsMaterial {
    return this.current;
  }

  /** Use `m` from now on. */
  update(m: TlsMaterial): void {
    this.current = m;
    for (const l of this.caListeners) l({ caCertificate: m.ca });
    for (const l of this.identityListeners) l({ certificate: m.cert, privateKey: m.key });
    for (const l of this.changeListeners) l(m);
  }

  /** Call `fn` after every update (the HTTPS server swaps its context). */
  onChange(fn: (m: TlsMaterial) => void): void {
    this.changeListeners.add(fn);
  }

  // A listener gets the current material on the next microtask, not inside
  // the add call: grpc-js registers its own watcher only after adding the
  // listener, and an answer given synchronously would reach nobody (the
  // server then drops every connection as "credentials not loaded").
  addCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(l);
    queueMicrotask(() => {
      if (this.caListeners.has(l)) l({ caCertificate: this.current.ca });
    });
  }

  removeCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(l);
  }

  addIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.add(l);
    queueMicrotask(() => {
      if (this.identityListeners.has(l)) l({ certificate: this.current.cert, privateKey: this.current.key });
    });
  }

  removeIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.delete(l);
  }
}
