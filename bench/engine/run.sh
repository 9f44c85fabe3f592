#!/usr/bin/env bash
# Embedded engine vs llama.cpp on the same GGUF files and the same cores, with the memory-bandwidth bound of decode.
#
#   bench/engine/run.sh                                  # shapes 0.5b,1b x types q8_0,q4_k, 3 reps
#   bench/engine/run.sh --shapes 1b --types q4_k --reps 5
#   bench/engine/run.sh --model models/stories260K.gguf  # any GGUF (synthetic models are skipped unless --shapes)
#   bench/engine/run.sh --no-engine --model FILE         # llama.cpp half only
#
# Options:
#   --shapes LIST   synthetic shapes, comma-separated: 0.5b,1b (default both)
#   --types LIST    synthetic weight types: q8_0,q4_k (default both; the generator also knows q4_0,q6_k,f16)
#   --model FILE    also (or, without --shapes/--types, only) benchmark this GGUF; repeatable
#   --reps N        repetitions per test for both engines (default 3; both report the best repetition)
#   --rounds N      repeat the whole model sequence N times, alternating which side goes first (default 1);
#                   the table takes the best of all rounds. On a shared host, --rounds 3 steadies the figures.
#   --prompt N      prompt tokens for prefill (default 128)     --gen N   decoded tokens (default 64)
#   --cpus LIST     run both engines under taskset -c LIST; threads = number of CPUs (default: all online CPUs)
#   --no-engine / --no-llama   skip one side
#   --out DIR       where the raw JSON and summary go (default bench/engine/.build/results/<timestamp>)
#
# Steps: build llama-bench (build-llama-bench.sh, once); build the EngineBench (Release, into .build/artifacts so
# nothing is written under src/); generate the synthetic models into .build/models (once); then per round: read
# bandwidth (bandwidth/, 1 GiB, same threads), and per model the engine's `run` and `llama-bench -o json`; the table.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$here/.build"

shapes="0.5b,1b" types="q8_0,q4_k" reps=3 rounds=1 prompt=128 gen=64 cpus="" out="" run_engine=1 run_llama=1
synthetic_explicit=0
extra_models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shapes) shapes="$2"; synthetic_explicit=1; shift 2 ;;
    --types) types="$2"; synthetic_explicit=1; shift 2 ;;
    --model) extra_models+=("$(realpath "$2")"); shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --prompt) prompt="$2"; shift 2 ;;
    --gen) gen="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --no-engine) run_engine=0; shift ;;
    --no-llama) run_llama=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
synthetic=1
[ "${#extra_models[@]}" -gt 0 ] && [ "$synthetic_explicit" -eq 0 ] && synthetic=0

log() { echo "[engine-bench] $*" >&2; }
command -v python3 >/dev/null 2>&1 || { log "python3 is required (JSON and the table)"; exit 1; }
[ -n "$cpus" ] || cpus="0-$(( $(nproc --all) - 1 ))"
pin=(taskset -c "$cpus")
threads="$(taskset -c "$cpus" nproc)"
out="${out:-$build/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out" "$build/models"
: > "$out/models.tsv"
: > "$out/warnings.txt"
: > "$out/cpu.tsv"
log "results in $out; cpus $cpus ($threads threads)"
# Both engines spin their worker threads: anything else running on these cores distorts the figures a lot.
load="$(cut -d' ' -f1 /proc/loadavg)"
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 * int(sys.argv[2]) else 1)" "$load" "$(nproc)"; then
  log "WARNING: load average $load on $(nproc) CPUs: if other processes are running (a build, tests), figures will be low and noisy"
fi
# measured LABEL STDOUT STDERR COMMAND...: runs COMMAND and checks, from /proc/stat, how much CPU time the machine
# spent outside it while it ran ("foreign": other processes; includes a little kernel time) and how much the
# hypervisor took (steal). Either over 5 % of the interval's CPU capacity is a warning in the table.
ticks() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat; }   # busy (user nice system irq softirq), steal
child_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }          # CPU of this shell's reaped children
measured() {
  local label="$1" stdout="$2" stderr="$3" rc=0 busy0 steal0 busy1 steal1 child0 child1 t0 t1
  shift 3
  read -r busy0 steal0 <<< "$(ticks)"; child0="$(child_ticks)"; t0="$(date +%s%N)"
  "$@" > "$stdout" 2> "$stderr" || rc=$?
  t1="$(date +%s%N)"; child1="$(child_ticks)"; read -r busy1 steal1 <<< "$(ticks)"
  local capacity=$(( (t1 - t0) * $(getconf CLK_TCK) * $(nproc) / 1000000000 ))
  [ "$capacity" -gt 0 ] || capacity=1
  local foreign=$(( (busy1 - busy0 - (child1 - child0)) * 1000 / capacity )) steal=$(( (steal1 - steal0) * 1000 / capacity ))
  [ "$foreign" -ge 0 ] || foreign=0
  printf '%s\t%d.%d\t%d.%d\n' "$label" $((foreign / 10)) $((foreign % 10)) $((steal / 10)) $((steal % 10)) >> "$out/cpu.tsv"
  if [ "$foreign" -gt 50 ] || [ "$steal" -gt 50 ]; then
    local msg; msg="$label: $((foreign / 10)).$((foreign % 10)) % foreign CPU, $((steal / 10)).$((steal % 10)) % steal while it ran"
    log "WARNING: $msg"; echo "$msg" >> "$out/warnings.txt"
  fi
  return "$rc"
}

# 1. llama-bench.
llama_bench=""
if [ "$run_llama" -eq 1 ]; then
  llama_bench="$("$here/build-llama-bench.sh" | tail -n 1)"
fi

# 2. The bandwidth probe (measured at the start of every round, on the same CPUs and thread count as the engines).
"$here/bandwidth/bandwidth.sh" --mib 16 --reps 1 --json >/dev/null  # compiles it

# 3. EngineBench (Release). Built once per run; a build failure leaves the engine columns empty.
engine_dll="$build/artifacts/bin/Switchyard.EngineBench/release/switchyard-engine-bench.dll"
if [ "$run_engine" -eq 1 ] || [ "$synthetic" -eq 1 ]; then
  log "building bench/Switchyard.EngineBench (Release)"
  if ! dotnet build "$repo/bench/Switchyard.EngineBench" -c Release --artifacts-path "$build/artifacts" -nologo -v quiet \
      > "$out/engine-build.log" 2>&1; then
    grep -E 'error' "$out/engine-build.log" | sort -u | head -20 >&2 || true
    log "WARNING: the EngineBench does not build (log: $out/engine-build.log); engine columns stay empty"
    engine_dll=""
  fi
fi
engine() { dotnet "$engine_dll" "$@"; }

# 4. Models: synthetic (generated once) and any --model files.
models=()  # entries: name|path|shape|type
if [ "$synthetic" -eq 1 ]; then
  IFS=, read -r -a shape_list <<< "$shapes"
  IFS=, read -r -a type_list <<< "$types"
  for shape in "${shape_list[@]}"; do
    for type in "${type_list[@]}"; do
      file="$build/models/synthetic-$shape-$type.gguf"
      if [ ! -s "$file" ]; then
        if [ -z "$engine_dll" ]; then log "skipping $file: no EngineBench to generate it"; continue; fi
        log "generating $file"
        engine generate --shape "$shape" --type "$type" --out "$file.tmp"
        mv "$file.tmp" "$file"
      fi
      models+=("synthetic-$shape-$type|$file|$shape|$(echo "$type" | tr '[:lower:]' '[:upper:]')")
    done
  done
fi
for file in "${extra_models[@]}"; do
  models+=("$(basename "$file" .gguf)|$file|-|-")
done
[ "${#models[@]}" -gt 0 ] || { log "no models to run"; exit 1; }

# 5. Per model: the engine and llama.cpp, on the same CPUs; with --rounds N the whole sequence repeats N times and
# the order of the two sides alternates (engine first in odd rounds), so drift of the machine hits both alike.
for entry in "${models[@]}"; do
  IFS='|' read -r name file shape type <<< "$entry"
  printf '%s\t%s\t%s\t%s\n' "$name" "$file" "$shape" "$type" >> "$out/models.tsv"
  python3 "$here/report.py" gguf-info "$file" > "$out/$name.gguf.json"
done

run_engine_on() {  # name file round
  local name="$1" file="$2" r="$3"
  [ "$run_engine" -eq 1 ] && [ -n "$engine_dll" ] || return 0
  log "$name: engine (prompt $prompt, gen $gen, reps $reps, round $r)"
  if measured "$name engine round $r" "$out/$name.engine.r$r.out" "$out/$name.engine.r$r.err" \
      "${pin[@]}" dotnet "$engine_dll" run --model "$file" --prompt "$prompt" --gen "$gen" --reps "$reps"; then
    grep '^{' "$out/$name.engine.r$r.out" | tail -n 1 > "$out/$name.engine.r$r.json"
    python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))
print("  engine: pp%d: %.1f t/s, tg%d: %.1f t/s (best of %d)" % (e["prompt_tokens"], e["prefill_tokens_per_second"], e["generated_tokens"], e["decode_tokens_per_second"], len(e["decode_all"])))' \
      "$out/$name.engine.r$r.json" >&2
  else
    log "WARNING: engine failed on $name: $(tail -n 3 "$out/$name.engine.r$r.err" | tr '\n' ' ')"
  fi
}

run_llama_on() {  # name file round
  local name="$1" file="$2" r="$3"
  [ "$run_llama" -eq 1 ] || return 0
  log "$name: llama-bench (-p $prompt -n $gen -t $threads -r $reps, round $r)"
  if measured "$name llama.cpp round $r" "$out/$name.llama.r$r.json" "$out/$name.llama.r$r.err" \
      "${pin[@]}" "$llama_bench" -m "$file" -p "$prompt" -n "$gen" -t "$threads" -r "$reps" -o json; then
    python3 -c 'import json, sys
for t in json.load(open(sys.argv[1])):
    print("  llama.cpp: %s: pp%d tg%d: %.1f t/s (avg of %d)" % (t["model_type"], t["n_prompt"], t["n_gen"], t["avg_ts"], len(t["samples_ts"])))' \
      "$out/$name.llama.r$r.json" >&2
  else
    log "WARNING: llama-bench failed on $name: $(tail -n 3 "$out/$name.llama.r$r.err" | tr '\n' ' ')"
  fi
}

for r in $(seq 1 "$rounds"); do
  log "read bandwidth (1 GiB, $threads threads, round $r)"
  measured "bandwidth round $r" "$out/bandwidth.r$r.json" "$out/bandwidth.r$r.err" \
    "${pin[@]}" "$here/bandwidth/bandwidth.sh" --mib 1024 --threads "$threads" --reps 20 --json || true
  log "  $(cat "$out/bandwidth.r$r.json")"
  for entry in "${models[@]}"; do
    IFS='|' read -r name file shape type <<< "$entry"
    cat "$file" > /dev/null  # into the page cache, so neither side pays for the first read from disk
    if [ $((r % 2)) -eq 1 ]; then
      run_engine_on "$name" "$file" "$r"; run_llama_on "$name" "$file" "$r"
    else
      run_llama_on "$name" "$file" "$r"; run_engine_on "$name" "$file" "$r"
    fi
  done
done

# 6. The table (also in $out/table.txt; all figures in $out/summary.json).
{
  echo "engine vs llama.cpp: $(lscpu | sed -n 's/^Model name: *//p'), cpus $cpus ($threads threads), prompt $prompt, gen $gen, reps $reps, rounds $rounds"
  echo "repo $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || echo ' with uncommitted changes under src/'), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  python3 "$here/report.py" table "$out"
  [ ! -s "$out/warnings.txt" ] || sed 's/^/WARNING: /' "$out/warnings.txt"
} | tee "$out/table.txt"
