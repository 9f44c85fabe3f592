#!/usr/bin/env python3
"""Helpers for bench/engine/run.sh (standard library only).

  report.py gguf-info FILE   one JSON line: architecture, dominant weight type, tensor bytes, weight bytes per token
  report.py table RUN_DIR    reads RUN_DIR/{models.tsv,bandwidth.r<N>.json,<name>.gguf.json,<name>.{engine,llama}.r<N>.json},
                             prints the comparison table and writes RUN_DIR/summary.json
"""
import json
import os
import struct
import sys

GGML_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K",
    12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
    20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
    29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
}
# GGUF metadata value types -> struct format of fixed-size scalars (8 = string, 9 = array).
SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}


def gguf_info(path):
    """Tensor table of a GGUF v2/v3 file. Tensor sizes come from the offsets (next offset - this offset, the last one
    up to the end of the file), so no per-type block table is needed; alignment padding (<= 32 bytes a tensor) is
    included, which is negligible."""
    with open(path, "rb") as f:
        def read(fmt):
            size = struct.calcsize("<" + fmt)
            return struct.unpack("<" + fmt, f.read(size))[0]

        def string():
            return f.read(read("Q")).decode("utf-8", "replace")

        def value(kind):
            if kind in SCALARS:
                return read(SCALARS[kind])
            if kind == 8:
                return string()
            if kind == 9:
                item, count = read("I"), read("Q")
                if item in SCALARS:  # skip numeric arrays (token scores, types) without decoding them
                    f.seek(struct.calcsize("<" + SCALARS[item]) * count, 1)
                    return None
                if item == 8:  # string arrays (the vocabulary) are read through and dropped unless short
                    strings = [string() for _ in range(count)]
                    return strings if count <= 16 else None
                return [value(item) for _ in range(count)]
            raise ValueError(f"{path}: unknown GGUF value type {kind}")

        if f.read(4) != b"GGUF":
            raise ValueError(f"{path}: not a GGUF file")
        version = read("I")
        if version < 2:
            raise ValueError(f"{path}: GGUF v{version} is not supported")
        n_tensors, n_kv = read("Q"), read("Q")
        meta = {}
        for _ in range(n_kv):
            key = string()
            meta[key] = value(read("I"))
        tensors = []
        for _ in range(n_tensors):
            name = string()
            dims = [read("Q") for _ in range(read("I"))]
            tensors.append({"name": name, "dims": dims, "type": read("I"), "offset": read("Q")})
        alignment = meta.get("general.alignment") or 32
        data_start = (f.tell() + alignment - 1) // alignment * alignment
    file_size = os.path.getsize(path)
    ordered = sorted(tensors, key=lambda t: t["offset"])
    for i, t in enumerate(ordered):
        end = ordered[i + 1]["offset"] if i + 1 < len(ordered) else file_size - data_start
        t["bytes"] = end - t["offset"]
    names = {t["name"] for t in tensors}
    tied = "output.weight" not in names
    # Bytes one decode step reads: every tensor except token_embd (one row is gathered), unless the output projection
    # is tied to token_embd, in which case the whole matrix is read for the logits.
    per_token = sum(t["bytes"] for t in tensors if t["name"] != "token_embd.weight" or tied)
    by_type = {}
    for t in tensors:
        if len(t["dims"]) >= 2:
            name = GGML_TYPES.get(t["type"], str(t["type"]))
            by_type[name] = by_type.get(name, 0) + t["bytes"]
    dominant = max(by_type, key=by_type.get) if by_type else "?"
    return {
        "file": os.path.basename(path),
        "architecture": meta.get("general.architecture"),
        "tensors": n_tensors,
        "tensor_bytes": sum(t["bytes"] for t in tensors),
        "weight_bytes_per_token": per_token,
        "tied_output": tied,
        "dominant_type": dominant,
        "bytes_by_type": by_type,
    }


def load(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text) if text else None
    except (OSError, json.JSONDecodeError):
        return None


def rounds(run_dir, name, side):
    """The JSON files of all rounds: NAME.SIDE.r1.json, NAME.SIDE.r2.json, ... (NAME.r1.json, ... without SIDE)."""
    found = []
    r = 1
    stem = f"{name}.{side}" if side else name
    while os.path.exists(os.path.join(run_dir, f"{stem}.r{r}.json")):
        data = load(os.path.join(run_dir, f"{stem}.r{r}.json"))
        if data:
            found.append(data)
        r += 1
    return found


def engine_figures(runs):
    """The engine's JSON per round; the best prefill and decode over all rounds (each is already the best rep)."""
    if not runs:
        return None
    merged = dict(runs[0])
    merged["prefill_tokens_per_second"] = max(r["prefill_tokens_per_second"] for r in runs)
    merged["decode_tokens_per_second"] = max(r["decode_tokens_per_second"] for r in runs)
    merged["prefill_all"] = [x for r in runs for x in r.get("prefill_all", [])]
    merged["decode_all"] = [x for r in runs for x in r.get("decode_all", [])]
    merged["rounds"] = len(runs)
    return merged


def llama_figures(tests):
    """llama-bench -o json: one object per test; pp has n_gen 0, tg has n_prompt 0. samples_ts holds one tokens/s
    figure per repetition; the engine reports its best repetition, so the best is taken here too (the mean is kept).
    With several rounds, the tests of all rounds are concatenated."""
    out = {}
    for t in tests or []:
        kind = "prefill" if t.get("n_gen") == 0 else "decode" if t.get("n_prompt") == 0 else None
        if kind:
            samples = out.get(kind + "_samples", []) + (t.get("samples_ts") or [t.get("avg_ts")])
            out[kind] = max(samples)
            out[kind + "_avg"] = sum(samples) / len(samples)
            out[kind + "_samples"] = samples
    if tests:
        first = tests[0]
        for key in ("build_commit", "build_number", "cpu_info", "model_type", "model_size", "model_n_params",
                    "n_threads", "n_batch", "n_ubatch", "flash_attn", "type_k", "type_v"):
            out[key] = first.get(key)
    return out


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return a / b if a and b else None


def table(run_dir):
    probes = rounds(run_dir, "bandwidth", None)  # the best round's probe: interference only ever lowers it
    bandwidth = max(probes, key=lambda b: b["best_gbps"]) if probes else {}
    bandwidth["rounds_best_gbps"] = [b["best_gbps"] for b in probes]
    gbps = bandwidth.get("best_gbps")
    rows = []
    with open(os.path.join(run_dir, "models.tsv")) as f:
        for line in f:
            if not line.strip():
                continue
            name, path, shape, kind = line.rstrip("\n").split("\t")
            gguf = load(os.path.join(run_dir, name + ".gguf.json")) or {}
            engine = engine_figures(rounds(run_dir, name, "engine"))
            llama = llama_figures([t for tests in rounds(run_dir, name, "llama") for t in tests])
            per_token = (engine or {}).get("weight_bytes_per_token") or gguf.get("weight_bytes_per_token")
            bound = gbps * 1e9 / per_token if gbps and per_token else None
            e_pp = (engine or {}).get("prefill_tokens_per_second")
            e_tg = (engine or {}).get("decode_tokens_per_second")
            rows.append({
                "model": name, "path": path, "shape": shape,
                "type": kind if kind != "-" else gguf.get("dominant_type"),
                "weight_bytes_per_token": per_token,
                "gguf_weight_bytes_per_token": gguf.get("weight_bytes_per_token"),
                "engine": engine, "llama": llama or None,
                "engine_prefill": e_pp, "llama_prefill": llama.get("prefill"), "prefill_ratio": ratio(e_pp, llama.get("prefill")),
                "engine_decode": e_tg, "llama_decode": llama.get("decode"), "decode_ratio": ratio(e_tg, llama.get("decode")),
                "bound_decode": bound,
                "engine_decode_of_bound": ratio(e_tg, bound), "llama_decode_of_bound": ratio(llama.get("decode"), bound),
            })

    header = ["model", "type", "MB/tok", "eng pp t/s", "llama pp t/s", "pp ratio", "eng tg t/s", "llama tg t/s",
              "tg ratio", "bound tg t/s", "eng %bound", "llama %bound"]
    lines = []
    for r in rows:
        pct = lambda x: "-" if x is None else f"{100 * x:.0f}%"
        lines.append([r["model"], r["type"] or "-", fmt(r["weight_bytes_per_token"] and r["weight_bytes_per_token"] / 1e6, 1),
                      fmt(r["engine_prefill"]), fmt(r["llama_prefill"]), fmt(r["prefill_ratio"], 2),
                      fmt(r["engine_decode"]), fmt(r["llama_decode"]), fmt(r["decode_ratio"], 2),
                      fmt(r["bound_decode"]), pct(r["engine_decode_of_bound"]), pct(r["llama_decode_of_bound"])])
    widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h) for i, h in enumerate(header)]
    def row(cells):
        return "| " + " | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    print(row(header))
    print("|" + "|".join(("-" * (w + 2)) if i < 2 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)) + "|")
    for l in lines:
        print(row(l))
    print()
    if gbps:
        print(f"bound = read bandwidth {gbps:.2f} GB/s ({bandwidth.get('threads')} threads, "
              f"{bandwidth.get('buffer_bytes', 0) >> 20} MiB buffer, best of {bandwidth.get('reps')} reps and "
              f"{len(probes)} round(s): {', '.join(f'{g:.1f}' for g in bandwidth['rounds_best_gbps'])}) / weight bytes per token")
    print("ratio = engine / llama.cpp (> 1: the engine is faster); t/s = best repetition (of all rounds) for both; "
          "pp = prefill, tg = decode")
    for r in rows:
        g, e = r["gguf_weight_bytes_per_token"], (r["engine"] or {}).get("weight_bytes_per_token")
        if g and e and abs(g - e) > 0.02 * e:
            print(f"note: {r['model']}: engine counts {e / 1e6:.1f} MB/token, the GGUF tensor table {g / 1e6:.1f} MB")
        l = r["llama"] or {}
        if l.get("model_type"):
            print(f"llama.cpp on {r['model']}: {l['model_type']}, {l.get('n_threads')} threads, n_batch {l.get('n_batch')}, "
                  f"n_ubatch {l.get('n_ubatch')}, flash_attn {l.get('flash_attn')}, build {l.get('build_commit')}")
    cpu = []
    try:
        with open(os.path.join(run_dir, "cpu.tsv")) as f:
            cpu = [dict(zip(("run", "foreign_pct", "steal_pct"), l.rstrip("\n").split("\t"))) for l in f if l.strip()]
    except OSError:
        pass
    if cpu:
        worst = max(cpu, key=lambda c: float(c["foreign_pct"]))
        print(f"CPU outside the measured process (other processes, kernel): at most {worst['foreign_pct']} % "
              f"({worst['run']}); steal at most {max(float(c['steal_pct']) for c in cpu):.1f} %; per run in cpu.tsv")
    summary = {"bandwidth": bandwidth, "rows": rows, "cpu": cpu}
    with open(os.path.join(run_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)


def main(argv):
    if len(argv) == 3 and argv[1] == "gguf-info":
        print(json.dumps(gguf_info(argv[2])))
    elif len(argv) == 3 and argv[1] == "table":
        table(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
