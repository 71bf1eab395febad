#!/usr/bin/env bash
# make stop: gracefully stop the local cluster started by make run / make cluster.
set -euo pipefail
exec bash "$(dirname "$0")/cluster.sh" stop
