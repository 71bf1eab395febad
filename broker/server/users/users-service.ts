// The Broker service's user calls: add, remove, list users, set their
// permissions, rotate their tokens (through the leader, into the users
// machine), and WhoAmI. Tokens are made here and leave the node once, in the
// answer; only their hash is proposed. Who may call what is the auth
// interceptor's business (broker/server/auth/), not these handlers'.

import * as grpc from '@grpc/grpc-js';
import type { BrokerHandlers } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { Permissions as WirePermissions } from '../../../proto/generated/quorumq/v1/Permissions.js';
import { commandFor } from '../../machine/envelope.js';
import type { Permissions, UsersCommand } from '../../machine/users/machine.js';
import { NO_PERMISSIONS, UsersMachine, validatePermissions, validateUserName } from '../../machine/users/machine.js';
import { META_AUTH_METHOD, META_USER } from '../auth/interceptor.js';
import { hashToken, newToken } from '../auth/tokens.js';
import type { NodeContext } from '../node/context.js';
import { consistency } from '../rpc/fields.js';
import { StatusError, resultError, withDeadline } from '../rpc/status.js';
import { readBarrier, unary } from '../rpc/unary.js';

type UserMethods = 'AddUser' | 'RemoveUser' | 'ListUsers' | 'SetPermissions' | 'RotateToken' | 'WhoAmI';

function permissionsOf(p: WirePermissions | null | undefined): Permissions {
  const perms = { configure: p?.configure ?? '', write: p?.write ?? '', read: p?.read ?? '', admin: p?.admin === true };
  const bad = validatePermissions(perms);
  if (bad) throw new StatusError(grpc.status.INVALID_ARGUMENT, `permissions: ${bad}`);
  return perms;
}

function userName(name: string | undefined): string {
  const bad = validateUserName(name ?? '');
  if (bad) throw new StatusError(grpc.status.INVALID_ARGUMENT, `name: ${bad}`);
  return name!;
}

export function usersService(ctx: NodeContext): Pick<BrokerHandlers, UserMethods> {
  const users = ctx.machines.get(UsersMachine);
  const submit = async (c: UsersCommand, deadline: number): Promise<void> => {
    const out = await withDeadline(ctx.writes.submit(commandFor(users, c), deadline), deadline, 'the user change was applied');
    if (!out.reply.ok) throw resultError(out.reply);
  };
  return {
    AddUser: unary(ctx, 'AddUser', async (req, deadline) => {
      const name = userName(req.name);
      const token = newToken();
      await submit({ op: 'add', name, tokenHash: hashToken(token), permissions: permissionsOf(req.permissions) }, deadline);
      return { token };
    }),

    RemoveUser: unary(ctx, 'RemoveUser', async (req, deadline) => {
      await submit({ op: 'remove', name: userName(req.name) }, deadline);
      return {};
    }),

    ListUsers: unary(ctx, 'ListUsers', async (req, deadline) => {
      if (consistency(req.consistency) !== 'LOCAL') await readBarrier(ctx, deadline);
      return { users: users.all().map((u) => ({ name: u.name, permissions: u.permissions })) };
    }),

    SetPermissions: unary(ctx, 'SetPermissions', async (req, deadline) => {
      const name = userName(req.name);
      const permissions = permissionsOf(req.permissions);
      await submit({ op: 'set-permissions', name, permissions }, deadline);
      return { user: { name, permissions } };
    }),

    RotateToken: unary(ctx, 'RotateToken', async (req, deadline) => {
      const token = newToken();
      await submit({ op: 'set-token', name: userName(req.name), tokenHash: hashToken(token) }, deadline);
      return { token };
    }),

    WhoAmI: unary(ctx, 'WhoAmI', async (_req, _deadline, call) => {
      if (!ctx.config.auth.on) return { user: '', auth: false, permissions: NO_PERMISSIONS, method: 'none' };
      // Set by the auth interceptor, which removed anything the client sent under these names.
      const user = String(call.metadata.get(META_USER)[0] ?? '');
      const method = String(call.metadata.get(META_AUTH_METHOD)[0] ?? 'none');
      return { user, auth: true, permissions: users.get(user)?.permissions ?? NO_PERMISSIONS, method };
    }),
  };
}
