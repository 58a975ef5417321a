#!/usr/bin/env bash
# How long after a change the library's search finds it: an item's title edited ROUNDS times (PATCH
# /api/v1/library/items/{id}), each time the search for the new title polled every 20 ms until it answers; the lag from
# the PATCH's answer to the first search that finds it, min/median/p95/max in ms. The path it measures: the
# library.changed event through the topic and the caravan-library-index queue to the indexer, which reads the tables
# and updates the embedded index.
#
#   bench/library-lag.sh    ROUNDS (default 30), PORT (default 18120)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-30}
PORT=${PORT:-18120}
OUT=$PWD/target/bench/library-lag
rm -rf "$OUT" && mkdir -p "$OUT"
mvn -q -B compile 9>&-

# shellcheck source=bench/start-app.sh
source bench/start-app.sh

ffmpeg -loglevel error -f lavfi -i sine=duration=2 -metadata title=Start -metadata artist=Bench -y "$OUT/a.mp3"
ASSET=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/assets?filename=a.mp3" -H 'Content-Type: audio/mpeg' \
  --data-binary @"$OUT/a.mp3" | sed -E 's/.*"id":"([^"]+)".*/\1/')
until curl -sf "${AUTH[@]}" "localhost:$PORT/api/v1/library/items?q=start" | grep -q "\"total\":1"; do sleep 0.2; done

python3 - "$PORT" "$TOKEN" "$ASSET" "$ROUNDS" <<'PY'
import json, sys, time, urllib.request
port, token, asset, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(method, path, body=None):
    req = urllib.request.Request(f"http://localhost:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
lags = []
for i in range(rounds):
    word = f"lagword{i}x{int(time.time())}"
    call("PATCH", f"/api/v1/library/items/{asset}", {"tags": {"title": word}})
    changed = time.monotonic()
    while call("GET", f"/api/v1/library/items?q={word}")["total"] != 1:
        time.sleep(0.02)
    lags.append((time.monotonic() - changed) * 1000)
lags.sort()
pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
print(f"index lag after an edit over {rounds} rounds: min {lags[0]:.0f} ms, median {pick(0.5):.0f} ms, "
      f"p95 {pick(0.95):.0f} ms, max {lags[-1]:.0f} ms")
PY
