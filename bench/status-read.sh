#!/usr/bin/env bash
# Status reads against the store's own read rate, in one run: GET /api/v1/jobs/{id} and GET /api/v1/assets/{id} under
# wrk, beside GetItem of the same job item through the AWS SDK (routes.store.bench.GetItemBench, another JVM) against
# the app's embedded DynamoDB, with as many connections/threads. Rounds alternate which goes first; medians printed,
# with the API's rate as a share of the store's and wrk's p99. Each side's CPU time per request is printed too (the
# app's process for the API; GetItemBench's process plus the app's, which serves the store, for GetItem): on a shared
# machine it moves less than a rate does.
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

APP_PID=$(pgrep -f "routes.CaravanApplication.*caravan.data-dir=$OUT/data" | head -1)
app_cpu() { awk '{print $14+$15}' "/proc/$APP_PID/stat"; }  # the app's CPU time so far, in clock ticks
TICK_US=$((1000000 / $(getconf CLK_TCK)))

api() {  # api PATH SECONDS: requests/s, p99 (ms) of wrk against PATH, and the app's CPU per request (us)
  local cpu; cpu=$(app_cpu)
  wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -H "$(printf '%s' "${AUTH[1]}")" "http://127.0.0.1:$PORT$1" > "$OUT/wrk.txt"
  if ! grep -q "Requests/sec" "$OUT/wrk.txt" || grep -q "Non-2xx" "$OUT/wrk.txt"; then
    echo "wrk against $1 did not get 200s:" >&2; cat "$OUT/wrk.txt" >&2; exit 1
  fi
  cpu=$(( ($(app_cpu) - cpu) * TICK_US ))
  awk -v cpu="$cpu" '/Requests\/sec/ {r=$2} / 99%/ {p=$2} / requests in / {n=$1} END {
    if (p ~ /us$/) {sub(/us$/,"",p); p=p/1000} else if (p ~ /ms$/) {sub(/ms$/,"",p)} else if (p ~ /s$/) {sub(/s$/,"",p); p=p*1000}
    printf "%s %.2f %.0f\n", r, p, cpu/n}' "$OUT/wrk.txt"
}
store() {  # store SECONDS: requests/s and p99 (ms) of GetItem, and the CPU per request (us) of client and store
  java -Xmx512m -cp "$CP" routes.store.bench.GetItemBench "$DYNAMO" "$TABLE" "$JOB" "$CONNECTIONS" "$1" "$KEYS" \
    "$APP_PID" 2>/dev/null | awk '/^GetItem:/ {r=$(NF-7); p=$(NF-1)} /CPU:/ {c+=$3} END {printf "%s %s %.0f\n", r, p, c}'
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

secs=${DURATION%s}
api "/api/v1/jobs/$JOB" "$WARMUP" >/dev/null
api "/api/v1/assets/$ASSET" "$WARMUP" >/dev/null
store "$secs" >/dev/null
S=(); SP=(); SC=(); J=(); JP=(); JC=(); A=(); AP=(); AC=(); F=(); FC=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    read -r s sp sc < <(store "$secs"); read -r j jp jc < <(api "/api/v1/jobs/$JOB" "$DURATION")
    read -r a ap ac < <(api "/api/v1/assets/$ASSET" "$DURATION")
  else
    read -r a ap ac < <(api "/api/v1/assets/$ASSET" "$DURATION"); read -r j jp jc < <(api "/api/v1/jobs/$JOB" "$DURATION")
    read -r s sp sc < <(store "$secs")
  fi
  # the floor: a route that reads no store (the console's settings) through the same server, filters and token
  read -r f _ fc < <(api /api/v1/console "$DURATION")
  F+=("$f"); FC+=("$fc")
  S+=("$s"); SP+=("$sp"); SC+=("$sc"); J+=("$j"); JP+=("$jp"); JC+=("$jc"); A+=("$a"); AP+=("$ap"); AC+=("$ac")
  echo "round $round: GetItem $s/s (p99 $sp ms, $sc us CPU); GET job $j/s (p99 $jp ms, $jc us);" \
    "GET asset $a/s (p99 $ap ms, $ac us); GET console $f/s ($fc us)"
done
s=$(median "${S[@]}"); j=$(median "${J[@]}"); a=$(median "${A[@]}")
sc=$(median "${SC[@]}"); jc=$(median "${JC[@]}"); ac=$(median "${AC[@]}")
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.2f", x/y}'; }
echo
echo "$CONNECTIONS connections, $ROUNDS rounds of $DURATION (medians):"
echo "  the store's GetItem through the SDK: $s requests/s, p99 $(median "${SP[@]}") ms, $sc us of CPU per request"
echo "  GET /api/v1/jobs/{id}:   $j requests/s, p99 $(median "${JP[@]}") ms: $(ratio "$j" "$s") of the store's;" \
  "$jc us of CPU per request: the store's $(ratio "$sc" "$jc") of it"
echo "  GET /api/v1/assets/{id}: $a requests/s, p99 $(median "${AP[@]}") ms: $(ratio "$a" "$s") of the store's;" \
  "$ac us of CPU per request: the store's $(ratio "$sc" "$ac") of it"
echo "  GET /api/v1/console (no store read, the same server, filters and token): $(median "${F[@]}") requests/s," \
  "$(median "${FC[@]}") us of CPU per request"
echo "  (targets: 0.80 of the store's rate, p99 <= 50 ms. CPU per request: the app's process, the embedded store in it"
echo "  included, over the requests wrk counted; the store's: GetItemBench's own process and the app's over its run)"
