// Runnable examples of the SDK, one function per section of the README's
// client guide (broker/client/README.md). cluster-tests/e2e/sdk-examples.test.ts
// runs every one of them against a real 3-node cluster and checks what they
// return, so the guide cannot drift from the code. In an application the
// import is `from 'quorumq'`.

import {
  connect,
  FailedPreconditionError,
  Jobs,
  NotFoundError,
  Worker,
  type Client,
  type ReceivedStreamMessage,
} from './index.js';

/** The README's first program: declare a stream, send, follow it until the message sent comes back. */
export async function firstProgram(servers: string): Promise<number> {
  const qq = await connect({ servers }); // one seed is enough
  await qq.declareStream('fruits');
  const fruits = qq.streamProducer('fruits');
  const { offset } = await fruits.send({ body: JSON.stringify({ fruit: 'apple' }) }); // stored on a majority
  for await (const m of qq.subscribe('fruits', { from: 'first' })) {
    console.log(m.offset, m.body.toString());
    if (m.offset === offset) break;
  }
  qq.close();
  return offset;
}

/** Connecting: one seed is enough; the members and the leader are learnt from it. */
export async function connecting(servers: string): Promise<Client> {
  const qq = await connect({ servers, timeoutMs: 30_000 });
  qq.connection.on('state', (s) => console.log(`connection ${s}`));
  qq.connection.on('leader', (l) => console.log(`leader is node ${l.id} at ${l.address}`));
  const status = await qq.status();
  console.log(`${status.members.length} members, leader ${status.leader}`);
  return qq;
}

/** Streams: append, follow from an offset, read once, and resume a named consumer where it left off. */
export async function streams(qq: Client): Promise<{ offsets: number[]; followed: string[]; read: string[]; resumedAt: number }> {
  await qq.declareStream('orders', { maxAgeMs: 7 * 24 * 3600 * 1000 });
  const orders = qq.streamProducer('orders');
  // Sends made together travel as one request; each resolves with its own offset.
  const sent = await Promise.all(['apple', 'pear', 'fig'].map((fruit) => orders.send({ body: JSON.stringify({ fruit }), headers: { kind: 'new' } })));
  const offsets = sent.map((r) => r.offset);

  // Follow the stream: new messages keep coming until you break or close().
  const followed: string[] = [];
  for await (const m of qq.subscribe('orders', { from: 'first' })) {
    followed.push(`${m.offset}:${m.body.toString()}`);
    if (followed.length === 3) break;
  }

  // Read once, from an offset (any member serves it).
  const page = await qq.read('orders', 1, { maxMessages: 10 });
  const read = page.messages.map((m) => m.body.toString());

  // A named consumer stores its position and resumes there, on any node.
  await qq.commitOffset('orders', 'billing', page.nextOffset);
  const resumedAt = (await qq.getOffset('orders', 'billing')) ?? 0;
  const later = orders.send({ body: JSON.stringify({ fruit: 'kiwi' }) });
  const resumed = qq.subscribe('orders', { from: { consumer: 'billing' } });
  let next: ReceivedStreamMessage | undefined;
  for await (const m of resumed) {
    next = m;
    break;
  }
  await later;
  await orders.close();
  if (next?.offset !== resumedAt) throw new Error(`resumed at ${next?.offset}, expected ${resumedAt}`);
  return { offsets, followed, read, resumedAt };
}

/** Queues: publish, consume with acks, nack and reject, pull, and the dead-letter store. */
export async function queues(qq: Client): Promise<{ consumed: string[]; pulled: string[]; deadLetters: string[]; replayed: number }> {
  await qq.declareQueue('emails', { deliveryLimit: 3 });
  const emails = qq.queueProducer('emails');
  await Promise.all(['hello@a.example', 'bounce@b.example', 'hi@c.example'].map((to) => emails.send({ body: to, priority: 1 })));

  const consumed: string[] = [];
  const consumer = qq.consume('emails', { prefetch: 64 });
  for await (const d of consumer) {
    const to = d.body.toString();
    if (to.startsWith('bounce')) {
      await d.reject(); // dead-lettered
    } else {
      consumed.push(to);
      await d.ack(); // or: void d.ack() — acks are batched, awaiting is optional
    }
    if (consumed.length === 2) break;
  }
  await consumer.close();

  // Pull instead of a push consumer: take up to 10, settle them by tag.
  await emails.send({ body: 'pulled@d.example' });
  const got = await qq.pull('emails', { max: 10, waitMs: 500 }); // up to 10, or what came within 500 ms
  await qq.settle('emails', got.consumer, { ack: got.messages.map((m) => m.tag) });
  const pulled = got.messages.map((m) => m.body.toString());

  // What was rejected waits in the dead-letter store; replay it to the queue, or purge it.
  const { deadLetters } = await qq.listDeadLetters('emails');
  const { replayed } = await qq.replayDeadLetters('emails', 100);
  await qq.purgeQueue('emails');
  await emails.close();
  return { consumed, pulled, deadLetters: deadLetters.map((d) => `${d.body.toString()}:${d.reason}`), replayed };
}

/** Jobs: add, process with a Worker (retries with backoff, events), repeat on a schedule, close. */
export async function jobs(qq: Client): Promise<{ results: number[]; failures: number; scheduledRuns: number }> {
  await qq.declareQueue('thumbnails');
  const queue = new Jobs(qq, 'thumbnails');
  for (const n of [1, 2, 3]) await queue.add('resize', { n }, { jobId: `resize-${n}` });
  // The server adds one every 200 ms, whatever happens to the leader.
  await queue.schedule('tick', { n: 0 }, { everyMs: 200 });

  const results: number[] = [];
  let failures = 0;
  let scheduledRuns = 0;
  const worker = new Worker<{ n: number }, number>(
    qq,
    'thumbnails',
    async (job, signal) => {
      if (job.name === 'tick') return scheduledRuns++;
      if (job.data.n === 2 && job.attemptsMade === 0) throw new Error('flaky storage'); // retried after a backoff
      signal.throwIfAborted();
      return job.data.n * 10;
    },
    { concurrency: 4, timeoutMs: 10_000, backoff: { baseMs: 100, maxMs: 1000 }, rateLimit: { max: 50, durationMs: 1000 } },
  );
  worker.on('completed', (job, result) => job.name === 'resize' && results.push(result));
  worker.on('failed', () => failures++);
  worker.on('stalled', (job, how) => console.log(`job ${job.id} stalled (${how}): it runs again`));
  const deadline = Date.now() + 20_000;
  while ((results.length < 3 || scheduledRuns < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await queue.unschedule('tick');
  await worker.close(); // stops taking jobs and waits for the running ones
  await queue.close();
  return { results: results.sort((a, b) => a - b), failures, scheduledRuns };
}

/** Errors: one class per status, with a stable `code`, the server's words and the outcome of a failed write. */
export async function errors(qq: Client): Promise<string[]> {
  const seen: string[] = [];
  try {
    await qq.declareStream('orders', { maxAgeMs: 1000 }); // other settings than the stream has
  } catch (e) {
    if (e instanceof FailedPreconditionError) seen.push(`${e.code} ${e.outcome}`);
  }
  try {
    await qq.queueInfo('no-such-queue');
  } catch (e) {
    if (e instanceof NotFoundError) seen.push(e.code);
  }
  // Every call takes a deadline and an AbortSignal.
  const ac = new AbortController();
  ac.abort();
  await qq.streamInfo('orders', { signal: ac.signal }).catch((e: Error) => seen.push(e.name));
  return seen;
}
