// The failover figures of a queue under load, from what the load's clients
// saw: after the leader is killed at t0, the first publish confirmed by
// another leader, and the first delivery that only the new leader can have
// made. A response or delivery already on its way when the leader died is no
// sign of recovery, so the rules are strict (they can only overstate the gap):
//   - a confirm counts when it arrived after t0 and names a leader other than
//     the one killed;
//   - a delivery counts when it arrived after t0 and carries a message first
//     sent after t0 (so it was stored by the new leader), or is a redelivery
//     (the load's consumers ack everything, so a message only returns to the
//     queue when its consumer's node or call was lost).

export interface Confirm {
  /** When the confirm arrived (ms, one clock for everything). */
  readonly at: number;
  /** The leader the response names. */
  readonly leader: number;
}

export interface Delivered {
  readonly at: number;
  /** When the publish that carried it was sent (stamped in its body). */
  readonly sentAt: number;
  readonly redelivered: boolean;
}

export interface FailoverGap {
  /** ms from t0 to the first confirm by another leader; undefined while there is none. */
  readonly confirmMs: number | undefined;
  /** ms from t0 to the first delivery only the new leader can have made; undefined while there is none. */
  readonly deliveryMs: number | undefined;
}

export function failoverGap(t0: number, killed: number, confirms: readonly Confirm[], deliveries: readonly Delivered[]): FailoverGap {
  let confirmMs: number | undefined;
  for (const c of confirms) if (c.at >= t0 && c.leader !== killed && (confirmMs === undefined || c.at - t0 < confirmMs)) confirmMs = c.at - t0;
  let deliveryMs: number | undefined;
  for (const d of deliveries) if (d.at >= t0 && (d.sentAt >= t0 || d.redelivered) && (deliveryMs === undefined || d.at - t0 < deliveryMs)) deliveryMs = d.at - t0;
  return { confirmMs, deliveryMs };
}
