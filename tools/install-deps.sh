#!/usr/bin/env bash
# Installs what Keyport needs to build, test and run on Debian 12 (apt-get, as root or via
# sudo). Does nothing — not even `apt-get update` — when everything is already there.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make git
  libssl-dev openssl
  libpoco-dev
  libp11-kit-dev p11-kit p11-kit-modules
  softhsm2 opensc
  libsqlite3-dev sqlite3
  googletest libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
  curl ca-certificates
  clang-format
  # ./dev package and tests/install: dpkg-shlibdeps (dpkg-dev) and file for CPack's DEB
  # generator; systemd-analyze, systemd-sysusers and systemd-tmpfiles for the unit checks
  dpkg-dev file systemd
  prometheus  # promtool: the metrics test checks GET /metrics with `promtool check metrics`
  tmux  # tests/ceremony: key components typed on a real pseudo-terminal, without echo
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The Huawei SDK conformance suite (tests/huawei_sdk) runs Huawei's npm core: Debian's nodejs
# and npm, unless a node and npm are already on PATH (e.g. a newer Node from elsewhere).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
