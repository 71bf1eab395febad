// One exchange: its bindings, the index its type matches them by, and its
// routing stats. The indexes are views of the bindings (rebuilt on restore):
// direct by key, topic by a trie of pattern words, fanout and headers over
// all bindings (a headers binding is decided by the message's headers).

import type { Binding, ExchangeType } from './commands.js';
import { headersMatch } from './headers-match.js';
import { TopicTrie } from './topic-trie.js';

export interface BoundRecord {
  readonly binding: Binding;
  readonly id: string;
  /**
   * The Raft index at which the target was declared: a binding lives only as
   * long as its target (a target deleted and declared again is not bound).
   */
  readonly targetCreatedAt: number;
  /** Messages this binding matched. */
  matched: number;
}

export interface ExchangeStats {
  /** Messages published to this exchange by name. */
  published: number;
  /** Of those, routed to at least one queue or stream. */
  routed: number;
  /** Of those, routed nowhere (after the alternate exchange, if any). */
  unroutable: number;
}

/** A binding's identity: source, target, key and arguments (in order given, as RabbitMQ compares them). */
export function bindingId(b: Binding): string {
  const args = b.args.map(([k, v]) => `${k}=${v}`).join('\u0001');
  return `${b.kind}\u0000${b.target}\u0000${b.key}\u0000${args}`;
}

export class Exchange {
  readonly bindings = new Map<string, BoundRecord>();
  private readonly byKey = new Map<string, Set<BoundRecord>>();
  private readonly trie = new TopicTrie<BoundRecord>();
  readonly stats: ExchangeStats = { published: 0, routed: 0, unroutable: 0 };

  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    /** Where messages this exchange routes nowhere go ('' for none). */
    readonly alternate: string,
    readonly createdAt: number,
  ) {}

  /** Add a binding; false when the same one exists. */
  bind(b: Binding, targetCreatedAt: number): BoundRecord | undefined {
    const id = bindingId(b);
    if (this.bindings.has(id)) return undefined;
    const rec: BoundRecord = { binding: b, id, matched: 0, targetCreatedAt };
    this.bindings.set(id, rec);
    if (this.type === 'direct') {
      let s = this.byKey.get(b.key);
      if (!s) this.byKey.set(b.key, (s = new Set()));
      s.add(rec);
    } else if (this.type === 'topic') this.trie.add(b.key, rec);
    return rec;
  }

  /** Remove a binding; the removed record, or undefined when there was none. */
  unbind(b: Binding): BoundRecord | undefined {
    const id = bindingId(b);
    const rec = this.bindings.get(id);
    if (!rec) return undefined;
    this.bindings.delete(id);
    if (this.type === 'direct') {
      const s = this.byKey.get(b.key)!;
      s.delete(rec);
      if (!s.size) this.byKey.delete(b.key);
    } else if (this.type === 'topic') this.trie.remove(b.key, rec);
    return rec;
  }

  /** The record of this binding, if present. */
  get(b: Binding): BoundRecord | undefined {
    return this.bindings.get(bindingId(b));
  }

  /** The bindings a message with `key` and `headers` matches. */
  match(key: string, headers: ReadonlyArray<readonly [string, string]>): Iterable<BoundRecord> {
    switch (this.type) {
      case 'direct':
        return this.byKey.get(key) ?? [];
      case 'fanout':
        return this.bindings.values();
      case 'topic': {
        const out = new Set<BoundRecord>();
        this.trie.match(key, out);
        return out;
      }
      case 'headers': {
        const out: BoundRecord[] = [];
        for (const r of this.bindings.values()) if (headersMatch(r.binding.args, headers)) out.push(r);
        return out;
      }
    }
  }
}
