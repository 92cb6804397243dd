#!/usr/bin/env bash
# The test command of the README: install what the tests need when it is missing (Debian packages: npm for the
# model, the DejaVu fonts for the frame generator, Prometheus for the real-Prometheus test), fetch the default
# model if missing, then build and run every test. Installing needs root or sudo; set COLLABVLM_SKIP_INSTALL=1
# to only report what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v dotnet >/dev/null 2>&1 || { echo "test: the .NET 10 SDK (dotnet) is required on this machine" >&2; exit 2; }

need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# The scene-text renderer draws with five DejaVu faces (core + extra packages).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf ] || need_apt+=(fonts-dejavu-extra)
# Operations.Tests runs a real Prometheus against a loopback cluster (Debian's package; its service is not started).
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need_apt+=(prometheus)
# Bench.Tests runs a chaos test with each node in its own network namespace (ip netns, tc).
{ command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || need_apt+=(iproute2)
# The link-shaped bench test reads the edge's /metrics with curl run inside the edge's network namespace.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ -n "${COLLABVLM_SKIP_INSTALL:-}" ]; then
    echo "test: missing Debian packages: ${need_apt[*]} (COLLABVLM_SKIP_INSTALL is set: not installing)" >&2
    exit 2
  fi
  echo "test: installing ${need_apt[*]}"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test: installing ${need_apt[*]} needs root or sudo" >&2; exit 2; }
    sudo_cmd="sudo"
  fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}"
fi

# The manifest checks render the overlays with kubectl's built-in kustomize (≥ 4). No registry reachable here serves a
# recent enough kubectl (Debian's kubernetes-client 1.20 is too old), so it is checked, not installed.
if ! kubectl kustomize --help >/dev/null 2>&1; then
  echo "test: kubectl with kustomize (kubectl ≥ 1.21) is needed on PATH for the manifest checks (Operations.Tests)" >&2
  exit 2
fi

./scripts/fetch-model.sh
dotnet test CollabVlm.Actors.sln --nologo "$@"
