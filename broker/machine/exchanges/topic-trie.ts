// Topic matching (RabbitMQ's rules) by a trie of binding-pattern words, so
// the cost of routing a key depends on the key's words and the patterns that
// share its prefixes, not on how many bindings the exchange holds.
//
// A key and a pattern are words separated by '.'; the empty string is zero
// words. In a pattern, '*' matches exactly one word and '#' zero or more.

/** The words of a routing key or pattern ('' has none). */
export function topicWords(s: string): string[] {
  return s === '' ? [] : s.split('.');
}

interface Node<V> {
  readonly children: Map<string, Node<V>>;
  readonly values: Set<V>;
  readonly id: number;
}

export class TopicTrie<V> {
  private nextId = 0;
  private readonly root: Node<V> = this.node();
  private count = 0;

  get size(): number {
    return this.count;
  }

  private node(): Node<V> {
    return { children: new Map(), values: new Set(), id: this.nextId++ };
  }

  add(pattern: string, v: V): void {
    let n = this.root;
    for (const w of topicWords(pattern)) {
      let c = n.children.get(w);
      if (!c) n.children.set(w, (c = this.node()));
      n = c;
    }
    if (!n.values.has(v)) this.count++;
    n.values.add(v);
  }

  remove(pattern: string, v: V): void {
    const path: Array<[Node<V>, string]> = [];
    let n: Node<V> | undefined = this.root;
    for (const w of topicWords(pattern)) {
      const c: Node<V> | undefined = n.children.get(w);
      if (!c) return;
      path.push([n, w]);
      n = c;
    }
    if (n.values.delete(v)) this.count--;
    // Prune the nodes left with nothing, bottom up.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, w] = path[i]!;
      const child = parent.children.get(w)!;
      if (child.values.size || child.children.size) break;
      parent.children.delete(w);
    }
  }

  /** Every value whose pattern matches `key`, each once, into `out`. */
  match(key: string, out: Set<V>): void {
    const words = topicWords(key);
    // (node, position) pairs already explored: with several '#' the same pair is reachable many ways.
    const seen = new Set<number>();
    const stride = words.length + 1;
    const walk = (n: Node<V>, i: number): void => {
      const k = n.id * stride + i;
      if (seen.has(k)) return;
      seen.add(k);
      const hash = n.children.get('#');
      // '#' takes words i..j-1 for every j (zero or more words).
      if (hash) for (let j = i; j <= words.length; j++) walk(hash, j);
      if (i === words.length) {
        for (const v of n.values) out.add(v);
        return;
      }
      const exact = n.children.get(words[i]!);
      if (exact) walk(exact, i + 1);
      const star = n.children.get('*');
      if (star && star !== exact) walk(star, i + 1);
    };
    walk(this.root, 0);
  }
}

/** The plain definition, for tests: does `pattern` match `key`? */
export function topicMatches(pattern: string, key: string): boolean {
  const p = topicWords(pattern);
  const k = topicWords(key);
  const m = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') {
      for (let t = j; t <= k.length; t++) if (m(i + 1, t)) return true;
      return false;
    }
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && m(i + 1, j + 1);
  };
  return m(0, 0);
}
