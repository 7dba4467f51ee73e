#!/usr/bin/env bash
# Optional: reserves 2 MiB hugepages for sluice-dp (it runs without them,
# with --no-huge, more slowly). Usage: scripts/hugepages.sh [PAGES] (default 512)
set -euo pipefail
pages=${1:-512}
echo "$pages" > /proc/sys/vm/nr_hugepages
got=$(cat /proc/sys/vm/nr_hugepages)
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages
echo "hugepages: $got of $pages 2 MiB pages reserved, hugetlbfs on /dev/hugepages"
[ "$got" -ge "$pages" ] || { echo "hugepages: only $got could be reserved (memory fragmented?)" >&2; exit 1; }
