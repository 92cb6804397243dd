#!/usr/bin/env bash
# Runs one test project N times in a row, CI-style (built once, then `dotnet test --no-build`), while a full
# `--no-incremental` build of the solution loops beside it in a throw-away worktree, so the tests share the CPU
# with a build as they do on a busy CI machine. Prints one line per run and exits non-zero if any run failed;
# each run's log and .trx land in OUT.
#
#   scripts/flake-check.sh [PROJECT] [RUNS] [OUT]      defaults: tests/Actors.Tests 10 flake-check/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
project="${1:-tests/Actors.Tests}"
runs="${2:-10}"
out="$(mkdir -p "${3:-flake-check}" && cd "${3:-flake-check}" && pwd)"

./scripts/fetch-model.sh >/dev/null
dotnet build "$project" --nologo -v q >/dev/null

beside="$(mktemp -d)"
git worktree add -q --detach "$beside/tree" HEAD
stop="$beside/stop"
cleanup() {
  touch "$stop"
  wait 2>/dev/null || true
  git worktree remove --force "$beside/tree" 2>/dev/null || true
  rm -rf "$beside"
}
trap cleanup EXIT
( while [ ! -f "$stop" ]; do
    (cd "$beside/tree" && timeout 900 dotnet build CollabVlm.Actors.sln --no-incremental --nologo -v q >/dev/null 2>&1) || true
  done ) &

failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if dotnet test "$project" --no-build --nologo -v q --logger "trx;LogFileName=$out/run-$i.trx" >"$out/run-$i.log" 2>&1; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  echo "run $i/$runs: $status in $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg): $(grep -E 'Passed!|Failed!' "$out/run-$i.log" | head -1)"
  grep -E '\[FAIL\]' "$out/run-$i.log" || true
done
echo "flake-check: $failed of $runs runs failed ($project)"
[ "$failed" -eq 0 ]
