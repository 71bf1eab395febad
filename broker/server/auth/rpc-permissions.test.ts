import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../../proto/load.js';
import { UsersMachine } from '../../machine/users/machine.js';
import { authenticate, authorize, needsOf } from './interceptor.js';
import { RPC_PERMISSIONS, ruleOf } from './rpc-permissions.js';
import { hashToken } from './tokens.js';

const noTls = {};

function machineWith(...users: Array<{ name: string; token: string; configure?: string; write?: string; read?: string; admin?: boolean }>): UsersMachine {
  const m = new UsersMachine();
  users.forEach((u, i) => {
    const r = m.apply({ index: i + 1, term: 1, part: 0, time: 0 }, { op: 'add', name: u.name, tokenHash: hashToken(u.token), permissions: { configure: u.configure ?? '', write: u.write ?? '', read: u.read ?? '', admin: u.admin ?? false } });
    expect(r.reply.ok).toBe(true);
  });
  return m;
}

const bearer = (t: string): grpc.Metadata => {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${t}`);
  return md;
};

describe('the permission table', () => {
  it('has an entry for every Broker RPC in the .proto, and none for RPCs that do not exist', () => {
    const inProto = Object.keys(quorumqV1().Broker.service).sort();
    const missing = inProto.filter((m) => !ruleOf(m));
    expect(missing, `RPCs with no permission rule in broker/server/auth/rpc-permissions.ts: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(RPC_PERMISSIONS).sort()).toEqual(inProto);
  });

  it('names the resource each rule checks from the request', () => {
    expect(RPC_PERMISSIONS.Publish({ queue: 'orders' }, 'app')).toEqual([{ permission: 'write', resource: 'orders', kind: 'queue' }]);
    expect(RPC_PERMISSIONS.DeleteStream({ name: 'events' }, 'app')).toEqual([{ permission: 'configure', resource: 'events', kind: 'stream' }]);
    expect(RPC_PERMISSIONS.RemoveNode({ id: 2 }, 'app')).toEqual([{ permission: 'admin', resource: '', kind: 'cluster' }]);
    expect(RPC_PERMISSIONS.ClusterStatus({}, 'app')).toEqual([]);
    // Its own token, any user; another's, an administrator.
    expect(RPC_PERMISSIONS.RotateToken({ name: 'app' }, 'app')).toEqual([]);
    expect(RPC_PERMISSIONS.RotateToken({ name: 'ops' }, 'app')).toEqual([{ permission: 'admin', resource: '', kind: 'cluster' }]);
  });

  it('checks a binding as RabbitMQ does (read on the exchange, write on the destination) and a transaction op by op', () => {
    expect(RPC_PERMISSIONS.Bind({ exchange: 'events', targetKind: 'TARGET_STREAM', target: 'audit' }, 'app')).toEqual([
      { permission: 'read', resource: 'events', kind: 'exchange' },
      { permission: 'write', resource: 'audit', kind: 'stream' },
    ]);
    expect(RPC_PERMISSIONS.Unbind({ exchange: 'events', targetKind: 2, target: 'more' }, 'app')[1]).toEqual({ permission: 'write', resource: 'more', kind: 'exchange' });
    expect(RPC_PERMISSIONS.PublishToExchange({ exchange: 'events', routingKey: 'a.b' }, 'app')).toEqual([{ permission: 'write', resource: 'events', kind: 'exchange' }]);
    expect(
      RPC_PERMISSIONS.Transact(
        { ops: [{ kind: 'TX_PUBLISH_EXCHANGE', exchange: 'events' }, { kind: 'TX_PUBLISH_QUEUE', queue: 'out' }, { kind: 'TX_APPEND_STREAM', stream: 'log' }, { kind: 'TX_SETTLE', queue: 'in', ack: [1] }] },
        'app',
      ),
    ).toEqual([
      { permission: 'write', resource: 'events', kind: 'exchange' },
      { permission: 'write', resource: 'out', kind: 'queue' },
      { permission: 'write', resource: 'log', kind: 'stream' },
      { permission: 'read', resource: 'in', kind: 'queue' },
    ]);
  });
});

describe('authenticate and authorize', () => {
  const users = machineWith({ name: 'app', token: 'app-token-0123456789abcdef', write: '^orders', read: '.*' }, { name: 'ops', token: 'ops-token-0123456789abcdef', admin: true });

  it('finds the user of a token, refuses unknown tokens and calls with no credentials', () => {
    expect(authenticate(users, bearer('app-token-0123456789abcdef'), noTls)).toEqual({ user: 'app', via: 'token' });
    expect(authenticate(users, bearer('nope-0123456789abcdef0000'), noTls)).toMatchObject({ code: grpc.status.UNAUTHENTICATED, message: expect.stringContaining('token is not valid') });
    expect(authenticate(users, new grpc.Metadata(), noTls)).toMatchObject({ code: grpc.status.UNAUTHENTICATED, message: expect.stringContaining('requires authentication') });
    const basic = new grpc.Metadata();
    basic.set('authorization', 'Basic abc');
    expect(authenticate(users, basic, noTls)).toMatchObject({ code: grpc.status.UNAUTHENTICATED, message: expect.stringContaining('Bearer <token>') });
  });

  it('takes the user of a verified client certificate (CN quorumq-client-NAME) when there is no token', () => {
    const cert = { sslPeerCertificate: { subject: { CN: 'quorumq-client-ops' } } } as never;
    expect(authenticate(users, new grpc.Metadata(), cert)).toEqual({ user: 'ops', via: 'certificate' });
    const stranger = { sslPeerCertificate: { subject: { CN: 'quorumq-client-eve' } } } as never;
    expect(authenticate(users, new grpc.Metadata(), stranger)).toMatchObject({ code: grpc.status.UNAUTHENTICATED, message: expect.stringContaining('"eve"') });
    const node = { sslPeerCertificate: { subject: { CN: 'quorumq-node-1' } } } as never;
    expect(authenticate(users, new grpc.Metadata(), node)).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('refuses what the user may not do, naming the user, the permission and the resource', () => {
    const app = { user: 'app', via: 'token' as const };
    expect(authorize(users, app, 'Publish', { queue: 'orders-eu' })).toBeUndefined();
    expect(authorize(users, app, 'Publish', { queue: 'billing' })).toMatchObject({ code: grpc.status.PERMISSION_DENIED, message: 'user "app" has no write permission on queue "billing"; Publish needs it' });
    expect(authorize(users, app, 'DeleteQueue', { name: 'orders' })).toMatchObject({ code: grpc.status.PERMISSION_DENIED, message: expect.stringContaining('no configure permission on queue "orders"') });
    expect(authorize(users, app, 'RemoveNode', { id: 3 })).toMatchObject({ code: grpc.status.PERMISSION_DENIED, message: expect.stringContaining('admin permission') });
    expect(authorize(users, { user: 'ops', via: 'token' }, 'RemoveNode', { id: 3 })).toBeUndefined();
    expect(authorize(users, app, 'NoSuchMethod', {})).toMatchObject({ code: grpc.status.PERMISSION_DENIED, message: expect.stringContaining('no permission rule') });
    expect(authorize(users, { user: 'gone', via: 'token' }, 'ClusterStatus', {})).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('checks the later requests of a streamed call that leave the name empty (acks, credit) against the first one\'s', () => {
    const app = { user: 'app', via: 'token' as const };
    const first = needsOf('Consume', { queue: 'orders-eu', prefetch: 10 }, 'app')!;
    expect(authorize(users, app, 'Consume', { queue: '', ack: [1, 2] }, first)).toBeUndefined();
    expect(needsOf('Consume', { queue: '', ack: [1] }, 'app', first)).toBe(first);
    // Without a first request, an empty name is an empty name.
    const narrow = machineWith({ name: 'narrow', token: 'narrow-token-0123456789abc', read: '^orders' });
    expect(authorize(narrow, { user: 'narrow', via: 'token' }, 'Consume', { queue: '' })).toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    expect(authorize(narrow, { user: 'narrow', via: 'token' }, 'Consume', { queue: '' }, needsOf('Consume', { queue: 'orders' }, 'narrow'))).toBeUndefined();
  });
});
