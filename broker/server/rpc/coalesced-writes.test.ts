// Responses written in one turn reach HTTP/2 in (nearly) one turn, in order,
// on a real grpc-js server and client; without coalesceWrites the same writes
// trickle out one turn at a time (the test's teeth).

import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BYTES, coalesceWrites, withCoalescedWrites } from './coalesced-writes.js';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

const json = {
  serialize: (v: unknown) => Buffer.from(JSON.stringify(v)),
  deserialize: (b: Buffer) => JSON.parse(b.toString()) as unknown,
};
/** Responses `{ i, pad }`: `pad` bytes of padding; i === 13 cannot be encoded (the server's serializer throws). */
const service: grpc.ServiceDefinition = {
  Echo: {
    path: '/test.T/Echo',
    requestStream: true,
    responseStream: true,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: (v: { i: number; pad?: number; poison?: boolean }) => {
      if (v.poison && v.i === 13) throw new Error('cannot encode 13');
      return Buffer.from(JSON.stringify({ i: v.i, pad: 'x'.repeat(v.pad ?? 0) }));
    },
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
async function start(coalesce: 'helper' | 'wrapped' | 'none', opts: { interceptors?: grpc.ServerInterceptor[] } = {}) {
  let turn = 0;
  let ticking = true;
  const tick = (): void => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const turns: number[] = [];
  const installed: boolean[] = [];
  const handlers = {
    Echo: (call: grpc.ServerDuplexStream<{ n: number; pad?: number; poison?: boolean }, { i: number; pad?: number; poison?: boolean }>) => {
      if (coalesce === 'helper') installed.push(coalesceWrites(call));
      const inner = (call as unknown as { call: { sendMessage: (m: unknown, cb: () => void) => void } }).call;
      const orig = inner.sendMessage.bind(inner);
      inner.sendMessage = (m, cb) => {
        turns.push(turn);
        orig(m, cb);
      };
      call.on('data', (req: { n: number; pad?: number; poison?: boolean }) => {
        for (let i = 0; i < req.n; i++) call.write({ i, pad: req.pad ?? 0, poison: req.poison ?? false });
        call.end();
      });
    },
    Ping: (_c: unknown, cb: grpc.sendUnaryData<object>) => cb(null, {}),
  };
  const s = new grpc.Server(opts.interceptors ? { interceptors: opts.interceptors } : {});
  s.addService(service, coalesce === 'wrapped' ? withCoalescedWrites(service, handlers) : handlers);
  const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const Client = grpc.makeGenericClientConstructor(service, 'T');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as {
    Echo(o: grpc.CallOptions): grpc.ClientDuplexStream<{ n: number; pad?: number; poison?: boolean }, { i: number }>;
  };
  stops.push(() => {
    ticking = false;
    (client as unknown as grpc.Client).close();
    s.forceShutdown();
  });
  /** The responses' numbers, in arrival order, and the status the call ended with. */
  const exchange = async (n: number, o: { pad?: number; poison?: boolean } = {}): Promise<{ got: number[]; code: grpc.status }> => {
    turns.length = 0;
    const call = client.Echo({ deadline: Date.now() + 20_000 });
    const got: number[] = [];
    call.on('data', (r: { i: number }) => got.push(r.i));
    const code = new Promise<grpc.status>((res) => {
      call.on('status', (st: grpc.StatusObject) => res(st.code));
      call.on('error', () => undefined);
    });
    call.write({ n, ...o });
    call.end();
    return { got, code: await code };
  };
  const echo = async (n: number, pad = 0): Promise<number[]> => {
    const r = await exchange(n, { pad });
    expect(r.code).toBe(grpc.status.OK);
    return r.got;
  };
  return { echo, exchange, turns, installed };
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

  it('ends the call with the status of a response that cannot be encoded, at once, sending nothing after it', async () => {
    for (const mode of ['helper', 'none'] as const) {
      const s = await start(mode);
      const t0 = Date.now();
      const r = await s.exchange(100, { poison: true });
      expect(r.code, mode).toBe(grpc.status.INTERNAL);
      // Not the 20 s deadline: the status left when the response failed.
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(r.got.every((i) => i < 13)).toBe(true);
    }
  });

  it('hands over at most about MAX_BUFFERED_BYTES before the rest waits for a flush, in order', async () => {
    const s = await start('helper');
    const n = 200;
    const pad = 64 << 10; // 200 responses of 64 KiB: 12.5 MiB in all
    const got = await s.echo(n, pad);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
    // Not everything in one turn (the bound), and not one turn per response either.
    const distinct = new Set(s.turns).size;
    expect(distinct).toBeGreaterThanOrEqual(Math.floor((n * pad) / MAX_BUFFERED_BYTES / 2));
    expect(distinct).toBeLessThan(n / 2);
  });

  it('leaves a call alone when an interceptor handles sendMessage itself (it may hold one message at a time)', async () => {
    const own: grpc.ServerInterceptor = (_d, call) => new grpc.ServerInterceptingCall(call, { sendMessage: (m, next) => next(m) });
    const passing: grpc.ServerInterceptor = (_d, call) => new grpc.ServerInterceptingCall(call, { start: (next) => next() });
    const held = await start('helper', { interceptors: [own] });
    expect(await held.echo(50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(held.installed).toEqual([false]);
    const through = await start('helper', { interceptors: [passing] });
    expect(await through.echo(50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(through.installed).toEqual([true]);
  });

  it('leaves unary handlers alone and refuses an object that is not a grpc-js stream', () => {
    const ping = (): void => {};
    const wrapped = withCoalescedWrites(service, { Ping: ping, Echo: () => {} });
    expect(wrapped.Ping).toBe(ping);
    expect(coalesceWrites({} as grpc.ServerDuplexStream<unknown, unknown>)).toBe(false);
  });
});
