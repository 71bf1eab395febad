// What the client knows of the cluster: the seed addresses it was given, the
// members (id -> client address) and the leader, learnt from ClusterStatus
// answers and from the `leader` field of write responses. Pure bookkeeping,
// no I/O: the Connection feeds it and asks it where to send a call.

export interface StatusView {
  readonly leader: number;
  readonly term: number;
  readonly members: ReadonlyArray<{ readonly id: number; readonly clientAddress: string }>;
}

/** A new leader: its node id and client address (when known). */
export type LeaderChange = { readonly id: number; readonly address: string | undefined };

/** What a Connection knows of the members and the leader (pure: no I/O). */
export class Members {
  private readonly seeds: string[];
  private readonly byId = new Map<number, string>();
  private leaderId = 0;
  private term = 0;
  private rr = 0;
  /** Addresses that failed recently, tried last until they answer again. */
  private readonly failing = new Set<string>();

  /** `learn` false: only the seeds are ever used (a client told to talk to these servers). */
  constructor(
    seeds: readonly string[],
    private readonly learn = true,
  ) {
    if (seeds.length === 0) throw new RangeError('at least one server address is needed');
    this.seeds = [...new Set(seeds)];
  }

  /** The leader's id (0 when unknown). */
  get leader(): number {
    return this.leaderId;
  }

  /** The leader's client address, when both are known. */
  leaderAddress(): string | undefined {
    return this.leaderId ? this.byId.get(this.leaderId) : undefined;
  }

  /** Every address worth trying: members first (healthy before failing), then seeds not among them. */
  addresses(): string[] {
    const all = [...new Set([...this.byId.values(), ...this.seeds])];
    return [...all.filter((a) => !this.failing.has(a)), ...all.filter((a) => this.failing.has(a))];
  }

  /** Where to send a write: the leader when known and not failing, else the next address in turn (its node forwards). */
  forWrite(): string {
    const l = this.leaderAddress();
    return l && !this.failing.has(l) ? l : this.forRead();
  }

  /** Where to send a read or attach a consumer: the healthy addresses in turn, spreading the load. */
  forRead(): string {
    const a = this.addresses();
    const healthy = a.filter((x) => !this.failing.has(x));
    const pool = healthy.length > 0 ? healthy : a;
    return pool[this.rr++ % pool.length]!;
  }

  /** A ClusterStatus answer. Returns the new leader when it changed. */
  observeStatus(s: StatusView): LeaderChange | undefined {
    // An answer from a node that lags (an older term) must not undo a newer view.
    if (s.term < this.term) return undefined;
    this.term = s.term;
    if (!this.learn) return this.setLeader(s.leader);
    for (const m of s.members) if (m.clientAddress) this.byId.set(m.id, m.clientAddress);
    const ids = new Set(s.members.map((m) => m.id));
    for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
    return this.setLeader(s.leader);
  }

  /** The `leader` a write response names (the node that led when it committed). */
  observeLeader(id: number): LeaderChange | undefined {
    if (!id) return undefined;
    return this.setLeader(id);
  }

  /** Whether the address of this leader id is known (else a ClusterStatus is worth asking). */
  knows(id: number): boolean {
    return this.byId.has(id);
  }

  /** A member's client address, when known. */
  addressOf(id: number): string | undefined {
    return this.byId.get(id);
  }

  /** Whether a call to `address` failed recently (and nothing answered there since). */
  isFailing(address: string): boolean {
    return this.failing.has(address);
  }

  /** A call to `address` could not reach it, or it said it has no leader. */
  failed(address: string): LeaderChange | undefined {
    this.failing.add(address);
    if (this.leaderAddress() === address) return this.setLeader(0);
    return undefined;
  }

  /** A call to `address` was answered. */
  answered(address: string): void {
    this.failing.delete(address);
  }

  private setLeader(id: number): LeaderChange | undefined {
    if (id === this.leaderId) return undefined;
    this.leaderId = id;
    return { id, address: this.leaderAddress() };
  }
}
