// The SDK beside the raw per-request path on one fresh 3-node cluster (1 KiB
// messages): 256 concurrent sends (raw: one unary Append per message; SDK:
// producer.send, coalesced into batches), the latency of one send at a time,
// and consuming a queue with acks at prefetch 256 (raw Consume call acking
// each response's deliveries, and the SDK's async iterator).
//
//   npx tsc -p tsconfig.json && node dist/cluster-tests/bench/sdk-figures.js [seconds]

import { connect } from '../../broker/client/index.js';
import { LocalCluster } from '../e2e/cluster.js';
import { destroyCluster, installSignalTeardown, trackCluster, destroyAll } from './cleanup.js';
import { brokerClient, closeClients, consumeAcked, payload } from './driver.js';
import { percentile, progress } from './report.js';

const seconds = Number(process.argv[2] ?? 5);
const body = payload(1024);

/** Run `workers` loops of `op` for `ms`; ops per second and per-op latencies (ms). */
async function closedLoop(workers: number, ms: number, op: () => Promise<unknown>): Promise<{ rate: number; lat: number[] }> {
  const end = performance.now() + ms;
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        await op();
        lat.push(performance.now() - s);
      }
    }),
  );
  return { rate: lat.length / ((performance.now() - t0) / 1000), lat };
}

async function main(): Promise<void> {
  installSignalTeardown(destroyAll);
  const c = await LocalCluster.create(3);
  trackCluster(c);
  try {
    await c.startAll();
    const leader = await c.waitForLeader();
    const leaderAddr = c.node(leader).client;
    const qq = await connect({ servers: [...c.nodes.values()].map((n) => n.client) });
    await qq.declareStream('raw');
    await qq.declareStream('sdk');
    const raw = brokerClient(leaderAddr);
    const rawAppend = (): Promise<void> =>
      new Promise((resolve, reject) => raw.Append({ stream: 'raw', messages: [{ body }] }, (e) => (e ? reject(e) : resolve())));

    progress('raw unary Append, 256 concurrent');
    const r256 = await closedLoop(256, seconds * 1000, rawAppend);
    progress('SDK send, 256 concurrent');
    const p = qq.streamProducer('sdk');
    const s256 = await closedLoop(256, seconds * 1000, () => p.send({ body }));
    progress('1 concurrent');
    const r1 = await closedLoop(1, seconds * 1000, rawAppend);
    const s1 = await closedLoop(1, seconds * 1000, () => p.send({ body }));

    await qq.declareQueue('rawq');
    await qq.declareQueue('sdkq');
    const N = 20_000;
    const qp = qq.queueProducer('rawq');
    const sp = qq.queueProducer('sdkq');
    progress(`publishing ${N} to each queue`);
    await Promise.all(Array.from({ length: N }, () => qp.send({ body })));
    await Promise.all(Array.from({ length: N }, () => sp.send({ body })));
    progress('consuming');
    const rawConsume = await consumeAcked(leaderAddr, 'rawq', 256, N, 60_000);
    const cons = qq.consume('sdkq', { prefetch: 256, route: leaderAddr });
    const t0 = performance.now();
    let n = 0;
    for await (const d of cons) {
      const last = ++n === N;
      const ack = d.ack();
      if (last) {
        await ack;
        break;
      }
    }
    const sdkConsume = N / ((performance.now() - t0) / 1000);
    await cons.close();

    const f = (x: number): string => x.toFixed(0);
    const ms = (xs: number[], q: number): string => percentile(Float64Array.from(xs), q).toFixed(2);
    console.log(`send 1 KiB, 256 concurrent:   raw unary ${f(r256.rate)} msg/s   SDK ${f(s256.rate)} msg/s`);
    console.log(`send 1 KiB, 1 concurrent:     raw unary p50 ${ms(r1.lat, 50)} ms p99 ${ms(r1.lat, 99)} ms   SDK p50 ${ms(s1.lat, 50)} ms p99 ${ms(s1.lat, 99)} ms`);
    console.log(`consume+ack 1 KiB, prefetch 256: raw ${f(rawConsume.rate)} msg/s   SDK iterator ${f(sdkConsume)} msg/s`);
    qq.close();
  } finally {
    closeClients();
    await destroyCluster(c);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
