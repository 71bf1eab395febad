// The CLI pointed at the wrong port of a node. A node has three: the client
// port (the Broker service, 7001 by default), the peer port (the Raft service
// between nodes, 7101) and the metrics port (HTTP/1.1: /metrics, /healthz,
// /readyz; 7201). Against the peer port every Broker call fails UNIMPLEMENTED;
// against the metrics port grpc-js's HTTP/2 connection fails with "Protocol
// error". Both read as riddles, so after such a failure the CLI looks at the
// port once more (Raft.NodeStatus, read-only; or an HTTP GET /metrics) and
// says what it is instead: "127.0.0.1:7201 is not a quorumq client port ...".

import { request } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { NodeStatusResponse__Output } from '../../proto/generated/quorumq/v1/NodeStatusResponse.js';
import type { RaftClient } from '../../proto/generated/quorumq/v1/Raft.js';
import { CallError, isMissingBroker } from './client.js';

export { isMissingBroker };

/** grpc-js could not speak HTTP/2 with the server: an HTTP/1.1 server (or no gRPC at all) on that port. */
export const isProtocolError = (e: CallError): boolean => e.code === grpc.status.UNAVAILABLE && /Protocol error/i.test(e.details);

/**
 * Ask the port's Raft service for its node's status. A node answers only
 * peers of its own cluster, and its refusal names the cluster: either way the
 * port is a quorumq peer port.
 */
function nodeStatus(addr: string, timeoutMs: number): Promise<{ status?: NodeStatusResponse__Output; cluster?: string } | undefined> {
  const c = new (quorumqV1().Raft)(addr, grpc.credentials.createInsecure()) as unknown as RaftClient;
  return new Promise((resolve) => {
    c.NodeStatus({ group: 0 }, { deadline: Date.now() + timeoutMs }, (err, res) => {
      c.close();
      if (!err) resolve({ status: res! });
      else {
        const m = err.code === grpc.status.FAILED_PRECONDITION ? /this node to cluster "([^"]*)"/.exec(err.details) : null;
        resolve(m ? { cluster: m[1]! } : undefined);
      }
    });
  });
}

function httpGet(addr: string, path: string, timeoutMs: number): Promise<{ status: number; body: string } | undefined> {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(addr.slice(i + 1));
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 1 << 20) body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * What the port behind a failed call is, when it is not a quorumq client
 * port; undefined when the failure says nothing of the kind.
 */
export async function notClientPort(e: CallError, timeoutMs = 2000): Promise<string | undefined> {
  const addr = e.server;
  if (!addr) return undefined;
  if (isMissingBroker(e)) {
    const r = await nodeStatus(addr, timeoutMs);
    if (r?.status) {
      const client = r.status.clientAddress ? `; its client port is ${r.status.clientAddress}` : '';
      return `${addr} is not a quorumq client port: it is the peer (Raft) port of node ${r.status.id}${client}`;
    }
    if (r) return `${addr} is not a quorumq client port: it is a peer (Raft) port of cluster "${r.cluster}"; use a node's client port (7001 by default)`;
    return `${addr} is not a quorumq client port: it serves gRPC, but not the quorumq Broker service (a peer port?)`;
  }
  if (isProtocolError(e)) {
    const r = await httpGet(addr, '/metrics', timeoutMs);
    if (!r) return undefined;
    if (r.status === 200 && /^quorumq_/m.test(r.body)) return `${addr} is not a quorumq client port: it is a node's metrics port (HTTP: /metrics, /healthz, /readyz)`;
    return `${addr} is not a quorumq client port: it answers plain HTTP (status ${r.status}), not gRPC`;
  }
  return undefined;
}

/** The error to show for a failed call: a wrong-port explanation when there is one, else the call's own. */
export async function explain(e: CallError): Promise<CallError> {
  const why = await notClientPort(e);
  return why ? new WrongPortError(e, why) : e;
}

export class WrongPortError extends CallError {
  constructor(
    readonly original: CallError,
    readonly why: string,
  ) {
    super(original.code, why, original.server);
    this.message = why;
  }
}
