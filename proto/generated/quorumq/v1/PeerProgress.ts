// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PeerProgress {
  'id'?: (number | string | Long);
  'match'?: (number | string | Long);
  'next'?: (number | string | Long);
  'learner'?: (boolean);
  'active'?: (boolean);
}

export interface PeerProgress__Output {
  'id': (number);
  'match': (number);
  'next': (number);
  'learner': (boolean);
  'active': (boolean);
}
