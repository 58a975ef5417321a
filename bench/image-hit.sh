#!/usr/bin/env bash
# The on-demand image hit path under load: a stored 320 px rendition served again and again, one client and
# several at once, with wrk (Debian package, installed when missing, as root). Prints requests/s and latency
# percentiles. Starts Caravan on its embedded stack in a scratch data folder and stops it after. A warm-up run
# (WARMUP, at CONNECTIONS) comes first and is not counted, so the JIT has compiled the hit path when measuring.
#
#   bench/image-hit.sh            DURATION (default 15s), WARMUP (default 10s), CONNECTIONS (default 16),
#                                 PORT (default 18080)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18080}
OUT=$PWD/target/bench/hit
rm -rf "$OUT" && mkdir -p "$OUT"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v ffmpeg >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null; }

ffmpeg -loglevel error -f lavfi -i testsrc2=size=4000x3000 -frames:v 1 -q:v 3 -y "$OUT/photo.jpg"

source bench/start-app.sh

ID=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/assets?filename=photo.jpg" -H 'Content-Type: image/jpeg' \
  --data-binary @"$OUT/photo.jpg" | sed -E 's/.*"id":"([^"]+)".*/\1/')
KEY=$(cat "$OUT/data/secrets/image-url-key")
P="w:320/$ID/photo.jpg"
SIG=$(printf '%s' "$P" | openssl dgst -sha256 -hmac "$KEY" -binary | base64 | tr '+/' '-_' | tr -d '=')
URL="http://127.0.0.1:$PORT/img/$SIG/$P"

MISS=$(curl -s -o "$OUT/rendition.jpg" -w '%{time_total}' "$URL")
echo "miss (render + store + stream), one request: $(awk "BEGIN{printf \"%.0f\", $MISS*1000}") ms"
curl -s -o /dev/null "$URL"   # warm
wrk -t$(( CONNECTIONS < 2 ? 1 : 2 )) -c"$CONNECTIONS" -d"$WARMUP" "$URL" > "$OUT/wrk-warmup.txt"

for c in 1 "$CONNECTIONS"; do
  threads=$(( c < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$c" -d"$DURATION" --latency "$URL" > "$OUT/wrk-$c.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$c.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk-$c.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk-$c.txt")
  echo "hit path, $c connection(s): $rps requests/s, p50 $p50, p99 $p99"
done
