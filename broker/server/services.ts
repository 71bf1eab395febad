// Every Broker service the node serves, registered in one place: the node's
// own calls (cluster, membership) and one service per replicated machine. A
// new machine's service is a folder beside streams/ and queues/, and one line here.

import type { BrokerHandlers } from '../../proto/generated/quorumq/v1/Broker.js';
import { kvService } from './kv/kv-service.js';
import { exchangesService } from './exchanges/exchanges-service.js';
import { clusterService } from './node/cluster-service.js';
import type { NodeContext } from './node/context.js';
import { queuesService } from './queues/queues-service.js';
import { partitionPeerHandlers } from './queues/partitioned.js';
import type { RaftHandlers } from '../../proto/generated/quorumq/v1/Raft.js';
import { streamsService } from './streams/streams-service.js';
import { usersService } from './users/users-service.js';

export function brokerServices(ctx: NodeContext): BrokerHandlers {
  return {
    ...clusterService(ctx),
    ...kvService(ctx),
    ...streamsService(ctx),
    ...queuesService(ctx),
    ...exchangesService(ctx),
    ...usersService(ctx),
  };
}

/** The peer port's calls a machine's service serves (the node adds Raft's own): a member's side of the calls other nodes relay to the groups it hosts. */
export function peerServices(ctx: NodeContext): Pick<RaftHandlers, 'PartitionRead' | 'PartitionConsume'> {
  return partitionPeerHandlers(ctx);
}
