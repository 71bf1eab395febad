// The Raft groups this node hosts, by group id: group 0 from the start, data
// groups as their placements are applied (see node.ts reconcileGroups).

import * as grpc from '@grpc/grpc-js';
import type { GroupRegistry, NodeContext } from './context.js';
import { StatusError } from '../rpc/status.js';

export class Groups implements GroupRegistry {
  private readonly byId = new Map<number, NodeContext>();
  private readonly waiters = new Map<number, Array<(ctx: NodeContext) => void>>();

  private readonly listeners: Array<(ctx: NodeContext) => void> = [];

  add(ctx: NodeContext): void {
    this.byId.set(ctx.group, ctx);
    for (const fn of this.listeners) fn(ctx);
    const w = this.waiters.get(ctx.group);
    this.waiters.delete(ctx.group);
    for (const fn of w ?? []) fn(ctx);
  }

  whenAdded(fn: (ctx: NodeContext) => void): void {
    this.listeners.push(fn);
    for (const ctx of this.all()) fn(ctx);
  }

  has(group: number): boolean {
    return this.byId.has(group);
  }

  get(group: number): NodeContext | undefined {
    return this.byId.get(group);
  }

  all(): NodeContext[] {
    return [...this.byId.values()].sort((a, b) => a.group - b.group);
  }

  hosted(group: number, deadline: number): Promise<NodeContext> {
    const now = this.byId.get(group);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(group);
        if (list) list.splice(list.indexOf(done), 1);
        reject(new StatusError(grpc.status.UNAVAILABLE, `group ${group} is not (yet) hosted on this node; nothing was done there (not applied); retry shortly`, 'not-applied'));
      }, Math.max(0, Math.min(deadline - Date.now(), 2 ** 31 - 1)));
      const done = (ctx: NodeContext): void => {
        clearTimeout(timer);
        resolve(ctx);
      };
      const list = this.waiters.get(group) ?? [];
      list.push(done);
      this.waiters.set(group, list);
    });
  }
}
