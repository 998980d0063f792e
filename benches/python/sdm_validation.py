"""FIWARE Smart Data Model validation: dpikit vs the Python `jsonschema` and `fastjsonschema`
packages, in the same run, on the same instances (goals: >= 100x and >= 5x faster).

    make bench-python   # installs jsonschema and fastjsonschema next to the release wheel
    # or, by hand, in a Python with dpikit, jsonschema and fastjsonschema installed:
    python benches/python/sdm_validation.py [--vectors DIR] [--n 2000] [--batch 1000]
    python benches/python/sdm_validation.py --callgrind   # instructions per validation (valgrind)

Every validator is compiled once, offline (the common schemas are served from the shared
vectors, never fetched), and then validates each model's `example.json` (a dict) in a loop:
dpikit `Registry.is_valid` (dict in, verdict out), jsonschema
`Draft202012Validator.is_valid`, and the function `fastjsonschema.compile` generates (the
fastest Python validator; it knows drafts 4/6/7 and reads these 2020-12 schemas as draft 7,
and stops at the first error). The ratios compare those three verdict-only checks; dpikit's
`Registry.validate` (dict in, the full report of every issue out) is timed beside them.
dpikit's `Registry.validate_many` then checks a batch of dicts on every core without the GIL.
Each figure is the fastest of several rounds, rounds of the validators alternating, so that
load from other processes hits all alike. The verdicts (valid or not) are printed too:
AirQualityObserved's example is invalid upstream (`tsp` is not an integer).

`--callgrind` counts the instructions of one validation instead of timing it (repeatable on a
loaded machine): each validator runs in its own process under callgrind, once with N
validations and once with none, and the difference is divided by N.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from dpikit import exchange

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS = [
    "Environment/AirQualityObserved",
    "Weather/WeatherObserved",
    "Parking/ParkingSpot",
    "Streetlighting/Streetlight",
    "IssueTracking/service_requests",
]
ENV_RAW = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json"
ENV_ID = "https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json"


def vectors() -> Path:
    base = Path(os.environ.get("DPIKIT_VECTORS") or REPO_ROOT.parent / "shared" / "vectors")
    return base / "exchange" / "smart-data-models"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def fastest_us(fns: list[Callable[[], Any]], n: int, rounds: int) -> list[float]:
    """Per-call microseconds of each function: the fastest of `rounds` rounds of `n` calls,
    the functions' rounds alternating."""
    for fn in fns:
        for _ in range(max(1, n // 10)):
            fn()
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(n):
                fn()
            best[i] = min(best[i], (time.perf_counter() - start) * 1e6 / n)
    return best


class Setup:
    """The three validators of one model, compiled offline, and its example instance."""

    def __init__(self, d: Path, model: str) -> None:
        # Not type-checked dependencies of the bench only (installed by `make bench-python`).
        jsonschema: Any = importlib.import_module("jsonschema")
        referencing: Any = importlib.import_module("referencing")
        fastjsonschema: Any = importlib.import_module("fastjsonschema")
        common = {p.name: load(p) for p in sorted((d / "common").glob("*.json"))}
        by_uri: dict[str, Any] = {doc["$id"]: doc for doc in common.values()}
        by_uri[ENV_RAW] = by_uri[ENV_ID]
        self.registry = exchange.Registry(builtin=False)
        self.registry.register_dir(d / "common")
        self.registry.add_alias(ENV_RAW, ENV_ID)
        resources = [(uri, referencing.Resource.from_contents(
            doc, default_specification=referencing.jsonschema.DRAFT202012)) for uri, doc in by_uri.items()]
        py_registry = referencing.Registry().with_resources(resources)

        def fetch(uri: str) -> Any:
            return by_uri[uri.split("#")[0]]

        schema = load(d / model / "schema.json")
        self.instance = load(d / model / "examples" / "example.json")
        # The schema's id, as a caller keeps it: a str made once, not one per call.
        self.schema_id: str = self.registry.register_file(d / model / "schema.json").id
        self.js = jsonschema.Draft202012Validator(schema, registry=py_registry)
        self.fj = fastjsonschema.compile(schema, handlers={"https": fetch, "http": fetch})
        self.fj_error = fastjsonschema.JsonSchemaException

    def dpikit(self) -> bool:
        return self.registry.is_valid(self.schema_id, self.instance)

    def dpikit_report(self) -> bool:
        return self.registry.validate(self.schema_id, self.instance).valid

    def jsonschema(self) -> bool:
        return bool(self.js.is_valid(self.instance))

    def fastjsonschema(self) -> bool:
        try:
            self.fj(self.instance)
            return True
        except self.fj_error:
            return False


VALIDATORS = ("dpikit", "dpikit_report", "jsonschema", "fastjsonschema")


def run_one(d: Path, model: str, validator: str, n: int) -> None:
    """Sets up `model` and runs `validator` n times (the process callgrind measures)."""
    fn: Callable[[], bool] = getattr(Setup(d, model), validator)
    fn()
    for _ in range(n):
        fn()


def callgrind_ir(cmd: list[str]) -> int:
    """Instructions executed by `cmd` under callgrind."""
    # A fixed hash seed makes the imports of both runs (N validations and none) execute the
    # same instructions, so that their difference is the validations alone.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg", *cmd],
                             check=True, capture_output=True, text=True, env=env).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))  # type: ignore[union-attr]


def callgrind_table(d: Path, n: int) -> int:
    """Instructions per validation of each validator on each model, and the ratios."""
    print(f"{'model':<32} {'dpikit Ir':>10} {'report Ir':>10} {'jsonschema Ir':>14} {'fastjsonschema Ir':>18}"
          f" {'x jsonschema':>12} {'x fastjs':>8}   (callgrind, instructions per validation)")
    ratios_js: list[float] = []
    ratios_fj: list[float] = []
    for model in MODELS:
        ir: dict[str, float] = {}
        for validator in VALIDATORS:
            k = max(1, n // 20) if validator == "jsonschema" else n
            cmd = [sys.executable, __file__, "--vectors", str(d), "--one", model, validator]
            ir[validator] = (callgrind_ir([*cmd, str(k)]) - callgrind_ir([*cmd, "0"])) / k
        ratios_js.append(ir["jsonschema"] / ir["dpikit"])
        ratios_fj.append(ir["fastjsonschema"] / ir["dpikit"])
        print(f"{model.split('/')[1]:<32} {ir['dpikit']:10.0f} {ir['dpikit_report']:10.0f} {ir['jsonschema']:14.0f}"
              f" {ir['fastjsonschema']:18.0f} {ratios_js[-1]:12.0f} {ratios_fj[-1]:8.1f}")
    print(f"dpikit Registry.is_valid vs jsonschema: {min(ratios_js):.0f}x-{max(ratios_js):.0f}x (goal >= 100x); "
          f"vs fastjsonschema: {min(ratios_fj):.1f}x-{max(ratios_fj):.1f}x (goal >= 5x), in instructions")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", type=Path, default=vectors())
    ap.add_argument("--n", type=int, default=2000, help="calls per round for dpikit and fastjsonschema")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch", type=int, default=2000, help="instances per validate_many call")
    ap.add_argument("--callgrind", action="store_true", help="count instructions (valgrind) instead")
    ap.add_argument("--json-out", type=Path, help="also write the per-model figures as JSON (make bench)")
    ap.add_argument("--one", nargs=3, metavar=("MODEL", "VALIDATOR", "N"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    d: Path = a.vectors
    if a.one:
        run_one(d, a.one[0], a.one[1], int(a.one[2]))
        return 0
    if a.callgrind:
        return callgrind_table(d, 200)
    print(f"{'model':<32} {'dpikit us':>9} {'report us':>9} {'jsonschema us':>13} {'fastjsonschema us':>17}"
          f" {'x jsonschema':>12} {'x fastjs':>8}  verdicts (dpikit/jsonschema/fastjsonschema)")
    ratios_js: list[float] = []
    ratios_fj: list[float] = []
    rows: list[dict[str, Any]] = []
    for model in MODELS:
        m = Setup(d, model)
        verdicts = (m.dpikit(), m.jsonschema(), m.fastjsonschema())
        assert m.dpikit_report() == verdicts[0]
        ours, report, fast = fastest_us([m.dpikit, m.dpikit_report, m.fastjsonschema], a.n, a.rounds)
        theirs = fastest_us([m.jsonschema], max(1, a.n // 20), a.rounds)[0]
        ratios_js.append(theirs / ours)
        ratios_fj.append(fast / ours)
        rows.append({"model": model.split("/")[1], "dpikit_us": round(ours, 2), "dpikit_report_us": round(report, 2),
                     "jsonschema_us": round(theirs, 1), "fastjsonschema_us": round(fast, 2)})
        print(f"{model.split('/')[1]:<32} {ours:9.2f} {report:9.2f} {theirs:13.1f} {fast:17.2f} {theirs / ours:12.0f}"
              f" {fast / ours:8.1f}  {'/'.join('valid' if v else 'invalid' for v in verdicts)}")
        batch = [m.instance] * a.batch
        many = fastest_us([lambda: m.registry.validate_many(m.schema_id, batch)], 1, a.rounds)[0] / a.batch
        print(f"{'  validate_many (all cores)':<32} {'':9} {many:9.2f} {'':13} {'':17} {theirs / many:12.0f} {fast / many:8.1f}")
    print(f"dpikit Registry.is_valid vs jsonschema: {min(ratios_js):.0f}x-{max(ratios_js):.0f}x (goal >= 100x); "
          f"vs fastjsonschema: {min(ratios_fj):.1f}x-{max(ratios_fj):.1f}x (goal >= 5x)")
    print(f"(cores: {os.cpu_count()}; timings on a shared machine are noisy: compare ratios)")
    if a.json_out:
        a.json_out.parent.mkdir(parents=True, exist_ok=True)
        a.json_out.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
