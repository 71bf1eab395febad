// How one command lands messages in several machines' state at once — all of
// it or none (a routed publish, a transaction; see exchanges/). A machine
// that can take messages from another machine's command offers two steps:
//
//   check  pure: would these messages land, given what this same command
//          already lands before them (`staged`)? A refusal, or undefined.
//   land   store them; called only after every check of the command passed,
//          so it cannot fail. Returns the effects the storing asks for.
//
// The bodies stay in the command's log entry: the target records (index,
// part, slot), where slot numbers the messages across the whole command.

import type { ApplyMeta, Effect, Failure } from './api.js';
import type { QueueMessage } from './queues/commands.js';

/** What one command already lands in a target before the messages being checked. */
export interface Staged {
  count: number;
  bytes: number;
}

export interface MessageLanding<E> {
  checkLanding(target: string, messages: readonly QueueMessage[], staged: Staged): Failure | undefined;
  /** `all`: every message of the command, in slot order; `slots`: those landing here, ascending. */
  land(meta: ApplyMeta, target: string, all: readonly QueueMessage[], slots: readonly number[]): Effect<E>[];
}
