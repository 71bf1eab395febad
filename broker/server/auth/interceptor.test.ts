// The auth interceptor on a real gRPC server with a real users machine: a
// token this node does not know yet is checked again once the node caught up
// (here: catching up applies the command that adds the user), with the
// call's request held until then; a token never known is refused after it.

import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../../proto/load.js';
import type { BrokerClient } from '../../../proto/generated/quorumq/v1/Broker.js';
import { bindServer } from '../../../raft/transport/grpc-server.js';
import { UsersMachine } from '../../machine/users/machine.js';
import { authInterceptor } from './interceptor.js';
import { hashToken } from './tokens.js';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

describe('the auth interceptor', () => {
  it('checks an unknown token again after the node catches up, holding the request meanwhile', async () => {
    const users = new UsersMachine();
    let catchUps = 0;
    let grant = false;
    const late = 'late-token-0123456789abcdefgh';
    const catchUp = async (): Promise<void> => {
      catchUps++;
      await new Promise((r) => setTimeout(r, 50));
      // What the node applies while it catches up: the user added through another node.
      if (grant) users.apply({ index: 2, term: 1, part: 0, time: 0 }, { op: 'set-permissions', name: 'late', permissions: { configure: '.*', write: '', read: '.*', admin: false } });
      if (!users.get('late')) users.apply({ index: 1, term: 1, part: 0, time: 0 }, { op: 'add', name: 'late', tokenHash: hashToken(late), permissions: { configure: '', write: '', read: '.*', admin: false } });
    };
    const refused: string[] = [];
    const server = new grpc.Server({ interceptors: [authInterceptor(() => ({ users, nodeId: 1, refused: (r) => refused.push(r), catchUp }))] });
    const seen: string[] = [];
    server.addService(quorumqV1().Broker.service, {
      StreamInfo: (call: grpc.ServerUnaryCall<{ name: string }, object>, cb: grpc.sendUnaryData<object>) => {
        seen.push(call.request.name);
        cb(null, { name: call.request.name });
      },
    });
    const port = await bindServer(server, '127.0.0.1:0');
    stops.push(() => server.forceShutdown());
    const client = new (quorumqV1().Broker)(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as BrokerClient;
    stops.push(() => client.close());
    const info = (token: string): Promise<grpc.ServiceError | null> =>
      new Promise((r) => {
        const md = new grpc.Metadata();
        md.set('authorization', `Bearer ${token}`);
        client.StreamInfo({ name: 'events' }, md, { deadline: Date.now() + 5000 }, (e) => r(e));
      });
    expect(await info(late)).toBeNull();
    expect(seen).toEqual(['events']);
    expect(catchUps).toBe(1);
    // Known now: no catching up.
    expect(await info(late)).toBeNull();
    expect(catchUps).toBe(1);
    const e = await info('never-0123456789abcdefghijkl');
    expect(e?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(e?.details).toContain('the token is not valid');
    expect(catchUps).toBe(2);
    expect(seen).toEqual(['events', 'events']);
    expect(refused).toEqual(['unauthenticated']);
    // A request refused is checked again after catching up too: a grant may be on its way.
    const write = (): Promise<grpc.ServiceError | null> =>
      new Promise((r) => {
        const md = new grpc.Metadata();
        md.set('authorization', `Bearer ${late}`);
        client.DeleteStream({ name: 'events' }, md, { deadline: Date.now() + 5000 }, (err) => r(err));
      });
    const denied = await write();
    expect(denied?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(denied?.details).toBe('user "late" has no configure permission on stream "events"; DeleteStream needs it');
    expect(catchUps).toBe(3);
    // The grant arrives while this node catches up: the request goes on (to a handler this test server lacks).
    grant = true;
    expect((await write())?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(catchUps).toBe(4);
  });
});
