// The SDK's entry point: `const qq = await connect({ servers })`, then
// producers, subscriptions, consumers, workers and the admin calls, all over
// one Connection.

import { Connection, type Answered, type ConnectionOptions, type UnaryOptions } from './connection.js';
import { QueueConsumer, type ConsumeOptions } from './consumer.js';
import type { RequestOf, ResponseOf, UnaryMethod } from './methods.js';
import { queueProducer, streamProducer, type AppendResult, type Producer, type ProducerOptions, type PublishResult } from './producer.js';
import type { CallOptions } from './signal.js';
import { StreamSubscription, type SubscribeOptions } from './subscription.js';
import type { QueueMessageInput, StreamMessageInput } from './messages.js';
import type { QueueSettings, StreamSettings } from './wire.js';

export class Client {
  /** @internal use connect() */
  constructor(readonly connection: Connection) {}

  /** Any unary Broker call, routed (writes to the leader) and retried within the deadline. */
  call<M extends UnaryMethod>(method: M, req: RequestOf<M>, o?: UnaryOptions): Promise<Answered<ResponseOf<M>>> {
    return this.connection.call(method, req, o);
  }

  /** A producer appending to a stream. */
  streamProducer(stream: string, o?: ProducerOptions): Producer<StreamMessageInput, AppendResult> {
    return streamProducer(this.connection, stream, o);
  }

  /** A producer publishing to a queue. */
  queueProducer(queue: string, o?: ProducerOptions): Producer<QueueMessageInput, PublishResult> {
    return queueProducer(this.connection, queue, o);
  }

  /** Follow a stream: `for await (const m of qq.subscribe('s'))`. */
  subscribe(stream: string, o?: SubscribeOptions): StreamSubscription {
    return new StreamSubscription(this.connection, stream, o);
  }

  /** Consume a queue: `for await (const d of qq.consume('q')) await d.ack()`. */
  consume(queue: string, o?: ConsumeOptions): QueueConsumer {
    return new QueueConsumer(this.connection, queue, o);
  }

  /** Create a stream, or confirm it exists with these settings. */
  async declareStream(name: string, settings: StreamSettings = {}, o?: CallOptions): Promise<{ created: boolean }> {
    const r = await this.call('DeclareStream', { name, settings }, o);
    return { created: r.created };
  }

  async deleteStream(name: string, o?: CallOptions): Promise<void> {
    await this.call('DeleteStream', { name }, o);
  }

  /** Create a queue, or confirm it exists with these settings. */
  async declareQueue(name: string, settings: QueueSettings = {}, o?: CallOptions): Promise<{ created: boolean }> {
    const r = await this.call('DeclareQueue', { name, settings }, o);
    return { created: r.created };
  }

  async deleteQueue(name: string, o?: CallOptions): Promise<void> {
    await this.call('DeleteQueue', { name }, o);
  }

  async queueInfo(name: string, o?: CallOptions): Promise<ResponseOf<'QueueInfo'>> {
    return this.call('QueueInfo', { name }, o);
  }

  async streamInfo(name: string, o?: CallOptions): Promise<ResponseOf<'StreamInfo'>> {
    return this.call('StreamInfo', { name }, o);
  }

  /** Members, roles and the leader (also refreshes the connection's view). */
  status(o?: CallOptions): Promise<ResponseOf<'ClusterStatus'>> {
    return this.connection.discover(o);
  }

  /** Close every channel; producers, subscriptions and consumers stop. */
  close(): void {
    this.connection.close();
  }
}

/**
 * Connect to a cluster: resolves once a node answered ClusterStatus (so the
 * members and the leader are known), retrying within `timeoutMs`.
 */
export async function connect(opts: ConnectionOptions): Promise<Client> {
  const conn = new Connection(opts);
  try {
    await conn.discover();
  } catch (e) {
    conn.close();
    throw e;
  }
  return new Client(conn);
}
