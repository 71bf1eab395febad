#!/usr/bin/env bash
# Faults against the running local cluster (make cluster N=3|5); see deploy/README.md.
#   deploy/chaos/chaos.sh kill leader | pause follower | partition ring --hold 10 | heal | nemesis --duration 120 ...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[[ -f "$root/dist/deploy/chaos/chaos.js" ]] || (cd "$root" && npx tsc -p tsconfig.json >/dev/null)
exec "${NODE:-node}" "$root/dist/deploy/chaos/chaos.js" "$@"
