#!/usr/bin/env bash
# A local quorumq cluster: node i listens on its own loopback address
# 127.0.0.i (client :7001, peer :7101, metrics :7201), so faults can later
# target one node. Data, logs and pid files live under .data/cluster/.
# As root, node i runs under its own system user quorumq-n<i> (created when
# missing), so the chaos scripts (deploy/chaos/) can cut one node's traffic
# with iptables' owner match; QUORUMQ_SAME_UID=1 turns that off. When the
# clone sits where those users cannot enter (a private directory such as
# /root/... or a mktemp -d folder), the nodes run from a copy of the runtime
# and keep their data elsewhere, behind .data/cluster/node<i> symlinks
# (deploy/local/node-home.ts; /var/lib/quorumq-dev, QUORUMQ_NODE_HOME moves it).
# QUORUMQ_CLUSTER_DIR and QUORUMQ_{CLIENT,PEER,METRICS}_PORT move a second
# cluster elsewhere (defaults .data/cluster, 7001, 7101, 7201).
#
#   cluster.sh start [N]      start N nodes (default 3); reuses a running cluster of the same size
#   cluster.sh stop           SIGTERM every node (graceful), SIGKILL after 20 s
#   cluster.sh status         which nodes run
#   cluster.sh kill I         SIGKILL node I (a crash)
#   cluster.sh restart I      start node I again on its existing data
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${QUORUMQ_CLUSTER_DIR:-$root/.data/cluster}"
cport="${QUORUMQ_CLIENT_PORT:-7001}" pport="${QUORUMQ_PEER_PORT:-7101}" mport="${QUORUMQ_METRICS_PORT:-7201}"
node_bin="${NODE:-node}"
node_home="$root/dist/deploy/local/node-home.js"
node_tls="$root/dist/deploy/local/node-tls.js"

addr() { echo "127.0.0.$1"; }
running() { [[ -f "$dir/node$1.pid" ]] && kill -0 "$(cat "$dir/node$1.pid")" 2>/dev/null; }
count() { cat "$dir/size" 2>/dev/null || echo 0; }

members() {
  local n=$1 out=""
  for ((i = 1; i <= n; i++)); do out+="${out:+,}$(node_id "$i")=$(addr "$i"):$pport"; done
  echo "$out"
}

# The Raft id of slot i: i, unless the chaos scripts replaced the node with a fresh member.
node_id() { cat "$dir/node$1.id" 2>/dev/null || echo "$1"; }

# How node i is launched (node-home.ts): its data directory on the first line,
# then the command, one word a line — as root, setpriv to quorumq-n<i>, node and
# the CLI of a runtime that user can load; its data directory owned by that user.
launch() {
  local out
  out="$("$node_bin" "$node_home" launch "$dir" "$1")"
  mapfile -t launch_cmd <<<"$out"
}

start_node() {
  local i=$1 n=$2
  if running "$i"; then return 0; fi
  launch "$i"
  local data="${launch_cmd[0]}"
  : >"$dir/node$i.out"
  local join=()
  [[ -e "$dir/node$i.join" ]] && join=(--join)
  # Mutual TLS on the peer port when the cluster has a CA (deploy/local/node-tls.ts).
  local tls=()
  mapfile -t tls < <("$node_bin" "$node_tls" args "$dir" "$i" "$(node_id "$i")" "$data")
  # setsid: the node outlives this script and the terminal that ran it.
  setsid "${launch_cmd[@]:1}" server \
    --id "$(node_id "$i")" --cluster-id local \
    --members "$(members "$n")" \
    --client "$(addr "$i"):$cport" --peer "$(addr "$i"):$pport" --metrics "$(addr "$i"):$mport" \
    --data-dir "$data" "${join[@]}" "${tls[@]}" \
    >"$dir/node$i.out" 2>>"$dir/node$i.log" </dev/null &
  echo $! >"$dir/node$i.pid"
}

wait_ready() {
  local i=$1
  for _ in $(seq 1 200); do
    if grep -q "ready" "$dir/node$i.out" 2>/dev/null; then return 0; fi
    if ! running "$i"; then
      echo "node $i failed to start:" >&2
      tail -n 5 "$dir/node$i.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "node $i did not become ready within 20 s; see $dir/node$i.log" >&2
  return 1
}

stop_all() {
  local pids=()
  for f in "$dir"/node*.pid; do
    [[ -e "$f" ]] || continue
    local pid
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$dir"/node*.pid
  echo "stopped ${#pids[@]} node(s)"
}

cmd="${1:-}"
case "$cmd" in
  start)
    n="${2:-3}"
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]] || ((n > 250)); then echo "cluster.sh: N must be 1..250" >&2; exit 2; fi
    if [[ "$(count)" != "$n" ]]; then
      # A cluster of another size (or none): start clean.
      stop_all >/dev/null
      "$node_bin" "$node_home" forget-cluster "$dir"
    fi
    mkdir -p "$dir"
    # A throwaway CA for this cluster (QUORUMQ_PEER_TLS=0: plaintext peers, as before).
    if [[ "${QUORUMQ_PEER_TLS:-1}" != 0 ]]; then "$node_bin" "$node_tls" init "$dir"; fi
    echo "$n" >"$dir/size"
    printf '{"n":%d,"clusterId":"local","clientPort":%d,"peerPort":%d,"metricsPort":%d,"args":[]}\n' "$n" "$cport" "$pport" "$mport" >"$dir/cluster.json"
    for ((i = 1; i <= n; i++)); do start_node "$i" "$n"; done
    for ((i = 1; i <= n; i++)); do wait_ready "$i"; cat "$dir/node$i.out"; done
    servers=""
    for ((i = 1; i <= n; i++)); do servers+="${servers:+,}$(addr "$i"):$cport"; done
    echo "$servers" >"$dir/servers"
    ;;
  stop)
    stop_all
    ;;
  status)
    n="$(count)"
    for ((i = 1; i <= n; i++)); do
      if running "$i"; then echo "node $i running (pid $(cat "$dir/node$i.pid")), client $(addr "$i"):$cport"; else echo "node $i stopped"; fi
    done
    ;;
  kill)
    i="${2:?node id}"
    if running "$i"; then kill -KILL "$(cat "$dir/node$i.pid")"; echo "killed node $i"; else echo "node $i is not running"; fi
    ;;
  restart)
    i="${2:?node id}"
    start_node "$i" "$(count)"
    wait_ready "$i"
    cat "$dir/node$i.out"
    ;;
  *)
    echo "usage: cluster.sh start [N] | stop | status | kill I | restart I" >&2
    exit 2
    ;;
esac
