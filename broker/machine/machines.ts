// Every replicated machine, registered in one place. A new machine is a
// folder under broker/machine/ implementing api.ts, and one line here.

import type { AnyMachine } from './api.js';
import { ClusterMachine } from './cluster/machine.js';
import { KvMachine } from './kv/machine.js';
import { QueuesMachine } from './queues/machine.js';
import { MachineRegistry } from './registry.js';
import { StreamsMachine } from './streams/machine.js';
import { ExchangesMachine } from './exchanges/machine.js';
import { UsersMachine } from './users/machine.js';
import { PlacementMachine } from './placement/machine.js';

export function createMachines(): MachineRegistry {
  const machines: AnyMachine[] = [new ClusterMachine(), new KvMachine(), new StreamsMachine(), new QueuesMachine(), new ExchangesMachine(), new UsersMachine(), new PlacementMachine()];
  return new MachineRegistry(machines);
}
