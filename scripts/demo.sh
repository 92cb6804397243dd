#!/usr/bin/env bash
# The demo command of the README: fetch the default model if missing, then start a loopback
# cluster (one server, two edge nodes over TCP), ask about generated frames and print the results.
# Extra arguments go to `collabvlm-bench demo` (try --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-model.sh
dotnet run --project src/Bench -c Release -- demo "$@"
