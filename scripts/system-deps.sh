#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only those missing (no upgrades).
# Usage: scripts/system-deps.sh [extra packages...]
set -euo pipefail
need=()
for p in chromium fonts-liberation fonts-dejavu-core "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
((${#need[@]})) || exit 0
SUDO=; [[ $EUID -eq 0 ]] || SUDO=sudo
echo "Installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
