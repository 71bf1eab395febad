// Users, their hashed tokens and their permissions, replicated: every node
// authenticates and authorises a call against the same records, so a grant,
// a revoke or a token rotation holds on every member from the index it is
// applied at, and after any failover.
//
// Permissions have RabbitMQ's shape: three regular expressions matched
// against the name of the stream, queue, exchange (or kv key) a call touches —
// configure (declare, delete), write (append, publish, put), read (read,
// consume, info) — plus `admin`: cluster administration (membership,
// leadership transfer) and managing users. An empty pattern grants nothing;
// ".*" grants every name. Patterns are not anchored (as in RabbitMQ): write
// "^orders-" for a prefix.
//
// The machine never sees a token: the front door hashes it (see
// broker/server/auth/tokens.ts) and the command carries the hash.

import type { ApplyMeta, Failure, Machine, Outcome } from '../api.js';
import { failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';

export const USERS_MACHINE_ID = 6;

export interface Permissions {
  readonly configure: string;
  readonly write: string;
  readonly read: string;
  readonly admin: boolean;
}

export type Permission = 'configure' | 'write' | 'read' | 'admin';

export const NO_PERMISSIONS: Permissions = { configure: '', write: '', read: '', admin: false };
export const ALL_PERMISSIONS: Permissions = { configure: '.*', write: '.*', read: '.*', admin: true };

export interface User {
  readonly name: string;
  /** sha256 of the user's token, lowercase hex. */
  readonly tokenHash: string;
  readonly permissions: Permissions;
}

export type UsersCommand =
  | { readonly op: 'add'; readonly name: string; readonly tokenHash: string; readonly permissions: Permissions }
  | { readonly op: 'remove'; readonly name: string }
  | { readonly op: 'set-permissions'; readonly name: string; readonly permissions: Permissions }
  | { readonly op: 'set-token'; readonly name: string; readonly tokenHash: string }
  /** The first administrator of a new cluster (from a token file given at start); applied at most once per cluster. */
  | { readonly op: 'bootstrap'; readonly name: string; readonly tokenHash: string };

export type UsersReply = { readonly ok: true } | Failure;

const ADD = 1;
const REMOVE = 2;
const SET_PERMISSIONS = 3;
const SET_TOKEN = 4;
const BOOTSTRAP = 5;

export const MAX_PATTERN_LENGTH = 1024;
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN_HASH = /^[0-9a-f]{64}$/;

export function validateUserName(name: string): string | undefined {
  if (!USER_NAME.test(name)) return `user name "${name}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`;
  return undefined;
}

export function validateTokenHash(h: string): string | undefined {
  return TOKEN_HASH.test(h) ? undefined : 'token hash must be 64 lowercase hex digits (sha256)';
}

/** Why a permission set is not acceptable (a pattern too long or not a regular expression), or undefined. */
export function validatePermissions(p: Permissions): string | undefined {
  for (const k of ['configure', 'write', 'read'] as const) {
    const v = p[k];
    if (v.length > MAX_PATTERN_LENGTH) return `${k} pattern is ${v.length} characters; the limit is ${MAX_PATTERN_LENGTH}`;
    try {
      new RegExp(v);
    } catch (e) {
      return `${k} pattern "${v}" is not a regular expression: ${(e as Error).message}`;
    }
  }
  return undefined;
}

/** A user as held: the record and its patterns compiled once. */
interface Held extends User {
  readonly compiled: Readonly<Record<'configure' | 'write' | 'read', RegExp | undefined>>;
}

function hold(u: User): Held {
  const re = (s: string): RegExp | undefined => (s === '' ? undefined : new RegExp(s));
  return { ...u, compiled: { configure: re(u.permissions.configure), write: re(u.permissions.write), read: re(u.permissions.read) } };
}

/** Whether `user` holds `perm` on the resource `name` (ignored for admin). */
export function allows(user: Pick<Held, 'permissions' | 'compiled'>, perm: Permission, name: string): boolean {
  if (perm === 'admin') return user.permissions.admin;
  const re = user.compiled[perm];
  return re !== undefined && re.test(name);
}

function writePermissions(w: Writer, p: Permissions): Writer {
  return w.str(p.configure).str(p.write).str(p.read).u8(p.admin ? 1 : 0);
}

function readPermissions(r: Reader): Permissions {
  const configure = r.str();
  const write = r.str();
  const read = r.str();
  const admin = r.u8();
  if (admin > 1) throw new DecodeError(`bad admin flag ${admin}`);
  return { configure, write, read, admin: admin === 1 };
}

const OK: Outcome<UsersReply> = { reply: { ok: true } };

export class UsersMachine implements Machine<UsersCommand, UsersReply> {
  readonly id = USERS_MACHINE_ID;
  readonly name = 'users';
  readonly snapshotVersion = 1;
  private readonly users = new Map<string, Held>();
  private readonly byHash = new Map<string, string>();
  /** A bootstrap administrator was created once: later bootstrap commands (every node start) change nothing. */
  private bootstrapped = false;

  encodeCommand(c: UsersCommand): Uint8Array {
    const w = new Writer();
    switch (c.op) {
      case 'add':
        return writePermissions(w.u8(ADD).str(c.name).str(c.tokenHash), c.permissions).finish();
      case 'remove':
        return w.u8(REMOVE).str(c.name).finish();
      case 'set-permissions':
        return writePermissions(w.u8(SET_PERMISSIONS).str(c.name), c.permissions).finish();
      case 'set-token':
        return w.u8(SET_TOKEN).str(c.name).str(c.tokenHash).finish();
      case 'bootstrap':
        return w.u8(BOOTSTRAP).str(c.name).str(c.tokenHash).finish();
    }
  }

  decodeCommand(payload: Uint8Array): UsersCommand {
    const r = new Reader(payload);
    const op = r.u8();
    let c: UsersCommand;
    if (op === ADD) c = { op: 'add', name: r.str(), tokenHash: r.str(), permissions: readPermissions(r) };
    else if (op === REMOVE) c = { op: 'remove', name: r.str() };
    else if (op === SET_PERMISSIONS) c = { op: 'set-permissions', name: r.str(), permissions: readPermissions(r) };
    else if (op === SET_TOKEN) c = { op: 'set-token', name: r.str(), tokenHash: r.str() };
    else if (op === BOOTSTRAP) c = { op: 'bootstrap', name: r.str(), tokenHash: r.str() };
    else throw new DecodeError(`unknown users operation ${op}`);
    r.end();
    return c;
  }

  encodeReply(): Uint8Array {
    return new Uint8Array(0);
  }

  decodeReply(): { ok: true } {
    return { ok: true };
  }

  apply(_meta: ApplyMeta, c: UsersCommand): Outcome<UsersReply> {
    const bad = validateUserName(c.name) ?? ('tokenHash' in c ? validateTokenHash(c.tokenHash) : undefined) ?? ('permissions' in c ? validatePermissions(c.permissions) : undefined);
    if (bad) return { reply: failure('invalid-argument', bad) };
    const existing = this.users.get(c.name);
    switch (c.op) {
      case 'bootstrap':
        if (this.bootstrapped) return { reply: failure('failed-precondition', 'the cluster was bootstrapped already') };
        this.bootstrapped = true;
        if (existing) return { reply: failure('already-exists', `user "${c.name}" exists already; the bootstrap token was not installed`) };
        if (this.byHash.has(c.tokenHash)) return { reply: failure('already-exists', 'another user holds this token') };
        this.put({ name: c.name, tokenHash: c.tokenHash, permissions: ALL_PERMISSIONS });
        return OK;
      case 'add':
        if (existing) return { reply: failure('already-exists', `user "${c.name}" exists already`) };
        if (this.byHash.has(c.tokenHash)) return { reply: failure('already-exists', 'another user holds this token') };
        this.put({ name: c.name, tokenHash: c.tokenHash, permissions: c.permissions });
        return OK;
    }
    if (!existing) return { reply: failure('not-found', `no user "${c.name}"`) };
    switch (c.op) {
      case 'remove':
        this.users.delete(c.name);
        this.byHash.delete(existing.tokenHash);
        return OK;
      case 'set-permissions':
        this.put({ ...existing, permissions: c.permissions });
        return OK;
      case 'set-token':
        if (this.byHash.has(c.tokenHash)) return { reply: failure('already-exists', 'another user holds this token') };
        this.byHash.delete(existing.tokenHash);
        this.put({ ...existing, tokenHash: c.tokenHash });
        return OK;
    }
  }

  private put(u: User): void {
    this.users.set(u.name, hold(u));
    this.byHash.set(u.tokenHash, u.name);
  }

  get(name: string): Held | undefined {
    return this.users.get(name);
  }

  /** The user whose token hashes to `hash`. */
  byTokenHash(hash: string): Held | undefined {
    const name = this.byHash.get(hash);
    return name === undefined ? undefined : this.users.get(name);
  }

  all(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ name, tokenHash, permissions }) => ({ name, tokenHash, permissions }));
  }

  get wasBootstrapped(): boolean {
    return this.bootstrapped;
  }

  writeSnapshot(w: Writer): void {
    const all = this.all();
    w.u8(this.bootstrapped ? 1 : 0).u32(all.length);
    for (const u of all) writePermissions(w.str(u.name).str(u.tokenHash), u.permissions);
  }

  readSnapshot(r: Reader): void {
    this.users.clear();
    this.byHash.clear();
    this.bootstrapped = r.u8() === 1;
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.str();
      const tokenHash = r.str();
      this.put({ name, tokenHash, permissions: readPermissions(r) });
    }
  }
}
