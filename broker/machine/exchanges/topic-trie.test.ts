import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopicTrie, topicMatches } from './topic-trie.js';
import { headersMatch } from './headers-match.js';

const word = fc.constantFrom('a', 'b', 'c', '', 'stock', '*', '#');
const keyWord = fc.constantFrom('a', 'b', 'c', '', 'stock');
const pattern = fc.array(word, { maxLength: 5 }).map((ws) => (ws.length === 0 ? '' : ws.join('.')));
const key = fc.array(keyWord, { maxLength: 6 }).map((ws) => (ws.length === 0 ? '' : ws.join('.')));

describe('topic matching', () => {
  it("follows RabbitMQ's rules on the textbook cases", () => {
    expect(topicMatches('*.orange.*', 'quick.orange.rabbit')).toBe(true);
    expect(topicMatches('*.*.rabbit', 'quick.orange.rabbit')).toBe(true);
    expect(topicMatches('lazy.#', 'lazy')).toBe(true);
    expect(topicMatches('lazy.#', 'lazy.orange.male.rabbit')).toBe(true);
    expect(topicMatches('*.orange.*', 'quick.orange.male.rabbit')).toBe(false);
    expect(topicMatches('#', '')).toBe(true);
    expect(topicMatches('*', '')).toBe(false);
    expect(topicMatches('a.#.b', 'a.b')).toBe(true);
    expect(topicMatches('#.#', 'x.y')).toBe(true);
  });

  it('the trie finds exactly what the plain matcher finds, through adds and removes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), pattern), { maxLength: 30 }), fc.array(key, { minLength: 1, maxLength: 10 }), (ops, keys) => {
        const trie = new TopicTrie<string>();
        const live = new Set<string>();
        for (const [add, p] of ops) {
          if (add) {
            trie.add(p, p);
            live.add(p);
          } else {
            trie.remove(p, p);
            live.delete(p);
          }
        }
        expect(trie.size).toBe(live.size);
        for (const k of keys) {
          const got = new Set<string>();
          trie.match(k, got);
          const want = [...live].filter((p) => topicMatches(p, k)).sort();
          expect([...got].sort()).toEqual(want);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('routing cost does not grow with the number of bindings that do not share the key', () => {
    const trie = new TopicTrie<number>();
    for (let i = 0; i < 20_000; i++) trie.add(`region${i}.orders.*`, i);
    trie.add('region7.#', -1);
    const out = new Set<number>();
    trie.match('region7.orders.created', out);
    expect([...out].sort((a, b) => a - b)).toEqual([-1, 7]);
  });
});

describe('headers matching', () => {
  const h = (o: Record<string, string>): [string, string][] => Object.entries(o);
  it('all, any and the -with-x variants', () => {
    expect(headersMatch(h({ 'x-match': 'all', a: '1', b: '2' }), h({ a: '1', b: '2', c: '3' }))).toBe(true);
    expect(headersMatch(h({ 'x-match': 'all', a: '1', b: '2' }), h({ a: '1' }))).toBe(false);
    expect(headersMatch(h({ a: '1', b: '2' }), h({ a: '1', b: '2' }))).toBe(true);
    expect(headersMatch(h({ 'x-match': 'any', a: '1', b: '2' }), h({ b: '2' }))).toBe(true);
    expect(headersMatch(h({ 'x-match': 'any', a: '1' }), h({ a: '9' }))).toBe(false);
    // x- arguments are not compared by all/any, and are by the -with-x variants.
    expect(headersMatch(h({ 'x-match': 'all', 'x-tenant': 't1', a: '1' }), h({ a: '1' }))).toBe(true);
    expect(headersMatch(h({ 'x-match': 'all-with-x', 'x-tenant': 't1', a: '1' }), h({ a: '1' }))).toBe(false);
    expect(headersMatch(h({ 'x-match': 'all-with-x', 'x-tenant': 't1', a: '1' }), h({ a: '1', 'x-tenant': 't1' }))).toBe(true);
    expect(headersMatch(h({ 'x-match': 'any', 'x-tenant': 't1' }), h({ 'x-tenant': 't1' }))).toBe(false);
    expect(headersMatch(h({ 'x-match': 'any-with-x', 'x-tenant': 't1' }), h({ 'x-tenant': 't1' }))).toBe(true);
  });
});
