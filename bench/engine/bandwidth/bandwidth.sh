#!/usr/bin/env bash
# Compiles bandwidth.c (once, into bench/engine/.build/) and runs it; arguments go to the program, e.g.
#   bench/engine/bandwidth/bandwidth.sh                     # 2 threads, 1 GiB, 20 reps, text
#   bench/engine/bandwidth/bandwidth.sh --threads 1 --json
#   bench/engine/bandwidth/bandwidth.sh --sweep             # 1 and 2 threads at 64 MiB, 256 MiB, 1 GiB
# Run it on an otherwise idle machine: anything else running shares the memory bus.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/../.build/bandwidth"
if [ ! -x "$bin" ] || [ "$here/bandwidth.c" -nt "$bin" ]; then
  mkdir -p "$(dirname "$bin")"
  "${CC:-cc}" -O3 -march=native -pthread -o "$bin" "$here/bandwidth.c"
fi
if [ "${1:-}" = "--sweep" ]; then
  for mib in 64 256 1024; do
    for threads in 1 2; do "$bin" --mib "$mib" --threads "$threads"; done
  done
  exit 0
fi
exec "$bin" "$@"
