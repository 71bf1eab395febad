// Damage is repaired, not crash-looped: a stopped follower whose LevelDB
// table files are damaged (five bit flips in the middle of one; another
// truncated to half) starts, checks the log it replays before saying ready
// (here all of it: 12 MB is below the first checkpoint; damage below a
// checkpoint is met by the read that reaches it, and the next start checks
// everything: log/repair.test.ts), discards the damaged committed entries,
// fetches them again from the
// leader, serves every message again, and reports the repair in its log and
// /metrics. (Before: it printed ready, then exited on "corrupt entry record
// ... checksum mismatch" when it reached the entry.)

import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import { LocalCluster, waitFor } from './cluster.js';

const MESSAGES = 12_000;

describe('a follower with a damaged log repairs it from the leader', () => {
  let c: LocalCluster;
  const bodies: Buffer[] = [];

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    const pool = c.client([leader], 10_000);
    await pool.call('DeclareStream', { name: 'r', settings: {} });
    // Random (incompressible) 1 KiB bodies, ~12 MB: several LevelDB tables once compacted.
    for (let i = 0; i < MESSAGES; i += 200) {
      const batch = Array.from({ length: 200 }, () => randomBytes(1024));
      bodies.push(...batch);
      await pool.call('Append', { stream: 'r', messages: batch.map((body) => ({ body })) });
    }
  }, 180_000);

  afterAll(async () => {
    await c?.destroy();
  });

  /** Stops a caught-up follower and lays its data out in sorted tables (as an older node's would be); returns a middle table, entries only. */
  async function stoppedFollowerTable(follower: number): Promise<string> {
    await waitFor(`node ${follower} to catch up`, async () => {
      const s = await c.status(follower);
      return s.members.find((m) => m.id === follower)!.applied >= s.commit && s.commit > 0;
    }, 60_000, 100);
    expect(await c.stopNode(follower)).toBe(0);
    const dir = c.node(follower).dataDir;
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    await db.compactRange(Buffer.alloc(0), Buffer.alloc(8, 0xff));
    await db.close();
    const tables = readdirSync(dir).filter((f) => f.endsWith('.ldb')).sort();
    expect(tables.length).toBeGreaterThanOrEqual(3);
    return join(dir, tables[tables.length >> 1]!);
  }

  async function metric(id: number, name: string): Promise<number> {
    const text = await (await fetch(`http://${c.node(id).metrics}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return Number(line?.split(' ').pop());
  }

  /** New appends after the restart: the leader, sending them, learns the follower's log is short and sends what it lacks. */
  async function appendMore(): Promise<void> {
    const batch = Array.from({ length: 100 }, () => randomBytes(1024));
    await c.client([await c.waitForLeader()], 10_000).call('Append', { stream: 'r', messages: batch.map((body) => ({ body })) });
    bodies.push(...batch);
  }

  /** Every message, read from this node alone (LOCAL), equals what was appended. */
  async function servesEverything(id: number): Promise<void> {
    const pool = c.client([id], 10_000);
    await waitFor(`node ${id} to serve all ${bodies.length} messages`, async () => {
      let from = 0;
      let seen = 0;
      for (;;) {
        const r = await pool.call<ReadResponse__Output>('Read', { stream: 'r', fromOffset: from, maxMessages: 2000, consistency: 'LOCAL' });
        for (const m of r.messages) {
          if (Buffer.compare(Buffer.from(m.body), bodies[Number(m.offset)]!) !== 0) throw new Error(`offset ${m.offset} differs`);
          seen++;
        }
        if (!r.messages.length || Number(r.nextOffset) >= Number(r.endOffset)) {
          if (seen !== bodies.length) throw new Error(`served ${seen} of ${bodies.length} (end ${r.endOffset}, next ${r.nextOffset}, first ${r.messages[0]?.offset})`);
          return true;
        }
        from = Number(r.nextOffset);
      }
    }, 60_000, 250);
  }

  it('five bit flips in the middle of a table file: ready, repaired, every message served again', async () => {
    const leader = await c.waitForLeader();
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const table = await stoppedFollowerTable(follower);
    const size = statSync(table).size;
    const fd = openSync(table, 'r+');
    try {
      for (let k = 0; k < 5; k++) {
        const pos = Math.floor(size / 2) + k * 1009;
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, pos);
        b[0]! ^= 1 << k;
        writeSync(fd, b, 0, 1, pos);
      }
    } finally {
      closeSync(fd);
    }
    const r = await c.startNode(follower);
    expect(r.exitCode, r.stderr.slice(-2000)).toBeUndefined();
    const log = readFileSync(c.node(follower).logFile, 'utf8');
    const line = log.split('\n').find((l) => l.includes('repaired a damaged log'));
    expect(line, log.slice(-3000)).toBeDefined();
    console.log(`bit flips: ${line}`);
    expect(await metric(follower, 'quorumq_log_repaired_entries')).toBeGreaterThan(0);
    await appendMore();
    await servesEverything(follower);
    expect(c.running(follower)).toBe(true);
  }, 240_000);

  it('a table file truncated to half: ready, salvaged and repaired, every message served again', async () => {
    const leader = await c.waitForLeader();
    const followers = [1, 2, 3].filter((id) => id !== leader);
    const follower = followers[followers.length - 1]!;
    const table = await stoppedFollowerTable(follower);
    truncateSync(table, Math.floor(statSync(table).size / 2));
    const r = await c.startNode(follower);
    expect(r.exitCode, r.stderr.slice(-2000)).toBeUndefined();
    const log = readFileSync(c.node(follower).logFile, 'utf8');
    const line = log.split('\n').find((l) => l.includes('repaired a damaged log'));
    expect(line, log.slice(-3000)).toBeDefined();
    console.log(`truncation: ${line}`);
    expect(await metric(follower, 'quorumq_log_salvages')).toBe(1);
    expect(await metric(follower, 'quorumq_log_repaired_entries')).toBeGreaterThan(0);
    await appendMore();
    await servesEverything(follower);
    expect(c.running(follower)).toBe(true);
  }, 240_000);
});
