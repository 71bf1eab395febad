// quorumq user add|remove|list|grant|revoke|rotate-token|whoami
//
// grant and revoke change some of a user's permissions: they read the user's
// current ones and set the result (SetPermissions replaces the whole set), so
// two administrators changing the same user at the same moment may see the
// later change win over the earlier one.

import type { ListUsersResponse__Output } from '../../proto/generated/quorumq/v1/ListUsersResponse.js';
import type { Permissions__Output } from '../../proto/generated/quorumq/v1/Permissions.js';
import type { WhoAmIResponse__Output } from '../../proto/generated/quorumq/v1/WhoAmIResponse.js';
import type { BrokerPool } from './client.js';
import type { Out } from './cluster-commands.js';
import { strip } from './flags.js';
import { table } from './output.js';
import { UsageError } from './usage.js';

type Perms = { configure: string; write: string; read: string; admin: boolean };
const PATTERNS = ['configure', 'write', 'read'] as const;

const show = (p: string): string => (p === '' ? '-' : p);

/** The permissions given as flags on top of `base`. */
function granted(base: Perms, flags: Record<string, string | boolean | undefined>): Perms {
  const p = { ...base };
  for (const k of PATTERNS) if (typeof flags[k] === 'string') p[k] = flags[k] as string;
  if (flags.admin) p.admin = true;
  return p;
}

function needName(v: string | undefined, sub: string): string {
  if (!v) throw new UsageError(`user ${sub} needs a user name`);
  return v;
}

async function current(pool: BrokerPool, name: string): Promise<Perms> {
  const r = await pool.call<ListUsersResponse__Output>('ListUsers', {});
  const u = r.users.find((x) => x.name === name);
  if (!u) throw new UsageError(`no user "${name}" (quorumq user list)`);
  const p = u.permissions as Permissions__Output;
  return { configure: p.configure, write: p.write, read: p.read, admin: p.admin };
}

function describe(p: Perms): string {
  return `configure ${show(p.configure)}  write ${show(p.write)}  read ${show(p.read)}  admin ${p.admin ? 'yes' : 'no'}`;
}

export async function userCommand(pool: BrokerPool, args: string[], flags: Record<string, string | boolean | undefined>, out: Out): Promise<void> {
  const [sub, name, ...rest] = args;
  switch (sub) {
    case 'add': {
      const n = needName(name, 'add');
      const permissions = granted({ configure: '', write: '', read: '', admin: false }, flags);
      const r = await pool.call<{ token: string }>('AddUser', { name: n, permissions });
      if (out.json) return out.print(JSON.stringify({ name: n, token: r.token, permissions }));
      out.print(`user ${n} added: ${describe(permissions)}`);
      out.print(`token (shown once; nodes keep only its hash): ${r.token}`);
      return;
    }
    case 'remove': {
      const n = needName(name, 'remove');
      await pool.call('RemoveUser', { name: n });
      if (out.json) return out.print(JSON.stringify({ name: n, removed: true }));
      out.print(`user ${n} removed; its token and certificate no longer work`);
      return;
    }
    case 'list': {
      const r = await pool.call<ListUsersResponse__Output>('ListUsers', {});
      if (out.json) return out.print(JSON.stringify(strip(r).users));
      const rows = r.users.map((u) => {
        const p = u.permissions as Permissions__Output;
        return [u.name, show(p.configure), show(p.write), show(p.read), p.admin ? 'yes' : 'no'];
      });
      out.print(table(['USER', 'CONFIGURE', 'WRITE', 'READ', 'ADMIN'], rows));
      return;
    }
    case 'grant':
    case 'revoke': {
      const n = needName(name, sub);
      const before = await current(pool, n);
      let after: Perms;
      if (sub === 'grant') {
        if (!PATTERNS.some((k) => typeof flags[k] === 'string') && !flags.admin) throw new UsageError('user grant NAME needs --configure P, --write P, --read P and/or --admin');
        after = granted(before, flags);
      } else {
        if (rest.length === 0) throw new UsageError('user revoke NAME needs what to take away: configure, write, read and/or admin');
        after = { ...before };
        for (const what of rest) {
          if (what === 'admin') after.admin = false;
          else if ((PATTERNS as readonly string[]).includes(what)) after[what as (typeof PATTERNS)[number]] = '';
          else throw new UsageError(`user revoke: "${what}" is not configure, write, read or admin`);
        }
      }
      await pool.call('SetPermissions', { name: n, permissions: after });
      if (out.json) return out.print(JSON.stringify({ name: n, permissions: after }));
      out.print(`user ${n}: ${describe(after)}`);
      return;
    }
    case 'rotate-token': {
      const n = needName(name, 'rotate-token');
      const r = await pool.call<{ token: string }>('RotateToken', { name: n });
      if (out.json) return out.print(JSON.stringify({ name: n, token: r.token }));
      out.print(`new token for ${n} (the old one no longer works): ${r.token}`);
      return;
    }
    case 'whoami': {
      const r = await pool.call<WhoAmIResponse__Output>('WhoAmI', {});
      if (out.json) return out.print(JSON.stringify(strip(r)));
      if (!r.auth) return out.print(`authentication is off on ${r._server}: every call is allowed`);
      out.print(`user ${r.user} (by ${r.method}): ${describe(r.permissions as Perms)}`);
      return;
    }
    default:
      throw new UsageError(`unknown user command "${sub ?? ''}": use add, remove, list, grant, revoke, rotate-token or whoami`);
  }
}
