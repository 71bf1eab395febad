// Mutual TLS on the peer port: who a connection is.
//
// Every node holds a certificate from the cluster's CA whose subject common
// name is `quorumq-node-<id>`. Both ends check it: the server (the receiving
// node) requires a client certificate from the CA and reads the sender's id
// from it (the transport then admits the id only if it is a member, and only
// if the metadata claims the same id); the dialling node checks that the
// server's certificate names the node it meant to reach, instead of matching
// a host name, so peers may be addressed by IP or by any name.
//
// Certificates come from a CertificateProvider, so a node can swap its files
// (SIGHUP) without a restart: new connections use the new ones.

import type { PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { NodeId } from '../core/types.js';

export type CertificateProvider = grpc.experimental.CertificateProvider;

const NODE_CN = /^quorumq-node-(\d{1,10})$/;

/** The common name of node `id`'s certificate. */
export function nodeCommonName(id: NodeId): string {
  return `quorumq-node-${id}`;
}

/** The node id a certificate's common name proves, or undefined when it is not a node certificate. */
export function nodeIdOfCommonName(cn: string | undefined): NodeId | undefined {
  const m = cn ? NODE_CN.exec(cn) : null;
  if (!m) return undefined;
  const id = Number(m[1]);
  return id > 0 && id <= 0xffff_ffff ? id : undefined;
}

function commonName(cert: PeerCertificate | undefined): string | undefined {
  const cn = cert?.subject?.CN as string | string[] | undefined;
  return Array.isArray(cn) ? undefined : cn;
}

/**
 * The identity a peer call's connection proves: a node id, 'none' on a
 * plaintext transport, or an error text when the certificate names no node.
 */
export function callIdentity(call: { getAuthContext?: () => { sslPeerCertificate?: PeerCertificate } | null }): NodeId | 'none' | { error: string } {
  const auth = call.getAuthContext?.();
  const cert = auth?.sslPeerCertificate;
  if (!cert || Object.keys(cert).length === 0) return 'none';
  const cn = commonName(cert);
  const id = nodeIdOfCommonName(cn);
  return id ?? { error: `the client certificate (CN "${cn ?? ''}") is not a quorumq node certificate` };
}

/** The peer port's server credentials: TLS, and a client certificate from the CA required. */
export function peerServerCredentials(provider: CertificateProvider): grpc.ServerCredentials {
  return grpc.experimental.createCertificateProviderServerCredentials(provider, provider, true);
}

/** Credentials for dialling node `id`: our certificate, the CA, and the server must be node `id`. */
export function peerChannelCredentials(provider: CertificateProvider, id: NodeId): grpc.ChannelCredentials {
  const want = nodeCommonName(id);
  return grpc.experimental.createCertificateProviderChannelCredentials(provider, provider, {
    checkServerIdentity: (_host: string, cert: PeerCertificate) => {
      const cn = commonName(cert);
      return cn === want ? undefined : new Error(`peer certificate is for "${cn ?? ''}", expected "${want}"`);
    },
  });
}
