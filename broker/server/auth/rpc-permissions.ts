// What each Broker call needs, in one table: the permission (configure, write,
// read on a resource's name, or admin) and where the name is in the request.
// The auth interceptor (interceptor.ts) checks every request message of every
// call against it, streams included (each AppendStream/PublishStream request
// names its target; a Subscribe/Consume names it in its first). A method with
// no entry is refused (the check fails closed), and rpc-permissions.test.ts
// fails for any RPC in the .proto missing here: a new RPC needs a line.
//
// The mapping follows RabbitMQ's: declaring and deleting is configure,
// appending and publishing is write, reading, consuming, inspecting and
// purging is read. Kv keys are resources as stream and queue names are.

import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { Permission } from '../../machine/users/machine.js';

/** One thing a call needs: a permission on a named resource (admin: no resource). */
export interface Need {
  readonly permission: Permission;
  /** The name the permission's pattern is matched against ('' for admin). */
  readonly resource: string;
  /** What the resource is, for the refusal's message. */
  readonly kind: string;
}

/** The needs of one request message of `user`; [] means "any authenticated user". */
export type Rule = (req: Record<string, unknown>, user: string) => readonly Need[];

const ANY_USER: Rule = () => [];
const ADMIN: Rule = () => [{ permission: 'admin', resource: '', kind: 'cluster' }];

/** `permission` on the name in field `field` of the request. */
function on(permission: Permission, kind: string, field: string, also?: Permission): Rule {
  return (req) => {
    const resource = String(req[field] ?? '');
    const need: Need[] = [{ permission, resource, kind }];
    if (also) need.push({ permission: also, resource, kind });
    return need;
  };
}

const TARGET_KINDS = ['queue', 'stream', 'exchange'] as const;
/** A binding's destination kind (the enum arrives as its name; a number is read as its value). */
function targetKind(v: unknown): string {
  if (typeof v === 'number') return TARGET_KINDS[v] ?? 'queue';
  return String(v ?? 'TARGET_QUEUE').replace(/^TARGET_/, '').toLowerCase();
}

/**
 * A binding, as RabbitMQ checks one: read on the source exchange (messages
 * will flow out of it) and write on the destination (they will flow into it).
 */
const BINDING: Rule = (req) => [
  { permission: 'read', resource: String(req.exchange ?? ''), kind: 'exchange' },
  { permission: 'write', resource: String(req.target ?? ''), kind: targetKind(req.targetKind) },
];

const TX_KINDS = ['TX_PUBLISH_EXCHANGE', 'TX_PUBLISH_QUEUE', 'TX_APPEND_STREAM', 'TX_SETTLE'] as const;
/**
 * A transaction needs what each of its operations would need on its own:
 * write on the exchange, queue or stream it publishes to, read on the queue
 * whose deliveries it settles.
 */
const TRANSACTION: Rule = (req) => {
  const ops = Array.isArray(req.ops) ? (req.ops as Record<string, unknown>[]) : [];
  return ops.map((op): Need => {
    const kind = typeof op.kind === 'number' ? TX_KINDS[op.kind] : String(op.kind ?? 'TX_PUBLISH_EXCHANGE');
    switch (kind) {
      case 'TX_PUBLISH_QUEUE':
        return { permission: 'write', resource: String(op.queue ?? ''), kind: 'queue' };
      case 'TX_APPEND_STREAM':
        return { permission: 'write', resource: String(op.stream ?? ''), kind: 'stream' };
      case 'TX_SETTLE':
        return { permission: 'read', resource: String(op.queue ?? ''), kind: 'queue' };
      default:
        return { permission: 'write', resource: String(op.exchange ?? ''), kind: 'exchange' };
    }
  });
};

/** The Broker service's method names, without the index signature of the generated handlers type. */
export type BrokerMethod = keyof { [K in keyof BrokerHandlers as string extends K ? never : number extends K ? never : K]: BrokerHandlers[K] };

export const RPC_PERMISSIONS: Readonly<Record<BrokerMethod, Rule>> = {
  // kv
  Put: on('write', 'key', 'key'),
  Get: on('read', 'key', 'key'),
  // cluster
  ClusterStatus: ANY_USER,
  AddNode: ADMIN,
  RemoveNode: ADMIN,
  TransferLeader: ADMIN,
  Rebalance: ADMIN,
  // streams
  DeclareStream: on('configure', 'stream', 'name'),
  DeleteStream: on('configure', 'stream', 'name'),
  ListStreams: ANY_USER,
  StreamInfo: on('read', 'stream', 'name'),
  Append: on('write', 'stream', 'stream'),
  AppendStream: on('write', 'stream', 'stream'),
  Read: on('read', 'stream', 'stream'),
  Subscribe: on('read', 'stream', 'stream'),
  CommitOffset: on('read', 'stream', 'stream'),
  GetOffset: on('read', 'stream', 'stream'),
  // queues
  DeclareQueue: on('configure', 'queue', 'name'),
  DeleteQueue: on('configure', 'queue', 'name'),
  PurgeQueue: on('read', 'queue', 'name'),
  ListQueues: ANY_USER,
  QueueInfo: on('read', 'queue', 'name'),
  Publish: on('write', 'queue', 'queue'),
  PublishStream: on('write', 'queue', 'queue'),
  Consume: on('read', 'queue', 'queue'),
  GetMessages: on('read', 'queue', 'queue'),
  Settle: on('read', 'queue', 'queue'),
  ListDeadLetters: on('read', 'queue', 'queue'),
  // Takes from the dead-letter store and puts back into the queue.
  ReplayDeadLetters: on('read', 'queue', 'queue', 'write'),
  PurgeDeadLetters: on('read', 'queue', 'queue'),
  // A schedule publishes on its own for as long as it exists: setting one up is configure and write.
  AddSchedule: on('configure', 'queue', 'queue', 'write'),
  ListSchedules: on('read', 'queue', 'queue'),
  RemoveSchedule: on('configure', 'queue', 'queue'),
  // exchanges (RabbitMQ's rules: publishing through an exchange is write on it; what it routes to needs nothing more)
  DeclareExchange: on('configure', 'exchange', 'name'),
  DeleteExchange: on('configure', 'exchange', 'name'),
  ListExchanges: ANY_USER,
  ExchangeInfo: on('read', 'exchange', 'name'),
  Bind: BINDING,
  Unbind: BINDING,
  PublishToExchange: on('write', 'exchange', 'exchange'),
  Transact: TRANSACTION,
  // users
  AddUser: ADMIN,
  RemoveUser: ADMIN,
  ListUsers: ADMIN,
  SetPermissions: ADMIN,
  // A user may rotate its own token (a leaked token is replaced without an administrator).
  RotateToken: (req, user) => (req.name === user && user !== '' ? [] : ADMIN({}, user)),
  WhoAmI: ANY_USER,
  // Where a queue's partitions and their leaders are: what ClusterStatus (any user) shows too.
  Placement: ANY_USER,
};

/** The rule of a method, or undefined for one the table does not know (refused). */
export function ruleOf(method: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(RPC_PERMISSIONS, method) ? RPC_PERMISSIONS[method as BrokerMethod] : undefined;
}
