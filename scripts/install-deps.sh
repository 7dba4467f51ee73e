#!/usr/bin/env bash
# Installs every Debian package Sluice's build, tests and demo need.
# Idempotent: asks apt only for what is missing. Run as root (or with sudo).
set -euo pipefail

PKGS=(
  # build
  build-essential meson ninja-build pkg-config
  libdpdk-dev dpdk dpdk-dev libyaml-dev liburcu-dev libssl-dev
  # tests and demo: namespaces, real clients, packet tools
  iproute2 iputils-ping arping ethtool procps psmisc
  python3 python3-scapy socat
  tshark           # judges the H.225.0/PER encodings (controlplane/h323)
  sip-tester       # sipp: the SIP endpoints of tests/e2e/test_sip_*.sh
  openssl          # the SIP TLS tests' self-signed certificate
  clang libclang-rt-14-dev   # libFuzzer: the bounded fuzz suite
  # benchmarks (scripts/bench.sh): coturn's turnserver and turnutils_uclient
  # for the TURN comparison, Lua 5.4's luac to check the pktgen scripts
  # (pktgen 23 embeds Lua 5.4), matplotlib for the report's plots
  coturn lua5.4 python3-matplotlib
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
