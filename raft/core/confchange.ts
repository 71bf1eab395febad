// Membership-change entries. An entry carries both the step (for humans and
// metrics) and the whole membership that results from it, computed by the
// leader that proposed it. Applying one therefore sets the membership outright:
// replaying the log from any point — a restart, a new member starting from an
// empty log — yields exactly the membership of that point, with no dependence
// on what came before.

import { InvalidConfChangeError } from './errors.js';
import type { ConfChange, ConfState, NodeId } from './types.js';
import { ConfChangeType } from './types.js';

export interface ConfChangeEntry {
  readonly change: ConfChange;
  readonly conf: ConfState;
}

const VERSION = 1;

export function encodeConfChange(cc: ConfChangeEntry): Uint8Array {
  const { voters, learners } = cc.conf;
  const words = 4 + voters.length + learners.length;
  const buf = new Uint8Array(1 + words * 4);
  const dv = new DataView(buf.buffer);
  buf[0] = VERSION;
  let o = 1;
  for (const w of [cc.change.type, cc.change.node, voters.length, learners.length, ...voters, ...learners]) {
    dv.setUint32(o, w);
    o += 4;
  }
  return buf;
}

export function decodeConfChange(data: Uint8Array): ConfChangeEntry {
  if (data.byteLength < 17 || data[0] !== VERSION || (data.byteLength - 1) % 4 !== 0) {
    throw new InvalidConfChangeError(`malformed membership-change entry (${data.byteLength} bytes)`);
  }
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w = (i: number): number => dv.getUint32(1 + i * 4);
  const type = w(0) as ConfChangeType;
  const node = w(1);
  const nv = w(2);
  const nl = w(3);
  if (4 + nv + nl !== (data.byteLength - 1) / 4) throw new InvalidConfChangeError('membership-change entry has a bad length');
  const voters: NodeId[] = [];
  const learners: NodeId[] = [];
  for (let i = 0; i < nv; i++) voters.push(w(4 + i));
  for (let i = 0; i < nl; i++) learners.push(w(4 + nv + i));
  return { change: { type, node }, conf: { voters, learners } };
}

/** The membership after one step, or an error saying why the step is not allowed. */
export function nextConf(conf: ConfState, cc: ConfChange): ConfState {
  const { node } = cc;
  if (!Number.isSafeInteger(node) || node <= 0) throw new InvalidConfChangeError(`invalid node id ${node}`);
  const isVoter = conf.voters.includes(node);
  const isLearner = conf.learners.includes(node);
  const sorted = (ids: NodeId[]): NodeId[] => ids.sort((a, b) => a - b);
  switch (cc.type) {
    case ConfChangeType.AddVoter:
      if (isVoter) throw new InvalidConfChangeError(`node ${node} is already a voter`);
      return { voters: sorted([...conf.voters, node]), learners: conf.learners.filter((x) => x !== node) };
    case ConfChangeType.AddLearner:
      if (isVoter) throw new InvalidConfChangeError(`node ${node} is a voter; demoting a voter to learner is not supported`);
      if (isLearner) throw new InvalidConfChangeError(`node ${node} is already a learner`);
      return { voters: conf.voters, learners: sorted([...conf.learners, node]) };
    case ConfChangeType.RemoveNode:
      if (!isVoter && !isLearner) throw new InvalidConfChangeError(`node ${node} is not a member`);
      if (isVoter && conf.voters.length === 1) throw new InvalidConfChangeError(`node ${node} is the last voter`);
      return { voters: conf.voters.filter((x) => x !== node), learners: conf.learners.filter((x) => x !== node) };
    default:
      throw new InvalidConfChangeError(`unknown membership change type ${String(cc.type)}`);
  }
}
