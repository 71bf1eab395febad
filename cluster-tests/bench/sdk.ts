// The SDK workload of `make bench` (`--only sdk`): what a TypeScript user gets
// through `broker/client` (import { connect } from 'quorumq'), beside the raw
// gRPC calls that do the same work, on one fresh 3-node cluster:
//   - 256 concurrent `producer.send()` of 1 KiB (coalesced into batches by the
//     SDK) — compared with the 3-writer batch-256 synced-write limit of the
//     limits workload (run it in the same bench: `--only limits,sdk`), and
//     with 256 concurrent raw unary Appends of one message each;
//   - 1 `send()` at a time: its p50 beside a raw unary Append's p50;
//   - consuming a queue with acks, prefetch 256 (the SDK's async iterator,
//     acks batched by the SDK; raw: one Consume call acking each response);
//   - subscribing to a stream from its first offset (the SDK's iterator, and
//     a raw Subscribe call with ample credit), on the same follower;
//   - the SDK's own cost, against a null broker that answers every Append at
//     once (no cluster to hide it on a loaded machine): 1 send() at a time
//     beside 1 raw unary Append, and 256 concurrent send().

import { Client, connect, Connection } from '../../broker/client/index.js';
import { destroyCluster } from './cleanup.js';
import { benchCluster } from './clusters.js';
import { withNullBroker } from './limits.js';
import { brokerClient, consumeAcked, payload, subscribeRange } from './driver.js';
import type { Report } from './report.js';
import { percentile, progress } from './report.js';
import type { BenchOptions, Workload } from './workload.js';

const CONCURRENCY = 256;

/** `workers` loops of `op` until `ms` passed or `budget` ops were started; ops/s and per-op latencies (ms). */
export async function closedLoop(workers: number, ms: number, budget: number, op: () => Promise<unknown>): Promise<{ rate: number; latencies: Float64Array; errors: number; firstError?: string }> {
  const t0 = performance.now();
  const end = t0 + ms;
  const lat: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end && started < budget) {
        started++;
        const s = performance.now();
        try {
          await op();
          lat.push(performance.now() - s);
        } catch (e) {
          errors++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  return { rate: lat.length / ((performance.now() - t0) / 1000), latencies: Float64Array.from(lat), errors, ...(firstError ? { firstError } : {}) };
}

/** Take `count` deliveries from the SDK's iterator, acking each (not awaited: acks batch up); resolves when the last ack is confirmed. */
async function sdkConsume(qq: Client, queue: string, at: string, count: number, ms: number): Promise<number> {
  const cons = qq.consume(queue, { prefetch: 256, route: at });
  const t0 = performance.now();
  const end = t0 + ms;
  let n = 0;
  // Ends the iteration when time is up, also when nothing comes.
  const timer = setTimeout(() => void cons.close(), ms);
  try {
    for await (const d of cons) {
      const ack = d.ack();
      if (++n === count || performance.now() > end) {
        await ack;
        break;
      }
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    clearTimeout(timer);
    await cons.close();
  }
}

/** Read `count` messages from offset 0 through the SDK's subscription iterator. */
async function sdkSubscribe(qq: Client, stream: string, at: string, count: number, ms: number): Promise<number> {
  const sub = qq.subscribe(stream, { from: { offset: 0 }, credit: 20_000, route: at });
  const t0 = performance.now();
  const end = t0 + ms;
  let n = 0;
  const timer = setTimeout(() => sub.close(), ms);
  try {
    for await (const _m of sub) if (++n === count || performance.now() > end) break;
    return n / ((performance.now() - t0) / 1000);
  } finally {
    clearTimeout(timer);
    sub.close();
  }
}

/** The SDK's own cost: sends to a server that answers at once, beside raw unary Appends. */
async function nullBrokerFigures(o: BenchOptions, report: Report): Promise<void> {
  await withNullBroker(async (addr) => {
    const conn = new Connection({ servers: [addr], discoverMembers: false });
    try {
      const body = payload(o.size);
      const raw = brokerClient(addr, 730);
      const rawAppend = (): Promise<void> => new Promise((resolve, reject) => raw.Append({ stream: 'x', messages: [{ body }] }, { deadline: Date.now() + 30_000 }, (e) => (e ? reject(e) : resolve())));
      // No ClusterStatus there: the client is made over a connection that does not discover members.
      const p = new Client(conn).streamProducer('x');
      const send = (): Promise<unknown> => p.send({ body });
      await closedLoop(1, 500, 1e9, rawAppend);
      await closedLoop(1, 500, 1e9, send);
      const shapes = [
        { metric: 'sdk_null_send_w1', workers: 1, op: send },
        { metric: 'sdk_null_raw_unary_w1', workers: 1, op: rawAppend },
        { metric: `sdk_null_send_w${CONCURRENCY}`, workers: CONCURRENCY, op: send },
      ];
      const ms = Math.min(o.phaseMs, 3000);
      for (const sh of shapes) {
        const rates: number[] = [];
        const p50: number[] = [];
        for (let r = 0; r < o.runs; r++) {
          const run = await closedLoop(sh.workers, ms, 1e9, sh.op);
          progress(`${sh.metric} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(3)} ms`);
          rates.push(run.rate);
          p50.push(percentile(run.latencies, 50));
        }
        report.record(sh.metric, 'msg/s', rates);
        report.record(`${sh.metric}_p50`, 'ms', p50);
      }
      await p.close();
    } finally {
      conn.close();
    }
  });
}

export const sdkWorkload: Workload = {
  name: 'sdk',
  describe: (o) =>
    `the TypeScript SDK beside raw gRPC on a fresh ${o.nodes}-node cluster, ${o.size} B messages, up to ${o.messages} messages or ${o.phaseMs} ms per run: ${CONCURRENCY} concurrent send() (raw: unary Append each); 1 send() at a time; consume a queue with acks, prefetch 256, on the leader; subscribe from offset 0 on a follower; and against a null broker, 1 send() at a time (raw: unary Append) and ${CONCURRENCY} concurrent send()`,
  async run(o: BenchOptions, report: Report) {
    // First, with no cluster running beside it.
    await nullBrokerFigures(o, report);
    const cluster = await benchCluster(o, o.nodes, 'bench-sdk');
    let qq: Client | undefined;
    try {
      progress(`sdk: starting a ${o.nodes}-node cluster in ${cluster.dir}`);
      await cluster.startAll();
      const leader = await cluster.waitForLeader(o.startTimeoutMs);
      const leaderAddr = cluster.node(leader).client;
      const followerAddr = cluster.node([...cluster.nodes.keys()].find((id) => id !== leader)!).client;
      qq = await connect({ servers: [...cluster.nodes.values()].map((n) => n.client) });
      const body = payload(o.size);
      await qq.declareStream('sdk');
      await qq.declareStream('raw');
      const raw = brokerClient(leaderAddr, 700);
      const rawAppend = (): Promise<void> =>
        new Promise((resolve, reject) => raw.Append({ stream: 'raw', messages: [{ body }] }, { deadline: Date.now() + 30_000 }, (e) => (e ? reject(e) : resolve())));
      const p = qq.streamProducer('sdk');
      const send = (): Promise<unknown> => p.send({ body });
      let sent = 0;
      // Warm-up: channels open, the JIT has seen both paths.
      await closedLoop(64, 1000, 5000, rawAppend);
      const w = await closedLoop(64, 1000, 5000, send);
      sent += w.latencies.length;

      const shapes = [
        { metric: `sdk_send_w${CONCURRENCY}`, workers: CONCURRENCY, op: send, sdk: true },
        { metric: `sdk_raw_unary_w${CONCURRENCY}`, workers: CONCURRENCY, op: rawAppend, sdk: false },
        { metric: 'sdk_send_w1', workers: 1, op: send, sdk: true },
        { metric: 'sdk_raw_unary_w1', workers: 1, op: rawAppend, sdk: false },
      ];
      for (const sh of shapes) {
        const rates: number[] = [];
        const p50: number[] = [];
        const p99: number[] = [];
        for (let r = 0; r < o.runs; r++) {
          const run = await closedLoop(sh.workers, o.phaseMs, o.messages, sh.op);
          if (sh.sdk) sent += run.latencies.length;
          if (run.errors) report.note(`${sh.metric}: ${run.errors} send(s) failed, first: ${run.firstError}`);
          progress(`${sh.metric} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(3)} ms`);
          rates.push(run.rate);
          p50.push(percentile(run.latencies, 50));
          p99.push(percentile(run.latencies, 99));
        }
        report.record(sh.metric, 'msg/s', rates);
        report.record(`${sh.metric}_p50`, 'ms', p50);
        report.record(`${sh.metric}_p99`, 'ms', p99);
      }
      await p.close();

      // Subscribe: the same range of the SDK's stream from offset 0, on one follower.
      const subCount = Math.min(sent, o.messages);
      const subRaw: number[] = [];
      const subSdk: number[] = [];
      for (let r = 0; r < o.runs; r++) {
        const a = await subscribeRange(followerAddr, 'sdk', 0, subCount, o.phaseMs * 2, 710 + r);
        const b = await sdkSubscribe(qq, 'sdk', followerAddr, subCount, o.phaseMs * 2);
        progress(`sdk subscribe run ${r + 1}/${o.runs}: raw ${Math.round(a.rate)} msg/s, SDK ${Math.round(b)} msg/s (${subCount} messages)`);
        subRaw.push(a.rate);
        subSdk.push(b);
      }
      report.record('sdk_raw_subscribe', 'msg/s', subRaw);
      report.record('sdk_subscribe', 'msg/s', subSdk);

      // Consume with acks: each run fills two queues with the same count, then drains them.
      const perRun = Math.min(o.messages, 20_000);
      const consRaw: number[] = [];
      const consSdk: number[] = [];
      for (let r = 0; r < o.runs; r++) {
        for (const q of ['sdk-q', 'raw-q']) {
          await qq.declareQueue(q);
          // Filling is not measured: a loaded machine may take long.
          const qp = qq.queueProducer(q, { timeoutMs: 300_000 });
          await Promise.all(Array.from({ length: perRun }, () => qp.send({ body })));
          await qp.close();
        }
        const a = await consumeAcked(leaderAddr, 'raw-q', 256, perRun, o.phaseMs * 2, 720 + r);
        const b = await sdkConsume(qq, 'sdk-q', leaderAddr, perRun, o.phaseMs * 2);
        progress(`sdk consume run ${r + 1}/${o.runs}: raw ${Math.round(a.rate)} msg/s, SDK ${Math.round(b)} msg/s (${perRun} messages)`);
        consRaw.push(a.rate);
        consSdk.push(b);
        await qq.deleteQueue('sdk-q');
        await qq.deleteQueue('raw-q');
      }
      report.record('sdk_raw_consume_ack', 'msg/s', consRaw);
      report.record('sdk_consume_ack', 'msg/s', consSdk);
    } finally {
      qq?.close();
      await destroyCluster(cluster);
    }
  },
};

/** The closing table's rows for this workload. */
export function sdkRows(report: Report): void {
  const S = 'TypeScript SDK (3 nodes)';
  report.row({ section: S, label: `${CONCURRENCY} concurrent send()`, metric: `sdk_send_w${CONCURRENCY}`, limit: 'limit_level_sync_w3_b256', goal: '>= 75% of limit' });
  report.row({ section: S, label: `${CONCURRENCY} concurrent send() (vs raw unary Append)`, metric: `sdk_send_w${CONCURRENCY}`, limit: `sdk_raw_unary_w${CONCURRENCY}` });
  report.row({ section: S, label: `${CONCURRENCY} concurrent raw unary Append`, metric: `sdk_raw_unary_w${CONCURRENCY}`, limit: 'limit_level_sync_w3_b256' });
  report.row({ section: S, label: `${CONCURRENCY} concurrent send() p50`, metric: `sdk_send_w${CONCURRENCY}_p50`, lowerIsBetter: true });
  report.row({ section: S, label: '1 send() at a time p50 (vs raw unary Append p50)', metric: 'sdk_send_w1_p50', limit: 'sdk_raw_unary_w1_p50', lowerIsBetter: true, goal: 'within 0.1 ms of raw' });
  report.row({ section: S, label: '1 raw unary Append at a time p50', metric: 'sdk_raw_unary_w1_p50', lowerIsBetter: true });
  report.row({ section: S, label: '1 send() at a time p99', metric: 'sdk_send_w1_p99', limit: 'sdk_raw_unary_w1_p99', lowerIsBetter: true });
  report.row({ section: S, label: 'consume with acks, prefetch 256, leader (vs raw Consume)', metric: 'sdk_consume_ack', limit: 'sdk_raw_consume_ack', goal: '>= 36000 msg/s' });
  report.row({ section: S, label: 'subscribe from a follower (vs raw Subscribe)', metric: 'sdk_subscribe', limit: 'sdk_raw_subscribe' });
  const N = 'TypeScript SDK against a null broker (its own cost)';
  report.row({ section: N, label: '1 send() at a time p50 (vs raw unary Append p50)', metric: 'sdk_null_send_w1_p50', limit: 'sdk_null_raw_unary_w1_p50', lowerIsBetter: true, goal: 'within 0.1 ms of raw' });
  report.row({ section: N, label: '1 raw unary Append at a time p50', metric: 'sdk_null_raw_unary_w1_p50', lowerIsBetter: true });
  report.row({ section: N, label: `${CONCURRENCY} concurrent send()`, metric: `sdk_null_send_w${CONCURRENCY}`, limit: 'limit_grpc_stream_b256' });
}
