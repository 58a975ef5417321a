#!/usr/bin/env bash
# What sign-in costs a read: GET /api/v1/jobs/{id} under wrk, with an access token, beside the same build with every
# check off (caravan.security.enabled=false), in one run. Two apps run side by side on their own embedded stacks,
# each with a job of its own; the rounds alternate between them (which goes first changes each round), so machine
# noise falls on both alike; each round's ratio is taken and their median reported. A token is checked in full
# (signature, issuer, audience, time) the first time it is seen and its time on every request after; the issuer's
# keys are fetched once and cached: nothing is asked of the issuer per request.
#
#   bench/job-read.sh       DURATION (default 15s), WARMUP (default 60s), CONNECTIONS (default 8), ROUNDS (default 7),
#                           PORT (default 18090; the app without checks takes PORT+1)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-8}
ROUNDS=${ROUNDS:-7}
BASE_PORT=${PORT:-18090}
BENCH=$PWD/target/bench/job-read
rm -rf "$BENCH" && mkdir -p "$BENCH"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

stop_all() {
  for name in signed unchecked; do
    [ -f "$BENCH/$name/pid" ] && kill "$(cat "$BENCH/$name/pid")" 2>/dev/null || true
    pkill -f "caravan.data-dir=$BENCH/$name/data" 2>/dev/null || true
  done
}
trap stop_all EXIT

# each app: a scratch data folder, a tiny image and a one-operation job; its job's URL in $BENCH/<name>.url
start() {  # start NAME PORT EXTRA_ARGS...
  local name=$1 port=$2
  shift 2
  OUT=$BENCH/$name PORT=$port EXTRA_ARGS="$*"
  mkdir -p "$OUT"
  # shellcheck source=bench/start-app.sh
  source bench/start-app.sh
  trap stop_all EXIT  # start-app.sh set its own; one handler stops both apps
  echo "$APP" > "$OUT/pid"
  printf '%s\n' "${AUTH[@]}" > "$OUT/auth"
  ffmpeg -loglevel error -f lavfi -i testsrc2=size=64x48 -frames:v 1 -y "$OUT/tiny.jpg"
  local id job
  id=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$port/api/v1/assets?filename=tiny.jpg" -H 'Content-Type: image/jpeg' \
    --data-binary @"$OUT/tiny.jpg" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  job=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$port/api/v1/jobs" -H 'Content-Type: application/json' \
    -d "{\"assetId\":\"$id\",\"operations\":[{\"width\":16}]}" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
  echo "http://127.0.0.1:$port/api/v1/jobs/$job" > "$BENCH/$name.url"
}

start signed "$BASE_PORT"
start unchecked "$((BASE_PORT + 1))" --caravan.security.enabled=false

run() {  # run NAME SECONDS: requests/s of wrk against NAME's job
  local header=()
  [ "$1" = signed ] && header=(-H "$(sed -n 2p "$BENCH/signed/auth")")
  wrk -t2 -c"$CONNECTIONS" -d"$2" --latency "${header[@]}" "$(cat "$BENCH/$1.url")" > "$BENCH/wrk-$1.txt"
  if ! grep -q "Requests/sec" "$BENCH/wrk-$1.txt" || grep -q "Non-2xx" "$BENCH/wrk-$1.txt"; then
    echo "wrk against $1 did not get 200s:" >&2
    cat "$BENCH/wrk-$1.txt" >&2
    exit 1
  fi
  awk '/Requests\/sec/ {print $2}' "$BENCH/wrk-$1.txt"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

run signed "$WARMUP" >/dev/null
run unchecked "$WARMUP" >/dev/null
SIGNED=()
UNCHECKED=()
RATIOS=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    SIGNED+=("$(run signed "$DURATION")"); UNCHECKED+=("$(run unchecked "$DURATION")")
  else
    UNCHECKED+=("$(run unchecked "$DURATION")"); SIGNED+=("$(run signed "$DURATION")")
  fi
  RATIOS+=("$(awk -v s="${SIGNED[-1]}" -v u="${UNCHECKED[-1]}" 'BEGIN { printf "%.2f", s / u }')")
  echo "round $round: with a token ${SIGNED[-1]} requests/s, checks off ${UNCHECKED[-1]} requests/s, ratio ${RATIOS[-1]}"
done
echo
echo "GET /api/v1/jobs/{id}, $CONNECTIONS connections, $ROUNDS rounds of $DURATION (medians):"
echo "  with a token: $(median "${SIGNED[@]}") requests/s; checks off: $(median "${UNCHECKED[@]}") requests/s"
echo "  ratio $(median "${RATIOS[@]}") (the median of the rounds' ratios; target >= 0.85)"
