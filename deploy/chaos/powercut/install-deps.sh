#!/usr/bin/env bash
# What powercut-fs needs: FUSE (fuse3: the kernel's /dev/fuse, mount helpers)
# and Debian's python3-fusepy (the module is "fusepy", under /usr/bin/python3).
# Idempotent and quiet: installs only what is missing, as root.
set -euo pipefail
have() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import fusepy' 2>/dev/null && command -v fusermount3 >/dev/null; }
if ! have; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "powercut-deps: fuse3 and python3-fusepy are missing; run as root to install them" >&2
    exit 1
  fi
  echo "powercut-deps: installing fuse3 python3-fusepy"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends fuse3 python3-fusepy >/dev/null
  have || { echo "powercut-deps: install finished but fusepy or fusermount3 is still missing" >&2; exit 1; }
fi
if [ ! -e /dev/fuse ]; then
  modprobe fuse 2>/dev/null || true
  [ -e /dev/fuse ] || { echo "powercut-deps: no /dev/fuse on this machine" >&2; exit 1; }
fi
