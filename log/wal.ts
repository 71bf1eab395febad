// The contract this module implements. It is defined by its user, the Raft
// driver (raft/host/wal.ts), so imports run one way: log → raft.
export type { Checkpoint, GroupLog, PersistRequest, Wal, WalIdentity } from '../raft/host/wal.js';
