#!/usr/bin/env python3
"""Writes docs/performance.md: every side-by-side ratio against a peer, from one `make bench`.

    make bench            # runs every bench, then this script
    scripts/perf_report.py [--out docs/performance.md]

Reads criterion's results (target/criterion/**/new/{benchmark,estimates}.json: the estimate
criterion prints for each benchmark, the slope of its linear samples, or the median for flat
sampling; both move less with a shared machine's outliers than the mean) and the JSON that
the Python and WASM benches write to target/bench-results/.
A row whose inputs are missing, or older than this run's start, says so instead of showing
a stale figure. The machine (CPU
model, cores, memory, load average) and the toolchain are recorded in the header.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target/criterion"
RESULTS = ROOT / "target/bench-results"

# (block, what, dpikit benchmark id, peer benchmark id, peer, kind, goal)
# kind "faster": peer time / dpikit time (higher is better; goal is a minimum)
# kind "throughput": reference time / dpikit time (dpikit's share of the reference's
#   throughput; goal is a minimum); kind "speedup": same benchmark, 1 vs 2 threads.
# kind "overhead": dpikit time / reference time (lower is better; goal is a maximum).
CRITERION_ROWS: list[tuple[str, str, str, str, str, str, Optional[float]]] = [
    ("core", "Ed25519 JWS verify (compact, 32-byte payload)", "ed25519/verify/dpikit jws",
     "ed25519/verify/raw ed25519-dalek", "raw ed25519-dalek", "overhead", None),
    ("core", "Ed25519 JWS sign", "ed25519/sign/dpikit jws", "ed25519/sign/raw ed25519-dalek",
     "raw ed25519-dalek", "overhead", None),
    ("core", "JCS (RFC 8785) of a 1 KB document", "jcs-1k/dpikit", "jcs-1k/serde_json_canonicalizer",
     "serde_json_canonicalizer", "faster", None),
    ("credentials", "eddsa-jcs-2022 proof verify, 1 KB credential",
     "verify-1k-credential/dpikit eddsa-jcs-2022 proof",
     "verify-1k-credential/raw ed25519-dalek verify_strict (64-byte message)",
     "raw ed25519-dalek (throughput share)", "throughput", 0.8),
    ("credentials", "eddsa-rdfc-2022 verify (full report)",
     "verify-rdfc-credential/dpikit eddsa-rdfc-2022 full report (Verifier)",
     "verify-rdfc-credential/ssi 0.16 eddsa-rdfc-2022 verify", "ssi 0.16", "faster", 3.0),
    ("credentials", "batch verify of 10 000 eddsa-jcs-2022, 2 threads vs 1",
     "verify-batch-10k/dpikit eddsa-jcs-2022, 2 thread(s)",
     "verify-batch-10k/dpikit eddsa-jcs-2022, 1 thread(s)", "itself on 1 thread", "faster", 1.8),
    ("credentials", "vc+jwt EdDSA verify (dpikit: full report)",
     "verify-vc-jwt/dpikit vc+jwt EdDSA full report",
     "verify-vc-jwt/josekit 0.10 EdDSA JWS verify + payload JSON", "josekit 0.10", "faster", None),
    ("credentials", "vc+jwt ES256 verify (dpikit: full report)",
     "verify-vc-jwt/dpikit vc+jwt ES256 full report",
     "verify-vc-jwt/josekit 0.10 ES256 JWS verify + payload JSON", "josekit 0.10", "faster", None),
    ("credentials", "vc+jwt EdDSA verify (both: full verification)",
     "verify-vc-jwt/dpikit vc+jwt EdDSA full report",
     "verify-vc-jwt/ssi 0.16 EdDSA VC-JOSE verify", "ssi 0.16", "faster", None),
    ("credentials", "vc+jwt ES256 verify (both: full verification)",
     "verify-vc-jwt/dpikit vc+jwt ES256 full report",
     "verify-vc-jwt/ssi 0.16 ES256 VC-JOSE verify", "ssi 0.16", "faster", None),
]
PACS008_SAMPLES = ["cbpr", "pm4ml"]


def criterion_estimates() -> dict[str, tuple[float, float, float]]:
    """full_id -> (slope or median ns, lower bound, upper bound of its 95% interval), for the benchmarks
    that ran in this `make bench` (newer than target/bench-results/started, when present)."""
    stamp = RESULTS / "started"
    since = stamp.stat().st_mtime if stamp.exists() else 0.0
    out: dict[str, tuple[float, float, float]] = {}
    for bench in CRITERION.glob("**/new/benchmark.json"):
        est = bench.with_name("estimates.json")
        if not est.exists() or est.stat().st_mtime < since:
            continue
        full_id = json.loads(bench.read_text())["full_id"]
        estimates = json.loads(est.read_text())
        point = estimates.get("slope") or estimates["median"]
        ci = point["confidence_interval"]
        out[full_id] = (point["point_estimate"], ci["lower_bound"], ci["upper_bound"])
    return out


def fmt_time(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.0f} ns"


def verdict(ratio: float, goal: Optional[float], higher_is_better: bool = True) -> str:
    if goal is None:
        return "—"
    ok = ratio >= goal if higher_is_better else ratio <= goal
    return "met" if ok else "**not met**"


def machine() -> list[str]:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True).stdout.strip()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- Machine: {model}, {os.cpu_count()} logical CPUs{mem}; {platform.system()} {platform.release()}.",
        f"- Toolchain: {rustc}; Python {platform.python_version()}.",
        f"- Load average when the report was written (1/5/15 min): {load}. On a shared machine the"
        " absolute times move; the ratios come from benchmarks that ran side by side in one run.",
    ]


def speed(ratio: float, digits: int = 2) -> str:
    """A peer-time / dpikit-time ratio in words: "N× faster", or "N× slower" below 1."""
    return f"{ratio:.{digits}f}× faster" if ratio >= 1 else f"{1 / ratio:.{digits}f}× slower"


def load_result(name: str) -> Optional[Any]:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=ROOT / "docs/performance.md")
    args = ap.parse_args()
    means = criterion_estimates()
    rows: list[str] = []
    missing: list[str] = []

    def add(block: str, what: str, ours: str, theirs: str, peer: str, ratio_text: str, goal: str, met: str) -> None:
        rows.append(f"| {block} | {what} | {ours} | {peer}: {theirs} | {ratio_text} | {goal} | {met} |")

    for block, what, ours_id, peer_id, peer, kind, goal in CRITERION_ROWS:
        if ours_id not in means or peer_id not in means:
            missing.append(f"{block}: {what}")
            continue
        ours, theirs = means[ours_id][0], means[peer_id][0]
        if kind == "overhead":
            ratio = ours / theirs
            add(block, what, fmt_time(ours), fmt_time(theirs), peer, f"{ratio:.2f}× the peer's time",
                "—" if goal is None else f"≤ {goal}×", verdict(ratio, goal, higher_is_better=False))
        elif kind == "throughput":
            ratio = theirs / ours
            add(block, what, fmt_time(ours), fmt_time(theirs), peer, f"{ratio:.2f}× its throughput",
                f"≥ {goal}×", verdict(ratio, goal))
        else:
            ratio = theirs / ours
            add(block, what, fmt_time(ours), fmt_time(theirs), peer, speed(ratio),
                "—" if goal is None else f"≥ {goal}×", verdict(ratio, goal))

    for sample in PACS008_SAMPLES:
        ours_id, peer_id = f"pacs008/dpikit parse strict/{sample}", f"pacs008/mx20022 parse/{sample}"
        if ours_id in means and peer_id in means:
            ours, theirs = means[ours_id][0], means[peer_id][0]
            add("payments", f"pacs.008.001.08 parse, {sample} sample", fmt_time(ours), fmt_time(theirs),
                "mx20022 0.3", speed(theirs / ours), "≥ 2×", verdict(theirs / ours, 2.0))
        else:
            missing.append(f"payments: pacs.008 parse, {sample} sample")

    callgrind = load_result("payments-callgrind")
    if callgrind:
        for r in callgrind:
            ratio = r["mx20022"] / r["dpikit"]
            add("payments", f"pacs.008 parse, {r['sample']} sample (instructions, callgrind)",
                f"{r['dpikit']:,} instr", f"{r['mx20022']:,} instr", "mx20022 0.3", f"{ratio:.2f}× fewer",
                "≥ 2×", verdict(ratio, 2.0))

    sdm = load_result("python-sdm")
    if sdm:
        for r in sdm:
            add("python", f"Smart Data Model validation, {r['model']}", f"{r['dpikit_us']} µs",
                f"{r['jsonschema_us']} µs", "jsonschema", speed(r["jsonschema_us"] / r["dpikit_us"], 0),
                "≥ 100×", verdict(r["jsonschema_us"] / r["dpikit_us"], 100))
            add("python", f"Smart Data Model validation, {r['model']}", f"{r['dpikit_us']} µs",
                f"{r['fastjsonschema_us']} µs", "fastjsonschema",
                speed(r["fastjsonschema_us"] / r["dpikit_us"], 1), "≥ 5×",
                verdict(r["fastjsonschema_us"] / r["dpikit_us"], 5))
    else:
        missing.append("python: Smart Data Model validation vs jsonschema / fastjsonschema")

    pyjwt = load_result("python-pyjwt")
    if pyjwt:
        for r in pyjwt:
            add("python", f"JWS verify, {r['alg']}", f"{r['dpikit_us']} µs", f"{r['pyjwt_us']} µs",
                "PyJWT (cryptography)", speed(r["ratio"]), "—", "—")
    else:
        missing.append("python: JWS verify vs PyJWT")

    overhead = load_result("python-overhead")
    if overhead:
        ratio = overhead["python_us_per_op"] / overhead["rust_us_per_op"]
        add("python", "eddsa-jcs-2022 verify from Python vs from Rust", f"{overhead['python_us_per_op']:.1f} µs",
            f"{overhead['rust_us_per_op']:.1f} µs", "the Rust API", f"{ratio:.2f}× the Rust time", "≤ 1.2×",
            verdict(ratio, 1.2, higher_is_better=False))
    else:
        missing.append("python: verification overhead over Rust")

    wasm = load_result("wasm-node")
    if wasm:
        add("wasm", "eddsa-jcs-2022 verify in Node (full module) vs native",
            f"{wasm['wasm_node_us_per_op']} µs", f"{wasm['rust_us_per_op']} µs", "native Rust",
            f"{wasm['ratio']:.2f}× the native time", "≤ 2.5×", verdict(wasm["ratio"], 2.5, higher_is_better=False))
    else:
        missing.append("wasm: Node vs native verify")

    lines = [
        "# Performance: dpikit beside its peers",
        "",
        "Written by `scripts/perf_report.py` at the end of `make bench` "
        f"({dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}); do not edit by hand.",
        "Each ratio compares benchmarks that ran in the same run on the same machine. Peers are",
        "dev-dependencies (crates/dpikit-interop, dpikit-payments) or installed by the make target",
        "(Python packages in target/wheel-venv), never vendored. Absolute figures and per-bench",
        "notes are in [benchmarks.md](benchmarks.md).",
        "",
        *machine(),
        "",
        "| block | measure | dpikit | peer | ratio | goal | goal met |",
        "|---|---|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]
    if missing:
        lines += ["Not in this run (its bench did not run or did not finish):", ""]
        lines += [f"- {m}" for m in missing] + [""]
    args.out.write_text("\n".join(lines))
    print(f"{args.out}: {len(rows)} rows, {len(missing)} missing")


if __name__ == "__main__":
    main()
