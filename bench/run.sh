#!/usr/bin/env bash
# Benchmark: the Switchyard gateway vs nginx proxy_pass, in front of the same canned loopback upstream.
# Installs nginx and wrk if missing, builds the gateway and the harness into an isolated artifacts folder
# (nothing is written under src/ or tests/), then runs the driver. Extra arguments go to the driver and
# override the defaults below, e.g.:
#   bench/run.sh --duration 5 --rounds 1
#   bench/run.sh --ledger-dir /dev/shm --json /tmp/tmpfs.json
#   bench/run.sh --gateway-env DOTNET_TieredPGO=0
# Environment: SWITCHYARD_BENCH_ARTIFACTS (default /tmp/sy-bench-artifacts).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
artifacts="${SWITCHYARD_BENCH_ARTIFACTS:-/tmp/sy-bench-artifacts}"

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$repo"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit with uncommitted changes under src/"
echo "Building the gateway and the harness (Release) into $artifacts" >&2
dotnet build src/Switchyard.Cli -c Release --artifacts-path "$artifacts" -nologo -v quiet
dotnet build bench/Switchyard.Bench -c Release --artifacts-path "$artifacts" -nologo -v quiet

# The driver bounds itself; timeout is a second fence (SIGINT first, so the driver still stops its children).
exec timeout --signal=INT --kill-after=30 3600 \
  dotnet "$artifacts/bin/Switchyard.Bench/release/switchyard-bench.dll" \
    --gateway-dll "$artifacts/bin/Switchyard.Cli/release/switchyard.dll" \
    --requests 2000 --warmup 500 --warmup-duration 3 --duration 10 --connections 32 --rounds 3 \
    --json "$artifacts/bench-results.json" --note "gateway built from commit $commit" \
    "$@"
