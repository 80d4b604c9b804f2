#!/usr/bin/env bash
# takt's one entry point for newcomers and CI: installs what is missing, builds, then runs or tests.
#   tools/dev.sh run [takt run args...]   set up, build, run the default SERES scenario
#   tools/dev.sh test                     set up, build with warnings as errors, run the whole suite
#   tools/dev.sh deps                     only check/install the Debian packages
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make libboost-dev libboost-program-options-dev libboost-graph-dev
          libeigen3-dev libyaml-cpp-dev doctest-dev python3 python3-simpy3
          libopenmpi-dev openmpi-bin)

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

build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j2
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  deps) ensure_packages ;;
  run)
    ensure_packages
    build build -DTAKT_MPI=ON
    exec build/takt run "$@"
    ;;
  test)
    ensure_packages
    build build -DTAKT_WARNINGS_AS_ERRORS=ON -DTAKT_MPI=ON
    ctest --test-dir build -j2 --output-on-failure "$@"
    ;;
  *) echo "usage: tools/dev.sh run|test|deps" >&2; exit 2 ;;
esac
