// What the power-loss nemeses (nemesis.ts) stand on: every node's data on its
// own powercut-fs mount (powercut.ts); cutting the power of some nodes at the
// same moment (SIGKILL, then drop whatever they had not made durable: file
// bytes not fsynced, names whose directory was not fsynced); a filler that
// makes LevelDB switch log files every few seconds; and a watch for the switch.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterCtl } from './cluster-ctl.js';
import { sleep } from './cluster-ctl.js';
import { PowercutMount } from './powercut.js';
import type { PowercutStats } from './powercut.js';

/** One powercut-fs mount per slot, at ctl.diskDir(slot), backed by <ctl.dir>/powercut/node<i>. */
export class PowercutDisks {
  private constructor(private readonly mounts: Map<number, PowercutMount>) {}

  static async mountAll(ctl: ClusterCtl): Promise<PowercutDisks> {
    const mounts = new Map<number, PowercutMount>();
    const disks = new PowercutDisks(mounts);
    try {
      for (const s of ctl.slots) mounts.set(s, await PowercutMount.mount(ctl.diskDir(s), join(ctl.dir, 'powercut', `node${s}`)));
    } catch (e) {
      await disks.unmountAll();
      throw e;
    }
    return disks;
  }

  /** Drops what the slot's node did not make durable; its process must be dead. */
  cut(slot: number): PowercutStats {
    const m = this.mounts.get(slot)!;
    const before = m.stats();
    m.cut();
    const after = m.stats();
    return { ...after, lostWrites: after.lostWrites - before.lostWrites, lostBytes: after.lostBytes - before.lostBytes, lostNames: after.lostNames - before.lostNames };
  }

  async unmountAll(): Promise<void> {
    for (const m of this.mounts.values()) await m.unmount();
  }
}

/** SIGKILL the slots' nodes at the same moment, then cut their power. Returns a description. */
export async function cutPower(ctl: ClusterCtl, disks: PowercutDisks, slots: number[]): Promise<string> {
  // Signals go out together; each stop() then waits for its process to be gone.
  await Promise.all(slots.map((s) => ctl.stop(s, 'SIGKILL')));
  const lost = slots.map((s) => {
    const st = disks.cut(s);
    const logs = st.lastLostNames.filter((n) => /\/\d+\.log$/.test(n)).map((n) => n.split('/').pop());
    return `node ${s}: dropped ${st.lostWrites} unsynced writes (${(st.lostBytes / 1024).toFixed(0)} KiB), ${st.lostNames} names${logs.length ? ` (log file ${logs.join(',')})` : ''}`;
  });
  return lost.join('; ');
}

/** Appends large batches to a stream of its own until stopped, so LevelDB switches log files every few seconds. */
export function startFiller(ctl: ClusterCtl): { stop: () => Promise<number> } {
  // The cluster's own credentials when it runs with TLS and auth.
  const pool = ctl.pool(ctl.slots, 5000);
  let running = true;
  let confirmed = 0;
  const body = Buffer.alloc(4096, 0x61);
  const messages = Array.from({ length: 64 }, () => ({ body }));
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        await pool.call('Append', { stream: 'powerloss-filler', messages }, 5000);
        confirmed++;
      } catch {
        if (running) await sleep(100);
      }
    }
  };
  const loops = (async () => {
    await pool.call('DeclareStream', { name: 'powerloss-filler', settings: { maxBytes: 256 * 1024 * 1024 } }, 5000).catch(() => undefined);
    await Promise.all([loop(), loop(), loop(), loop()]);
  })();
  return {
    stop: async () => {
      running = false;
      await loops.catch(() => undefined);
      pool.close();
      return confirmed;
    },
  };
}

/**
 * Waits until every node has switched LevelDB log files within `withinMs` of
 * each other, or after `allForMs` a majority (a new NNNNNN.log in a directory that already held
 * a table file, so LevelDB's first flush — after which its MANIFEST is synced
 * — is behind it and the switch is an ordinary one). Nodes hold the same
 * entries, so they switch close together, but not always. Resolves with the
 * new files and how far apart they appeared, or undefined at the deadline.
 */
export async function nextLogSwitch(
  ctl: ClusterCtl,
  timeoutMs: number,
  withinMs = 600,
  allForMs = 45_000,
): Promise<{ files: string[]; spreadMs: number } | undefined> {
  const start = Date.now();
  const list = (s: number): string[] => {
    try {
      return readdirSync(ctl.dataDir(s));
    } catch {
      return [];
    }
  };
  const last = new Map(ctl.slots.map((s) => [s, list(s)]));
  const switched = new Map<number, { file: string; at: number }>();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const s of ctl.slots) {
      const before = last.get(s)!;
      const now = list(s);
      const fresh = now.find((f) => /^\d+\.log$/.test(f) && !before.includes(f));
      if (fresh && before.some((f) => f.endsWith('.ldb'))) switched.set(s, { file: fresh, at: Date.now() });
      last.set(s, now);
    }
    // Older switches are out of the window: their flush has likely made the name durable already.
    for (const [s, x] of switched) if (Date.now() - x.at > withinMs) switched.delete(s);
    const need = Date.now() - start < allForMs ? ctl.slots.length : Math.floor(ctl.slots.length / 2) + 1;
    if (switched.size >= need) {
      const ats = [...switched.values()].map((x) => x.at);
      return { files: [...switched].map(([s, x]) => `node ${s}: ${x.file}`), spreadMs: Math.max(...ats) - Math.min(...ats) };
    }
    await sleep(5);
  }
  return undefined;
}

