// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One data group (a partition of a queue), as its leader (or, with no leader
 * known, the answering node) sees it.
 */
export interface GroupSummary {
  'group'?: (number);
  /**
   * 0 when no member says it leads.
   */
  'leader'?: (number | string | Long);
  'members'?: (number | string | Long)[];
  'preferredLeader'?: (number | string | Long);
  'term'?: (number | string | Long);
  'commit'?: (number | string | Long);
  /**
   * The leader's applied index.
   */
  'applied'?: (number | string | Long);
  /**
   * The queue (or, with kind "stream", the stream) it serves a partition of.
   */
  'queue'?: (string);
  'partition'?: (number);
  /**
   * The group's Raft voters as its leader (or the answering node) applied
   * them: `members` is the placement, these follow it one change at a time.
   */
  'voters'?: (number | string | Long)[];
  /**
   * "queue" or "stream": what `queue` names.
   */
  'kind'?: (string);
}

/**
 * One data group (a partition of a queue), as its leader (or, with no leader
 * known, the answering node) sees it.
 */
export interface GroupSummary__Output {
  'group': (number);
  /**
   * 0 when no member says it leads.
   */
  'leader': (number);
  'members': (number)[];
  'preferredLeader': (number);
  'term': (number);
  'commit': (number);
  /**
   * The leader's applied index.
   */
  'applied': (number);
  /**
   * The queue (or, with kind "stream", the stream) it serves a partition of.
   */
  'queue': (string);
  'partition': (number);
  /**
   * The group's Raft voters as its leader (or the answering node) applied
   * them: `members` is the placement, these follow it one change at a time.
   */
  'voters': (number)[];
  /**
   * "queue" or "stream": what `queue` names.
   */
  'kind': (string);
}
