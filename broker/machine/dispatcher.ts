// The one state machine the Raft host applies: it decodes each command and
// hands it to the machine it names. New machines plug in here.

import { DecodeError, Reader, Writer } from './bytes.js';
import { ClusterMachine } from './cluster.js';
import type { CommandResult } from './commands.js';
import { decodeCommand } from './commands.js';
import { KvMachine, validatePut } from './kv.js';

const SNAPSHOT_VERSION = 1;

/** An entry as the dispatcher needs it (structurally the core's Entry). */
export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly data: Uint8Array;
}

export interface DispatcherListener {
  /** The address book changed (a member was added, moved or removed). */
  membersChanged?(): void;
}

export class Dispatcher {
  readonly kv = new KvMachine();
  readonly cluster = new ClusterMachine();

  constructor(private readonly listener: DispatcherListener = {}) {}

  apply(e: AppliedEntry): CommandResult {
    let cmd;
    try {
      cmd = decodeCommand(e.data);
    } catch (err) {
      // Written by a newer or broken node: every member skips it the same way.
      const why = err instanceof DecodeError ? err.message : String(err);
      return { ok: false, code: 'unsupported', message: `entry ${e.index} is not a command this node understands: ${why}` };
    }
    switch (cmd.machine) {
      case 'kv': {
        const bad = validatePut(cmd.key, cmd.value);
        if (bad) return { ok: false, code: 'invalid-argument', message: bad };
        this.kv.put(cmd.key, cmd.value, e.index);
        return { ok: true, index: e.index };
      }
      case 'cluster':
        if (cmd.op === 'set-member') this.cluster.set({ id: cmd.id, peerAddress: cmd.peerAddress, clientAddress: cmd.clientAddress });
        else this.cluster.remove(cmd.id);
        this.listener.membersChanged?.();
        return { ok: true, index: e.index };
    }
  }

  snapshot(): Uint8Array {
    const w = new Writer().u8(SNAPSHOT_VERSION);
    this.cluster.write(w);
    this.kv.write(w);
    return w.finish();
  }

  restore(data: Uint8Array): void {
    const r = new Reader(data);
    const v = r.u8();
    if (v !== SNAPSHOT_VERSION) throw new DecodeError(`unsupported snapshot version ${v}`);
    this.cluster.read(r);
    this.kv.read(r);
    r.end();
    this.listener.membersChanged?.();
  }
}
