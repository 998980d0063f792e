#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 20) on its seeded corpus, JOBS at a time
# (default 2), and fails if any target crashes, leaks, times out or runs out of memory.
# Usage: fuzz/smoke.sh [SECONDS] [JOBS]   (after `make fuzz-build` and fuzz/seed.py)
# libFuzzer's random seed is fixed (FUZZ_SEED, default 1) so that a smoke run repeats the same
# mutations on the same seed corpus; FUZZ_SEED=0 picks a random seed (long campaigns).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-20}"
jobs="${2:-2}"
export FUZZ_SEED="${FUZZ_SEED:-1}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin="target/$triple/release"
mkdir -p artifacts logs
run_one() {
  local t="$1" secs="$2" bin="$3"
  mkdir -p "artifacts/$t" "corpus/$t"
  if "$bin/$t" "corpus/$t" -seed="$FUZZ_SEED" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1; then
    echo "ok    $t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$') runs in ${secs}s"
  else
    echo "CRASH $t (fuzz/logs/$t.log, fuzz/artifacts/$t/):"
    grep -E 'ERROR|panicked|SUMMARY' "logs/$t.log" | head -5
    return 1
  fi
}
export -f run_one
status=0
xargs -P "$jobs" -I{} bash -c "run_one {} $secs $bin" < targets.txt || status=1
exit $status
