// Responses written in one turn reach HTTP/2 in (nearly) one turn, in order,
// on a real grpc-js server and client; without coalesceWrites the same writes
// trickle out one turn at a time (the test's teeth).

import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites, withCoalescedWrites } from './coalesced-writes.js';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

const json = {
  serialize: (v: unknown) => Buffer.from(JSON.stringify(v)),
  deserialize: (b: Buffer) => JSON.parse(b.toString()) as unknown,
};
const service: grpc.ServiceDefinition = {
  Echo: {
    path: '/test.T/Echo',
    requestStream: true,
    responseStream: true,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
  Ping: {
    path: '/test.T/Ping',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

/**
 * A server whose Echo answers a request `{ n }` with n responses written in one
 * turn; returns, per call, the event-loop turn in which grpc-js's inner
 * sendMessage ran for each response.
 */
async function start(coalesce: 'helper' | 'wrapped' | 'none') {
  let turn = 0;
  let ticking = true;
  const tick = (): void => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turns: number[] = [];
  const handlers = {
    Echo: (call: grpc.ServerDuplexStream<{ n: number }, { i: number }>) => {
      if (coalesce === 'helper') expect(coalesceWrites(call)).toBe(true);
      const inner = (call as unknown as { call: { sendMessage: (m: unknown, cb: () => void) => void } }).call;
      const orig = inner.sendMessage.bind(inner);
      inner.sendMessage = (m, cb) => {
        turns.push(turn);
        orig(m, cb);
      };
      call.on('data', (req: { n: number }) => {
        for (let i = 0; i < req.n; i++) call.write({ i });
        call.end();
      });
    },
    Ping: (_c: unknown, cb: grpc.sendUnaryData<object>) => cb(null, {}),
  };
  const s = new grpc.Server();
  s.addService(service, coalesce === 'wrapped' ? withCoalescedWrites(service, handlers) : handlers);
  const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const Client = grpc.makeGenericClientConstructor(service, 'T');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as { Echo(): grpc.ClientDuplexStream<{ n: number }, { i: number }> };
  stops.push(() => {
    ticking = false;
    (client as unknown as grpc.Client).close();
    s.forceShutdown();
  });
  const echo = async (n: number): Promise<number[]> => {
    turns.length = 0;
    const call = client.Echo();
    const got: number[] = [];
    call.on('data', (r: { i: number }) => got.push(r.i));
    const done = new Promise<void>((res, rej) => {
      call.on('end', res);
      call.on('error', rej);
    });
    call.write({ n });
    call.end();
    await done;
    return got;
  };
  return { echo, turns };
}

describe('coalesceWrites', () => {
  it('hands responses written in one turn to HTTP/2 within a couple of turns, in order', async () => {
    for (const mode of ['helper', 'wrapped'] as const) {
      const s = await start(mode);
      const got = await s.echo(300);
      expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
      expect(s.turns).toHaveLength(300);
      // The first response goes alone (nothing is in flight yet); the rest wait for it and leave together.
      expect(new Set(s.turns).size).toBeLessThanOrEqual(3);
    }
  });

  it('without it, grpc-js sends one response per turn (what the helper removes)', async () => {
    const s = await start('none');
    const got = await s.echo(300);
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(new Set(s.turns).size).toBeGreaterThan(100);
  });

  it('leaves unary handlers alone and refuses an object that is not a grpc-js stream', () => {
    const ping = (): void => {};
    const wrapped = withCoalescedWrites(service, { Ping: ping, Echo: () => {} });
    expect(wrapped.Ping).toBe(ping);
    expect(coalesceWrites({} as grpc.ServerDuplexStream<unknown, unknown>)).toBe(false);
  });
});
