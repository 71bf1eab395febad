// A tiny interpreter for data-driven interaction scripts (the shape etcd-raft's
// testdata uses). A script is blocks of
//
//   # what the scenario proves
//   command arg arg key=value
//   ----
//   expected output
//
// run against a TestCluster; the output of each command is the exact Ready
// bundles, messages or status lines it produced, so a change in behaviour
// shows up as a readable diff. REWRITE=1 regenerates the expected outputs.

import { describeMessage, describeReady } from '../ready.js';
import type { Config } from '../config.js';
import { MemoryStorage } from '../memory-storage.js';
import { ConfChangeType } from '../types.js';
import { TestCluster, utf8 } from './cluster.js';

export interface Block {
  readonly comment: string;
  readonly command: string;
  readonly expected: string;
}

export function parseScript(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const comment: string[] = [];
    while (i < lines.length && (lines[i]!.startsWith('#') || lines[i]!.trim() === '')) {
      if (lines[i]!.startsWith('#')) comment.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) break;
    const command = lines[i++]!;
    if (lines[i] !== '----') throw new Error(`line ${i + 1}: expected ---- after "${command}"`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') out.push(lines[i++]!);
    blocks.push({ comment: comment.join('\n'), command, expected: out.join('\n') });
  }
  return blocks;
}

export function formatScript(blocks: readonly Block[]): string {
  return blocks.map((b) => `${b.comment ? b.comment + '\n' : ''}${b.command}\n----\n${b.expected}\n`).join('\n');
}

export class Interaction {
  private cluster: TestCluster | undefined;

  private get c(): TestCluster {
    if (!this.cluster) throw new Error('add-nodes first');
    return this.cluster;
  }

  run(command: string): string {
    const [verb, ...rest] = command.trim().split(/\s+/);
    const args = rest.filter((a) => !a.includes('='));
    const kv = Object.fromEntries(rest.filter((a) => a.includes('=')).map((a) => a.split('=') as [string, string]));
    const id = (k = 0): number => Number(args[k]);
    switch (verb) {
      case 'add-nodes': {
        const n = id();
        const cfg: Partial<Config> = {
          preVote: kv['prevote'] !== 'false',
          checkQuorum: kv['checkquorum'] !== 'false',
        };
        const ids = [...Array(n)].map((_, i) => i + 1);
        this.cluster = new TestCluster(ids, cfg);
        return `added nodes ${ids.join(',')}`;
      }
      case 'add-empty-node': {
        this.c.add(id(), new MemoryStorage({ voters: [], learners: [] }));
        return `added empty node ${id()}`;
      }
      case 'campaign':
        this.c.get(id()).node.campaign();
        return 'ok';
      case 'propose':
        this.c.get(id()).node.propose(utf8(args[1] ?? ''));
        return 'ok';
      case 'propose-conf-change': {
        const type = { 'add-voter': ConfChangeType.AddVoter, 'add-learner': ConfChangeType.AddLearner, remove: ConfChangeType.RemoveNode }[args[1]!];
        if (type === undefined) throw new Error(`unknown change ${args[1]}`);
        try {
          this.c.get(id()).node.proposeConfChange({ type, node: Number(args[2]) });
          return 'ok';
        } catch (e) {
          return `error: ${(e as Error).name}: ${(e as Error).message}`;
        }
      }
      case 'read-index':
        this.c.get(id()).node.readIndex(utf8(args[1] ?? ''));
        return 'ok';
      case 'transfer-leader':
        this.c.get(id()).node.transferLeader(id(1));
        return 'ok';
      case 'tick':
        this.c.tick(id(), Number(kv['n'] ?? 1));
        return 'ok';
      case 'isolate':
        this.c.isolate(id());
        return 'ok';
      case 'heal':
        this.c.heal();
        return 'ok';
      case 'process-ready':
        return this.processReady(id());
      case 'deliver-msgs': {
        const n = this.c.deliver();
        return `delivered ${n}`;
      }
      case 'stabilize': {
        const out: string[] = [];
        for (let round = 0; round < 100; round++) {
          let moved = false;
          for (const nid of [...this.c.nodes.keys()]) {
            if (!this.c.get(nid).node.hasReady()) continue;
            moved = true;
            out.push(this.processReady(nid));
          }
          if (this.c.queue.length) {
            moved = true;
            out.push(`> deliver: ${this.c.queue.map(describeMessage).join('; ')}`);
            this.c.deliver();
          }
          if (!moved) return out.join('\n') || '(nothing)';
        }
        throw new Error('stabilize did not settle');
      }
      case 'status': {
        const s = this.c.get(id()).node.status();
        const peers = s.peers.map((p) => `${p.id}:${p.mode}/m${p.match}/n${p.next}`).join(' ');
        return `${s.id} ${s.role} term=${s.term} lead=${s.leader} commit=${s.commit} applied=${s.applied} last=${s.lastIndex} voters=${s.conf.voters.join(',')} learners=${s.conf.learners.join(',') || '-'}${peers ? ' peers: ' + peers : ''}`;
      }
      default:
        throw new Error(`unknown command ${verb}`);
    }
  }

  private processReady(id: number): string {
    const n = this.c.get(id);
    if (!n.node.hasReady()) return `> ${id}: no Ready`;
    // Describe before processing: processReady consumes it.
    const rd = n.node.ready();
    const text = describeReady(rd)
      .split('\n')
      .map((l) => '  ' + l)
      .join('\n');
    this.c.queue.push(...rd.messages);
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    this.c.queue.push(...rd.persistedMessages);
    for (const e of rd.committedEntries) n.applied.push(e);
    n.reads.push(...rd.readStates);
    n.node.advance(rd);
    return `> ${id} handling Ready\n${text}`;
  }
}
