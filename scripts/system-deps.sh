#!/usr/bin/env bash
# Install Debian packages, only those missing (no upgrades).
# Usage: scripts/system-deps.sh [extra packages...]   the test suite's (Chromium, fonts) and these
#        scripts/system-deps.sh --build               what pip needs to build PyICU (make venv)
set -euo pipefail
defaults=(chromium fonts-liberation fonts-dejavu-core)
if [[ "${1:-}" == "--build" ]]; then
  shift
  defaults=(libicu-dev pkg-config g++ python3-dev)
fi
need=()
for p in "${defaults[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
((${#need[@]})) || exit 0
SUDO=; [[ $EUID -eq 0 ]] || SUDO=sudo
echo "Installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
