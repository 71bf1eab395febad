// The one state machine the Raft host applies: it decodes each command and
// hands it to the machine it names. New machines plug in here.

import { DecodeError, Reader, Writer } from './bytes.js';
import { ClusterMachine } from './cluster.js';
import type { CommandResult } from './commands.js';
import { decodeCommand } from './commands.js';
import { KvMachine, validatePut } from './kv.js';
import type { StreamMessage } from './streams/commands.js';
import { decodeStreamCommand, isStreamCommand } from './streams/commands.js';
import { StreamsMachine } from './streams/machine.js';

/** 2: the streams machine's state follows the key-value store's. */
const SNAPSHOT_VERSION = 2;

/** An entry as the dispatcher needs it (structurally the core's Entry). */
export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly data: Uint8Array;
}

export interface DispatcherListener {
  /** The address book changed (a member was added, moved or removed). */
  membersChanged?(): void;
  /**
   * A batch was stored in a stream at `raftIndex` (not a duplicate). The
   * messages were decoded to apply the entry; a reader cache may keep them so
   * recent reads neither touch the log nor decode again. Views into the
   * entry's buffer: do not modify.
   */
  streamAppended?(raftIndex: number, messages: readonly StreamMessage[]): void;
  /** The machine's state was replaced by a snapshot's. */
  restored?(): void;
}

export class Dispatcher {
  readonly kv = new KvMachine();
  readonly cluster = new ClusterMachine();
  readonly streams = new StreamsMachine();

  constructor(private readonly listener: DispatcherListener = {}) {}

  apply(e: AppliedEntry): CommandResult {
    if (isStreamCommand(e.data)) return this.applyStream(e);
    let cmd;
    try {
      cmd = decodeCommand(e.data);
    } catch (err) {
      // Written by a newer or broken node: every member skips it the same way.
      return unsupported(e.index, err);
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

  private applyStream(e: AppliedEntry): CommandResult {
    let cmd;
    try {
      cmd = decodeStreamCommand(e.data);
    } catch (err) {
      return unsupported(e.index, err);
    }
    const r = this.streams.apply(cmd, e.index);
    if (!r.ok) return { ok: false, code: r.code, message: r.message };
    if (r.kind === 'appended' && !r.duplicate && cmd.op === 'append') this.listener.streamAppended?.(e.index, cmd.messages);
    return { ok: true, index: e.index, stream: r };
  }

  /** The lowest Raft index a retained stream message lives at (entries below it may be compacted), or undefined. */
  firstLiveIndex(): number | undefined {
    return this.streams.firstLiveIndex();
  }

  /** The Raft indexes of every retained stream batch, ascending: what a snapshot must carry besides the state. */
  liveIndexes(): number[] {
    return this.streams.liveIndexes();
  }

  snapshot(): Uint8Array {
    const w = new Writer().u8(SNAPSHOT_VERSION);
    this.cluster.write(w);
    this.kv.write(w);
    this.streams.write(w);
    return w.finish();
  }

  restore(data: Uint8Array): void {
    const r = new Reader(data);
    const v = r.u8();
    if (v !== SNAPSHOT_VERSION && v !== 1) throw new DecodeError(`unsupported snapshot version ${v}`);
    this.cluster.read(r);
    this.kv.read(r);
    // Version 1 predates streams: none existed.
    if (v >= 2) this.streams.read(r);
    else this.streams.read(new Reader(new Writer().u53(0).u32(0).finish()));
    r.end();
    this.listener.membersChanged?.();
    this.listener.restored?.();
  }
}

function unsupported(index: number, err: unknown): CommandResult {
  const why = err instanceof DecodeError ? err.message : String(err);
  return { ok: false, code: 'unsupported', message: `entry ${index} is not a command this node understands: ${why}` };
}
