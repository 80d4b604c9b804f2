#!/usr/bin/env bash
# takt's one entry point for newcomers and CI: installs what is missing, builds, then runs or tests.
#   tools/dev.sh run [takt run args...]   set up, build the program (build/), run the default SERES scenario
#   tools/dev.sh test                     set up, then the whole check CI runs: the formatting, the suite (build-test/,
#                                         warnings as errors), the suite and the default scenario under
#                                         AddressSanitizer + UBSan (build-asan/), and the fuzz harnesses'
#                                         corpus replay plus FUZZ_SECONDS (default 30) of fuzzing each
#                                         (build-fuzz/, clang)
#   tools/dev.sh deps                     only check/install the Debian packages
# Each build has its own folder, so neither command throws away the other's work.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make libboost-dev libboost-program-options-dev libboost-graph-dev
          libeigen3-dev libyaml-cpp-dev doctest-dev python3 python3-simpy3
          libopenmpi-dev openmpi-bin clang libclang-rt-14-dev clang-format
          python3-matplotlib python3-pandas)

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "takt needs these Debian packages: $missing" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  echo "installing: $missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

stage() { printf '\n=== %s\n' "$*" >&2; }

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  deps) ensure_packages ;;
  run)
    ensure_packages
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTAKT_MPI=ON >/dev/null
    cmake --build build -j2 --target takt
    exec build/takt run "$@"
    ;;
  test)
    ensure_packages
    stage "formatting (.clang-format)"
    git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
    stage "the suite (build-test/)"
    cmake --preset release >/dev/null
    cmake --build build-test -j2
    ctest --test-dir build-test -j2 --output-on-failure "$@"
    stage "the suite and the default scenario under AddressSanitizer + UBSan (build-asan/)"
    cmake --preset asan >/dev/null
    cmake --build build-asan -j2
    ctest --test-dir build-asan -j2 --output-on-failure "$@"
    build-asan/takt run --jobs 2 >/dev/null
    stage "fuzzing (build-fuzz/)"
    cmake --preset fuzz >/dev/null
    cmake --build build-fuzz -j2 --target fuzz_scenario fuzz_sweep fuzz_parsers fuzz_set
    tools/fuzz.sh build-fuzz "${FUZZ_SECONDS:-30}"
    ;;
  *) echo "usage: tools/dev.sh run|test|deps" >&2; exit 2 ;;
esac
