#!/usr/bin/env bash
# Replays the fuzz corpus, then fuzzes every harness for a bounded time:
#   tools/fuzz.sh [BUILD_DIR] [SECONDS_PER_HARNESS]      (defaults: build-fuzz, 30)
# A crash, a hang (over 1 s on one input), a leak or a sanitizer report fails. New inputs go
# to a scratch folder; keep the interesting ones with
#   build-fuzz/tests/fuzz/fuzz_NAME -merge=1 tests/fuzz/corpus/NAME SCRATCH
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
seconds=${2:-30}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for name in scenario sweep parsers set; do
  bin=$dir/tests/fuzz/fuzz_$name
  corpus=tests/fuzz/corpus/$name
  mkdir -p "$scratch/$name"
  echo "fuzz_$name: replaying $(ls "$corpus" | wc -l) corpus inputs, then fuzzing for ${seconds}s" >&2
  "$bin" -runs=0 -timeout=1 -rss_limit_mb=2048 "$corpus" 2>"$scratch/$name.replay.log" ||
    { cat "$scratch/$name.replay.log" >&2; exit 1; }
  "$bin" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$scratch/" "$scratch/$name" "$corpus" 2>"$scratch/$name.log" ||
    { tail -60 "$scratch/$name.log" >&2; echo "fuzz_$name failed; the input is in the log above" >&2; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/$name.log" | sed "s/^/  fuzz_$name /" >&2
done
echo "fuzzing: no crash, hang, leak or sanitizer report" >&2
