// Original file: proto/quorumq.proto

export const BindingTarget = {
  TARGET_QUEUE: 'TARGET_QUEUE',
  TARGET_STREAM: 'TARGET_STREAM',
  TARGET_EXCHANGE: 'TARGET_EXCHANGE',
} as const;

export type BindingTarget =
  | 'TARGET_QUEUE'
  | 0
  | 'TARGET_STREAM'
  | 1
  | 'TARGET_EXCHANGE'
  | 2

export type BindingTarget__Output = typeof BindingTarget[keyof typeof BindingTarget]
