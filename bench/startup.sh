#!/usr/bin/env bash
# Start-up: wall time (spawn → 'listening'), CPU time of the process tree at that moment,
# and the tree's RSS one second later. DATA_DIR=:memory:, no Redis, no jobs. Run after
# `npm run build`: bash bench/startup.sh
cd "$(dirname "$0")/.."
tree() { local p=$1; echo $p; for c in $(pgrep -P $p); do tree $c; done; }
measure() {
  local label=$1; shift
  for i in 1 2 3 4 5; do
    local port=$((4100 + RANDOM % 500)) out=/tmp/startup.$$
    : > $out
    local start=$(date +%s%N)
    PORT=$port DATA_DIR=:memory: AUTH_SECRET=startup-measure-secret-0123 LOG_LEVEL=info RUN_JOBS=false "$@" > $out 2>&1 &
    local pid=$!
    while ! grep -q '"listening"' $out 2>/dev/null; do sleep 0.005; done
    local end=$(date +%s%N) ticks=0
    for p in $(tree $pid); do t=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); ticks=$((ticks + ${t:-0})); done
    sleep 1
    local rss=0
    for p in $(tree $pid); do r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); rss=$((rss + ${r:-0})); done
    echo "$label | run $i | wall_ms $(( (end - start) / 1000000 )) | cpu_ms $((ticks * 1000 / $(getconf CLK_TCK))) | rss_mb $((rss / 1024))"
    kill $pid; wait $pid 2>/dev/null
  done
}
measure "tsx src/server.ts" node_modules/.bin/tsx src/server.ts
measure "node --import tsx src/server.ts" node --import tsx src/server.ts
measure "node dist/server.js" node dist/server.js
