#!/usr/bin/env bash
# The test command of the README: fetch the default model if missing, then build and run every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./scripts/fetch-model.sh
dotnet test CollabVlm.Actors.sln --nologo "$@"
