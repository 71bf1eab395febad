// node dist/broker/bench/bench-fanout.js HOST:PORT[,HOST:PORT...] [N]: on a
// running cluster, N publishes of 1 KiB fanned out to 10 queues as one routed
// publish each (one Raft entry, confirmed once) beside the same as 10
// separate publishes each, 64 in flight. Prints JSON lines. Declares queues
// fq0..fq9 and exchange fan10 (leaves them, with their messages).

import { connect } from '../client/client.js';
import { exchanges } from '../client/exchanges.js';

const [servers, count] = process.argv.slice(2);
if (!servers) throw new Error('usage: bench-fanout HOST:PORT[,HOST:PORT...] [N]');
const N = Number(count ?? 2000);
const C = 64;
const qq = await connect({ servers: servers.split(',') });
const x = exchanges(qq);
const queues = Array.from({ length: 10 }, (_, i) => `fq${i}`);
for (const q of queues) await qq.declareQueue(q);
await x.declare('fan10', 'fanout');
for (const q of queues) await x.bind('fan10', { queue: q });
const body = Buffer.alloc(1024, 'x');

async function run(figure: string, one: () => Promise<unknown>): Promise<void> {
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        next++;
        await one();
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  console.log(JSON.stringify({ figure, publishes: N, inFlight: C, seconds, perSecond: Math.round(N / seconds) }));
}

await run('fanout-10-one-routed-publish', () => x.publish('fan10', '', [{ body }]));
await run('fanout-10-as-10-publishes', () => Promise.all(queues.map((queue) => qq.call('Publish', { queue, messages: [{ body }] }))));
qq.close();
