import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../bytes.js';
import type { Permissions, User, UsersCommand } from './machine.js';
import { ALL_PERMISSIONS, UsersMachine, allows } from './machine.js';

const hash = (c: string): string => c.repeat(64);

/** Every command goes through the codec, as it does through the log. */
function apply(m: UsersMachine, c: UsersCommand, index: number): { ok: boolean; code?: string } {
  const r = m.apply({ index, term: 1, part: 0, time: index }, m.decodeCommand(m.encodeCommand(c))).reply;
  return r.ok ? { ok: true } : { ok: false, code: r.code };
}

/** The naive reference: a list of users and a flag. */
class Model {
  users: User[] = [];
  bootstrapped = false;

  apply(c: UsersCommand): { ok: boolean; code?: string } {
    const u = this.users.find((x) => x.name === c.name);
    const hashTaken = (h: string): boolean => this.users.some((x) => x.tokenHash === h);
    if ('permissions' in c && /\(/.test(c.permissions.read) && !/\)/.test(c.permissions.read)) return { ok: false, code: 'invalid-argument' };
    if (c.op === 'bootstrap') {
      if (this.bootstrapped) return { ok: false, code: 'failed-precondition' };
      this.bootstrapped = true;
      if (u || hashTaken(c.tokenHash)) return { ok: false, code: 'already-exists' };
      this.users.push({ name: c.name, tokenHash: c.tokenHash, permissions: ALL_PERMISSIONS });
      return { ok: true };
    }
    if (c.op === 'add') {
      if (u || hashTaken(c.tokenHash)) return { ok: false, code: 'already-exists' };
      this.users.push({ name: c.name, tokenHash: c.tokenHash, permissions: c.permissions });
      return { ok: true };
    }
    if (!u) return { ok: false, code: 'not-found' };
    if (c.op === 'remove') this.users = this.users.filter((x) => x !== u);
    else if (c.op === 'set-permissions') this.users = this.users.map((x) => (x === u ? { ...u, permissions: c.permissions } : x));
    else {
      if (hashTaken(c.tokenHash)) return { ok: false, code: 'already-exists' };
      this.users = this.users.map((x) => (x === u ? { ...u, tokenHash: c.tokenHash } : x));
    }
    return { ok: true };
  }

  sorted(): User[] {
    return [...this.users].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

const name = fc.constantFrom('alice', 'bob', 'carol');
const tokenHash = fc.constantFrom('a', 'b', 'c', 'd').map(hash);
const pattern = fc.constantFrom('', '.*', '^orders', 'x$', '(');
const perms: fc.Arbitrary<Permissions> = fc.record({ configure: pattern.filter((p) => p !== '('), write: pattern.filter((p) => p !== '('), read: pattern, admin: fc.boolean() });
const command: fc.Arbitrary<UsersCommand> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), name, tokenHash, permissions: perms }),
  fc.record({ op: fc.constant('remove' as const), name }),
  fc.record({ op: fc.constant('set-permissions' as const), name, permissions: perms }),
  fc.record({ op: fc.constant('set-token' as const), name, tokenHash }),
  fc.record({ op: fc.constant('bootstrap' as const), name, tokenHash }),
);

function roundTrip(m: UsersMachine): UsersMachine {
  const w = new Writer();
  m.writeSnapshot(w);
  const copy = new UsersMachine();
  copy.readSnapshot(new Reader(w.finish()));
  return copy;
}

describe('users machine', () => {
  it('agrees with a naive model on every reply, user and token lookup, and a snapshot restores the same state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (cmds) => {
        const m = new UsersMachine();
        const model = new Model();
        cmds.forEach((c, i) => {
          expect(apply(m, c, i + 1)).toEqual(model.apply(c));
          expect(m.all()).toEqual(model.sorted());
          for (const h of ['a', 'b', 'c', 'd'].map(hash)) expect(m.byTokenHash(h)?.name).toBe(model.users.find((u) => u.tokenHash === h)?.name);
        });
        const copy = roundTrip(m);
        expect(copy.all()).toEqual(m.all());
        expect(copy.wasBootstrapped).toBe(model.bootstrapped);
        // The copy goes on exactly as the original does.
        expect(apply(copy, { op: 'bootstrap', name: 'zed', tokenHash: hash('e') }, 99)).toEqual(apply(m, { op: 'bootstrap', name: 'zed', tokenHash: hash('e') }, 99));
      }),
      { numRuns: 300 },
    );
  });

  it('matches patterns as RabbitMQ does: unanchored, empty grants nothing, admin is its own flag', () => {
    const m = new UsersMachine();
    apply(m, { op: 'add', name: 'app', tokenHash: hash('a'), permissions: { configure: '', write: '^orders', read: '.*', admin: false } }, 1);
    const u = m.get('app')!;
    expect(allows(u, 'write', 'orders-eu')).toBe(true);
    expect(allows(u, 'write', 'eu-orders')).toBe(false);
    expect(allows(u, 'read', 'anything')).toBe(true);
    expect(allows(u, 'configure', 'orders')).toBe(false);
    expect(allows(u, 'admin', '')).toBe(false);
  });

  it('refuses a bad name, hash or pattern with a message naming it, and changes nothing', () => {
    const m = new UsersMachine();
    const r = m.apply({ index: 1, term: 1, part: 0, time: 1 }, { op: 'add', name: 'ok', tokenHash: hash('a'), permissions: { ...ALL_PERMISSIONS, write: '[' } }).reply;
    expect(r).toMatchObject({ ok: false, code: 'invalid-argument', message: expect.stringContaining('write pattern "["') });
    expect(m.apply({ index: 2, term: 1, part: 0, time: 2 }, { op: 'add', name: '-x', tokenHash: hash('a'), permissions: ALL_PERMISSIONS }).reply).toMatchObject({ ok: false, message: expect.stringContaining('user name "-x"') });
    expect(m.apply({ index: 3, term: 1, part: 0, time: 3 }, { op: 'set-token', name: 'ok', tokenHash: 'XYZ' }).reply).toMatchObject({ ok: false, message: expect.stringContaining('token hash') });
    expect(m.all()).toEqual([]);
  });

  it('reads an empty section (a snapshot from before users existed) as no users, not bootstrapped', () => {
    const fresh = new UsersMachine();
    const w = new Writer();
    fresh.writeSnapshot(w);
    const m = new UsersMachine();
    apply(m, { op: 'bootstrap', name: 'admin', tokenHash: hash('a') }, 1);
    m.readSnapshot(new Reader(w.finish()));
    expect(m.all()).toEqual([]);
    expect(m.wasBootstrapped).toBe(false);
  });
});
