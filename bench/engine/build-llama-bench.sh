#!/usr/bin/env bash
# Builds llama.cpp's llama-bench (CPU backend only) from the llama.cpp source that the npm package node-llama-cpp
# ships as a git bundle (tests/js/node_modules/node-llama-cpp/llama/gitRelease.bundle), so no network access to
# GitHub is needed. Everything goes under bench/engine/.build/ (gitignored):
#   .build/llama.cpp/                 clone of the bundle (detached at the bundle's HEAD)
#   .build/llama.cpp/build-cpu/bin/llama-bench
# Idempotent: does nothing if the binary exists and was built from the bundle's commit (delete .build/llama.cpp, or
# pass --force, to rebuild). Prints the binary's path on stdout as its last line.
# Environment: JOBS (default 2), LLAMA_BENCH_CMAKE_ARGS (extra cmake arguments, e.g. "-DGGML_NATIVE=OFF").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_root="$here/.build"
src="$build_root/llama.cpp"
out="$src/build-cpu"
bin="$out/bin/llama-bench"
stamp="$out/.switchyard-built-from"
jobs="${JOBS:-2}"
force=0
[ "${1:-}" = "--force" ] && force=1

log() { echo "[build-llama-bench] $*" >&2; }

# 1. The source: node-llama-cpp's bundle (npm ci in tests/js installs it; its postinstall build is skipped there).
llama_dir="$repo/tests/js/node_modules/node-llama-cpp/llama"
bundle="$llama_dir/gitRelease.bundle"
if [ ! -f "$bundle" ]; then
  log "node-llama-cpp is not installed; running npm ci in tests/js"
  (cd "$repo/tests/js" && npm ci --no-audit --no-fund)
fi
[ -f "$bundle" ] || { log "no $bundle after npm ci"; exit 1; }
commit="$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')"
[ -n "$commit" ] || commit="$(git bundle list-heads "$bundle" | awk 'NR == 1 { print $1 }')"
tag="$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$llama_dir/llama.cpp.info.json" 2>/dev/null || true)"

if [ "$force" -eq 0 ] && [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$commit" ]; then
  log "up to date: llama.cpp ${tag:-?} ($commit)"
  echo "$bin"
  exit 0
fi

# 2. Tools: cmake and a C/C++ compiler (apt-get if missing); ninja is used when present.
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
{ command -v c++ >/dev/null 2>&1 && command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } || missing+=(build-essential)
command -v git >/dev/null 2>&1 || missing+=(git)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

# 3. Clone the bundle (or move an existing clone to the bundle's commit).
mkdir -p "$build_root"
if [ ! -d "$src/.git" ]; then
  log "cloning $bundle into $src"
  git -c advice.detachedHead=false clone -q "$bundle" "$src"
fi
if [ "$(git -C "$src" rev-parse HEAD)" != "$commit" ]; then
  git -C "$src" fetch -q "$bundle" HEAD
  git -C "$src" -c advice.detachedHead=false checkout -q --detach "$commit"
  rm -rf "$out"
fi

# 4. Configure: CPU backend only, tuned for this machine (-march=native), static libraries so the binary needs no
# LD_LIBRARY_PATH, no OpenSSL (this llama.cpp has no LLAMA_CURL option any more; downloads go through LLAMA_OPENSSL),
# no tests/examples/server/app. OpenMP threading is ggml's default (GGML_OPENMP=ON), as in a normal build.
log "configuring llama.cpp ${tag:-?} ($commit) in $out"
start=$(date +%s)
# shellcheck disable=SC2086
cmake -S "$src" -B "$out" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DGGML_NATIVE=ON \
  -DGGML_CPU=ON \
  -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=OFF \
  -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_BUILD_TOOLS=ON \
  ${LLAMA_BENCH_CMAKE_ARGS:-} >"$build_root/llama-cmake-configure.log" 2>&1 \
  || { tail -40 "$build_root/llama-cmake-configure.log" >&2; exit 1; }

# 5. Build only the llama-bench target.
log "building llama-bench with -j$jobs (several minutes on 2 cores; log: $build_root/llama-cmake-build.log)"
cmake --build "$out" --config Release --target llama-bench -j "$jobs" >"$build_root/llama-cmake-build.log" 2>&1 \
  || { tail -40 "$build_root/llama-cmake-build.log" >&2; exit 1; }
[ -x "$bin" ] || { log "build finished but $bin is missing"; exit 1; }
echo "$commit" > "$stamp"
log "built in $(( $(date +%s) - start )) s: $bin"
echo "$bin"
