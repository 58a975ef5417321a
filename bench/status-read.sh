#!/usr/bin/env bash
# Status reads against the store's own read rate, in one run: GET /api/v1/jobs/{id} and GET /api/v1/assets/{id} under
# wrk, beside GetItem of the same job item through the AWS SDK (routes.store.bench.GetItemBench, another JVM) against
# the app's embedded DynamoDB, with as many connections/threads. Rounds alternate which goes first; medians printed,
# with the API's rate as a share of the store's and wrk's p99.
#
#   bench/status-read.sh    CONNECTIONS (default 16), DURATION (default 15s), WARMUP (default 60s), ROUNDS (default 5),
#                           PORT (default 18110)
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-60s}
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18110}
OUT=$PWD/target/bench/status-read
rm -rf "$OUT" && mkdir -p "$OUT"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
CP="target/test-classes:target/classes:$(cat target/cp.txt)"

# shellcheck source=bench/start-app.sh
source bench/start-app.sh
ADMIN=(-H "Authorization: Bearer $TOKEN")

ffmpeg -loglevel error -f lavfi -i testsrc2=size=64x48 -frames:v 1 -y "$OUT/tiny.jpg"
ASSET=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/assets?filename=tiny.jpg" -H 'Content-Type: image/jpeg' \
  --data-binary @"$OUT/tiny.jpg" | sed -E 's/.*"id":"([^"]+)".*/\1/')
JOB=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/jobs" -H 'Content-Type: application/json' \
  -d "{\"assetId\":\"$ASSET\",\"operations\":[{\"width\":16}]}" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
for _ in $(seq 60); do
  curl -sf "${AUTH[@]}" "localhost:$PORT/api/v1/jobs/$JOB" | grep -q '"status":"SUCCEEDED"' && break
  sleep 1
done
# the embedded DynamoDB's endpoint, from the admin's health details
DYNAMO=$(curl -s "${ADMIN[@]}" "localhost:$PORT/actuator/health" | python3 -c '
import json, sys
print(json.load(sys.stdin)["components"]["dynamodb"]["details"]["endpoint"])')
TABLE=${CARAVAN_TABLES_JOBS:-caravan-jobs}
KEYS=$OUT/data/embedded/keys.properties

api() {  # api PATH SECONDS: requests/s and p99 (ms) of wrk against PATH
  wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -H "$(printf '%s' "${AUTH[1]}")" "http://127.0.0.1:$PORT$1" > "$OUT/wrk.txt"
  if ! grep -q "Requests/sec" "$OUT/wrk.txt" || grep -q "Non-2xx" "$OUT/wrk.txt"; then
    echo "wrk against $1 did not get 200s:" >&2; cat "$OUT/wrk.txt" >&2; exit 1
  fi
  awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {
    if (p ~ /us$/) {sub(/us$/,"",p); p=p/1000} else if (p ~ /ms$/) {sub(/ms$/,"",p)} else if (p ~ /s$/) {sub(/s$/,"",p); p=p*1000}
    printf "%s %.2f\n", r, p}' "$OUT/wrk.txt"
}
store() {  # store SECONDS: requests/s and p99 (ms) of GetItem
  java -Xmx512m -cp "$CP" routes.store.bench.GetItemBench "$DYNAMO" "$TABLE" "$JOB" "$CONNECTIONS" "$1" "$KEYS" 2>/dev/null \
    | grep '^GetItem:' | sed -E 's/.* ([0-9.]+) requests\/s, p50 [0-9.]+ ms, p99 ([0-9.]+) ms/\1 \2/'
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

secs=${DURATION%s}
api "/api/v1/jobs/$JOB" "$WARMUP" >/dev/null
api "/api/v1/assets/$ASSET" "$WARMUP" >/dev/null
store "$secs" >/dev/null
S=(); SP=(); J=(); JP=(); A=(); AP=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    read -r s sp < <(store "$secs"); read -r j jp < <(api "/api/v1/jobs/$JOB" "$DURATION")
    read -r a ap < <(api "/api/v1/assets/$ASSET" "$DURATION")
  else
    read -r a ap < <(api "/api/v1/assets/$ASSET" "$DURATION"); read -r j jp < <(api "/api/v1/jobs/$JOB" "$DURATION")
    read -r s sp < <(store "$secs")
  fi
  S+=("$s"); SP+=("$sp"); J+=("$j"); JP+=("$jp"); A+=("$a"); AP+=("$ap")
  echo "round $round: GetItem $s/s (p99 $sp ms); GET job $j/s (p99 $jp ms); GET asset $a/s (p99 $ap ms)"
done
s=$(median "${S[@]}"); j=$(median "${J[@]}"); a=$(median "${A[@]}")
echo
echo "$CONNECTIONS connections, $ROUNDS rounds of $DURATION (medians):"
echo "  the store's GetItem through the SDK: $s requests/s, p99 $(median "${SP[@]}") ms"
echo "  GET /api/v1/jobs/{id}:   $j requests/s, p99 $(median "${JP[@]}") ms: $(awk -v x="$j" -v y="$s" 'BEGIN{printf "%.2f", x/y}') of the store's"
echo "  GET /api/v1/assets/{id}: $a requests/s, p99 $(median "${AP[@]}") ms: $(awk -v x="$a" -v y="$s" 'BEGIN{printf "%.2f", x/y}') of the store's"
echo "  (targets: 0.80 of the store's rate, p99 <= 50 ms)"
