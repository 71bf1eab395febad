#!/usr/bin/env bash
# What the clock-jump nemesis needs: libfaketime (Debian's libfaketime: the
# LD_PRELOAD library that fakes the wall clock). Idempotent and quiet:
# installs only what is missing, as root.
set -euo pipefail
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
have() { [ -e "$lib" ] || ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1; }
if ! have; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "clock-deps: libfaketime is missing; run as root to install it" >&2
    exit 1
  fi
  echo "clock-deps: installing libfaketime"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends libfaketime >/dev/null
  have || { echo "clock-deps: install finished but libfaketime.so.1 is still missing" >&2; exit 1; }
fi
