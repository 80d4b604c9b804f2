#!/usr/bin/env bash
# Regenerates the golden outputs of tests/golden/cases.txt with a built takt:
#   tools/golden.sh [BUILD_DIR]      (default: build-test, which tools/dev.sh test fills)
# Then review `git diff tests/golden`: a refactoring changes no golden file, and a commit that
# changes one says why the numbers moved.
set -euo pipefail
cd "$(dirname "$0")/.."
takt=${1:-build-test}/takt
[ -x "$takt" ] || { echo "golden.sh: $takt is missing (cmake --build ${1:-build-test})" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
grep -v '^#' tests/golden/cases.txt | while IFS='|' read -r name args; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086  # the arguments are split as the test splits them
  "$takt" $args --out "$scratch/$name" >/dev/null
  mkdir -p "tests/golden/$name"
  cp "$scratch/$name/summary.json" "$scratch/$name/stations.csv" "tests/golden/$name/"
  echo "tests/golden/$name" >&2
done
