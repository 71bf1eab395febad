// Authentication and authorisation of client calls, in one place: a grpc-js
// server interceptor on the client port, in front of every Broker handler
// (unary and streaming alike), so no handler can forget it.
//
// On the call's metadata: who is calling — a bearer token (`authorization:
// Bearer <token>`, looked up by its hash in the replicated users machine) or,
// without one, a client certificate from the cluster CA (CN
// quorumq-client-<user>, verified by the TLS layer). Nobody: UNAUTHENTICATED.
// On every request message: what the call needs (rpc-permissions.ts) against
// the user's permissions as applied on this node now, so a revoke reaches
// streams already open at their next message. Denied: PERMISSION_DENIED
// naming the user, the permission and the resource. Either refusal ends the
// call before the handler sees anything, and is counted.
//
// Read your writes across nodes: a user, token or grant made through the
// leader a moment ago may not be applied on this node yet. Before refusing,
// the node catches up once (a read barrier, shared by the calls waiting at
// the same time) and checks again. A revoke, the other way round, holds on
// a node from the moment it applies it (normally within milliseconds).
//
// The health and reflection services on the same port are not checked
// (probes and tools use them; they reveal no data).

import * as grpc from '@grpc/grpc-js';
import type { UsersMachine } from '../../machine/users/machine.js';
import { allows } from '../../machine/users/machine.js';
import { StatusError, toServiceError } from '../rpc/status.js';
import type { Need } from './rpc-permissions.js';
import { ruleOf } from './rpc-permissions.js';
import { hashToken } from './tokens.js';

type AuthContext = ReturnType<grpc.ServerInterceptingCallInterface['getAuthContext']>;

const BROKER_PREFIX = '/quorumq.v1.Broker/';
const CLIENT_CN = /^quorumq-client-([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

/** Set by the interceptor for the handlers (WhoAmI); any value a client sends is removed first. */
export const META_USER = 'x-quorumq-user';
export const META_AUTH_METHOD = 'x-quorumq-auth-method';

export interface Principal {
  readonly user: string;
  readonly via: 'token' | 'certificate';
}

/** What the interceptor needs of the node; undefined while the node has no state yet. */
export interface AuthSource {
  /** Undefined with --auth off: calls are not authenticated, only held to the metadata limit. */
  readonly users: UsersMachine | undefined;
  readonly nodeId: number;
  refused(reason: 'unauthenticated' | 'permission-denied' | 'metadata-too-large'): void;
  /**
   * Resolves once this node has applied everything committed before now (a
   * read barrier): a token or user created a moment ago through another node
   * may not have reached this one yet. Rejects when that cannot be known.
   */
  catchUp?(): Promise<void>;
}

/** Credentials this node does not know (yet): worth asking again once it has caught up. */
class UnknownCredentials extends StatusError {}

/**
 * The most metadata (header names and values, in bytes) a call may carry: a
 * token and tracing headers fit many times over; a client sending megabytes
 * of headers to pin memory is answered RESOURCE_EXHAUSTED before anything else.
 */
export const MAX_METADATA_BYTES = 16 << 10;

function metadataBytes(md: grpc.Metadata): number {
  let n = 0;
  for (const [k, v] of Object.entries(md.toHttp2Headers())) for (const x of Array.isArray(v) ? v : [v]) n += k.length + String(x ?? '').length;
  return n;
}

/** The user name in a client certificate's subject, when it is one of ours. */
function certificateUser(auth: AuthContext): string | undefined {
  const cn = auth.sslPeerCertificate?.subject?.CN;
  const m = CLIENT_CN.exec(Array.isArray(cn) ? '' : (cn ?? ''));
  return m?.[1];
}

/** Who is calling, or the UNAUTHENTICATED status saying why nobody. */
export function authenticate(users: UsersMachine, md: grpc.Metadata, auth: AuthContext): Principal | StatusError {
  const header = md.get('authorization')[0];
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(String(header));
    if (!m) return new StatusError(grpc.status.UNAUTHENTICATED, 'the authorization metadata must be "Bearer <token>"', 'not-applied');
    const u = users.byTokenHash(hashToken(m[1]!));
    if (!u) return new UnknownCredentials(grpc.status.UNAUTHENTICATED, 'the token is not valid (unknown, rotated, or its user was removed)', 'not-applied');
    return { user: u.name, via: 'token' };
  }
  const cu = certificateUser(auth);
  if (cu !== undefined) {
    if (!users.get(cu)) return new UnknownCredentials(grpc.status.UNAUTHENTICATED, `the client certificate names user "${cu}", who does not exist (quorumq user add ${cu})`, 'not-applied');
    return { user: cu, via: 'certificate' };
  }
  return new StatusError(grpc.status.UNAUTHENTICATED, 'this cluster requires authentication: send a token (--token, QUORUMQ_TOKEN, or connect({ token })) or a client certificate (quorumq cert issue client)', 'not-applied');
}

/**
 * What request `req` of `method` needs, or undefined for a method the table
 * does not know. A streamed call names its resource in its first request and
 * may leave it empty in later ones (a consumer's acks, a subscriber's
 * credit): those need what the call's first request needed (`first`).
 */
export function needsOf(method: string, req: unknown, user: string, first?: readonly Need[]): readonly Need[] | undefined {
  const rule = ruleOf(method);
  if (!rule) return undefined;
  const needs = rule((req ?? {}) as Record<string, unknown>, user);
  if (first && needs.some((n) => n.permission !== 'admin' && n.resource === '')) return first;
  return needs;
}

/** The PERMISSION_DENIED status for `req` of `method`, or undefined when `who` may. */
export function authorize(users: UsersMachine, who: Principal, method: string, req: unknown, first?: readonly Need[]): StatusError | undefined {
  const needs = needsOf(method, req, who.user, first);
  if (!needs) return new StatusError(grpc.status.PERMISSION_DENIED, `${method} has no permission rule on this node; refused`, 'not-applied');
  const u = users.get(who.user);
  if (!u) return new StatusError(grpc.status.UNAUTHENTICATED, `user "${who.user}" was removed`, 'not-applied');
  for (const need of needs) {
    if (allows(u, need.permission, need.resource)) continue;
    const what = need.permission === 'admin' ? 'admin permission (cluster administration)' : `${need.permission} permission on ${need.kind} "${need.resource}"`;
    return new StatusError(grpc.status.PERMISSION_DENIED, `user "${who.user}" has no ${what}; ${method} needs it`, 'not-applied');
  }
  return undefined;
}

/**
 * The interceptor. `source()` is read per call: undefined (the node not
 * started: no Broker service is there yet) lets the call through untouched.
 */
export function authInterceptor(source: () => AuthSource | undefined): grpc.ServerInterceptor {
  return (descriptor, call) => {
    const path = descriptor.path;
    const src = path.startsWith(BROKER_PREFIX) ? source() : undefined;
    if (!src) return new grpc.ServerInterceptingCall(call);
    const users = src.users;
    const method = path.slice(BROKER_PREFIX.length);
    let who: Principal | undefined;
    /** What the call's first request needed: later ones without a name need the same. */
    let first: readonly Need[] | undefined;
    let refused = false;
    const refuse = (e: StatusError): void => {
      if (refused) return;
      refused = true;
      src.refused(e.code === grpc.status.UNAUTHENTICATED ? 'unauthenticated' : e.code === grpc.status.RESOURCE_EXHAUSTED ? 'metadata-too-large' : 'permission-denied');
      const s = toServiceError(e, src.nodeId);
      call.sendStatus({ code: s.code!, details: s.details!, metadata: s.metadata! });
    };
    // While unknown credentials or a refused request are checked again after
    // catching up, the call's later requests and half-close wait, in order.
    let authenticating = false;
    const waiting: Array<() => void> = [];
    const afterAuth = (fn: () => void): void => {
      if (authenticating) waiting.push(fn);
      else fn();
    };
    const resume = (): void => {
      authenticating = false;
      while (!authenticating && waiting.length) waiting.shift()!();
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (md, mdNext) => {
            md.remove(META_USER);
            md.remove(META_AUTH_METHOD);
            const size = metadataBytes(md);
            if (size > MAX_METADATA_BYTES) return refuse(new StatusError(grpc.status.RESOURCE_EXHAUSTED, `the call's metadata is ${size} bytes; the limit is ${MAX_METADATA_BYTES}`, 'not-applied'));
            if (!users) {
              who = { user: '', via: 'token' };
              return mdNext(md);
            }
            const done = (r: Principal | StatusError): void => {
              if (r instanceof StatusError) refuse(r);
              else {
                who = r;
                md.set(META_USER, r.user);
                md.set(META_AUTH_METHOD, r.via);
                mdNext(md);
              }
              resume();
            };
            const r = authenticate(users, md, call.getAuthContext());
            if (r instanceof UnknownCredentials && src.catchUp) {
              // A user added (or a token rotated) a moment ago through another node: this one may be behind.
              authenticating = true;
              src.catchUp().then(
                () => done(authenticate(users, md, call.getAuthContext())),
                () => done(r),
              );
              return;
            }
            done(r);
          },
          onReceiveMessage: (msg, msgNext) =>
            afterAuth(() => {
              if (refused || !who) return;
              if (!users) return msgNext(msg);
              const user = who;
              const pass = (): void => {
                first ??= needsOf(method, msg, user.user);
                msgNext(msg);
              };
              const denied = authorize(users, user, method, msg, first);
              if (!denied) return pass();
              if (!src.catchUp || denied.code !== grpc.status.PERMISSION_DENIED) return refuse(denied);
              // A grant made a moment ago through another node may not have reached this one.
              authenticating = true;
              src.catchUp().then(
                () => {
                  const still = authorize(users, user, method, msg, first);
                  if (still) refuse(still);
                  else pass();
                  resume();
                },
                () => {
                  refuse(denied);
                  resume();
                },
              );
            }),
          onReceiveHalfClose: (halfNext) =>
            afterAuth(() => {
              if (!refused) halfNext();
            }),
        }),
    });
  };
}
