#!/usr/bin/env bash
# make run: start a local 3-node cluster (or reuse the running one), show its
# status, write through a follower, read it back from another node, and leave
# the cluster running.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
q() { node dist/broker/cli/main.js "$@"; }

bash deploy/local/cluster.sh start 3
servers="$(cat "${QUORUMQ_CLUSTER_DIR:-.data/cluster}/servers")"

# Wait (up to 20 s) for an elected leader that every member knows.
status=""
for _ in $(seq 1 100); do
  status="$(q cluster status --server "$servers" --json 2>/dev/null || true)"
  if [[ -n "$status" ]] && node -e '
    const s = JSON.parse(process.argv[1]);
    process.exit(s.leader && s.members.every((m) => m.reachable && m.applied >= 1) ? 0 : 1);' "$status"; then
    break
  fi
  sleep 0.2
done
echo
q cluster status --server "$servers"

read -r follower other < <(node -e '
  const s = JSON.parse(process.argv[1]);
  const f = s.members.filter((m) => m.id !== s.leader);
  console.log(f[0].clientAddress, (f[1] ?? s.members.find((m) => m.id === s.leader)).clientAddress);' "$status")

value="hello at $(date +%H:%M:%S)"
echo
echo "\$ quorumq put greeting \"$value\" --server $follower    # a follower: forwarded to the leader"
q put greeting "$value" --server "$follower"
echo "\$ quorumq get greeting --server $other"
q get greeting --server "$other"

echo
echo "\$ quorumq stream declare events --max-age 1h --server $follower"
q stream declare events --max-age 1h --server "$follower" || true
echo "\$ quorumq append events \"signed up\" \"logged in\" --header user=ada --server $follower    # through a follower"
q append events "signed up" "logged in" --header user=ada --server "$follower"
echo "\$ quorumq append events --count 2000 --size 256 --server $follower"
q append events --count 2000 --size 256 --server "$follower"
echo "\$ quorumq read events --count 3 --server $other    # read back from another node"
q read events --count 3 --server "$other" | cut -c1-100
echo "\$ quorumq stream info events --server $other"
q stream info events --server "$other"

echo
echo "\$ quorumq queue declare jobs --delivery-limit 3 --server $follower"
q queue declare jobs --delivery-limit 3 --server "$follower" || true
echo "\$ quorumq publish jobs \"resize photo 1\" \"resize photo 2\" --header kind=resize --server $follower"
q publish jobs "resize photo 1" "resize photo 2" --header kind=resize --server "$follower"
echo "\$ quorumq publish jobs \"urgent\" --priority 9 --server $follower"
q publish jobs "urgent" --priority 9 --server "$follower"
echo "\$ quorumq consume jobs --count 3 --server $other    # delivered by another node, highest priority first, acked"
q consume jobs --count 3 --server "$other"
echo "\$ quorumq publish jobs \"poison\" --server $follower; quorumq consume jobs --count 3 --requeue --prefetch 1 --server $other"
q publish jobs "poison" --server "$follower"
q consume jobs --count 3 --requeue --prefetch 1 --server "$other"
echo "\$ quorumq dlq list jobs --server $follower    # over the delivery limit: in the dead-letter store"
q dlq list jobs --server "$follower"
echo "\$ quorumq schedule add jobs report \"send the report\" --cron '0 8 * * MON-FRI' --server $follower    # weekdays 08:00 UTC"
q schedule add jobs report "send the report" --cron '0 8 * * MON-FRI' --server "$follower" || true
echo "\$ quorumq schedule list jobs --server $other"
q schedule list jobs --server "$other"
echo "\$ quorumq queue info jobs --server $other"
q queue info jobs --server "$other"
echo
echo "The cluster is running (logs in ${QUORUMQ_CLUSTER_DIR:-.data/cluster}/node*.log; metrics at http://127.0.0.1:${QUORUMQ_METRICS_PORT:-7201}/metrics)."
echo "Nodes talk to each other over mutual TLS with a throwaway CA in .data/cluster/tls/ (clients stay plaintext)."
echo "Try: node dist/broker/cli/main.js cluster status --server $servers"
echo "Stop it with: make stop"
