#!/usr/bin/env bash
# The web console on loopback, in one run:
#   - each file the console serves (its page, modules, styles, the vendored libraries) timed through the app and
#     through nginx serving the same folder (the reference for static files), N requests each after a warm-up;
#   - the API reads each view makes when it opens (assets, projects, library, playlists, keys, the operators' queues),
#     with some data in place, timed the same way;
#   - the first page's weight: the bytes of JavaScript the page loads before its first view is shown (the page's
#     module, what it imports, and the assets view with its imports), against the 300 KB budget.
# Prints p50 / p95 / max in ms per URL. Target: every page answers within 300 ms.
#
#   bench/console-pages.sh   N (default 200), PORT (default 18120)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-200}
PORT=${PORT:-18120}
OUT=$PWD/target/bench/console-pages
rm -rf "$OUT" && mkdir -p "$OUT"
command -v nginx >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
flock /tmp/caravan-mvn.lock mvn -q -B -o -DskipTests compile 9>&-

# shellcheck source=bench/start-app.sh
source bench/start-app.sh
STATIC=$PWD/target/classes/static

# nginx on the same files, a free port, its own prefix (no root config touched)
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$OUT/nginx/logs"
cat > "$OUT/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  server { listen 127.0.0.1:$NGINX_PORT; root $STATIC; }
}
CONF
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; kill $APP 2>/dev/null; pkill -f "caravan.data-dir=$OUT/data" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/index.html" >/dev/null && break; sleep 0.1; done

# some data, so the API reads return pages, not empty lists
ADMIN=(-H "Authorization: Bearer $TOKEN")
ffmpeg -loglevel error -f lavfi -i testsrc2=size=320x240 -frames:v 1 -y "$OUT/still.jpg"
for i in $(seq 12); do
  curl -sf "${ADMIN[@]}" -XPOST "localhost:$PORT/api/v1/assets?filename=still-$i.jpg" -H 'Content-Type: image/jpeg' \
    --data-binary @"$OUT/still.jpg" >/dev/null
done
curl -sf "${ADMIN[@]}" -XPOST "localhost:$PORT/api/v1/projects" -H 'Content-Type: application/json' \
  -d '{"name":"Interviews"}' >/dev/null
curl -sf "${ADMIN[@]}" -XPOST "localhost:$PORT/api/v1/playlists" -H 'Content-Type: application/json' \
  -d '{"name":"Pitch"}' >/dev/null
sleep 3

time_url() {  # time_url URL [curl args...]: p50 p95 max in ms over N requests, after N/10 unmeasured
  local url=$1
  shift
  for _ in $(seq $((N / 10 + 1))); do curl -s -o /dev/null "$@" "$url"; done
  for _ in $(seq "$N"); do
    code=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$@" "$url")
    [ "${code%% *}" = 200 ] || { echo "$url answered ${code%% *}" >&2; exit 1; }
    echo "${code#* }"
  done | sort -n | awk '{v[NR]=$1*1000} END {printf "%7.1f %7.1f %7.1f", v[int(NR*0.5)], v[int(NR*0.95)], v[NR]}'
}

echo "$N requests each, ms (p50 p95 max)"
printf '%-44s %-24s %-24s\n' "console file" "app" "nginx (same files)"
FILES=(/ $(cd "$STATIC" && find console vendor -type f \( -name '*.js' -o -name '*.css' \) | sort | sed 's|^|/|'))
for f in "${FILES[@]}"; do
  printf '%-44s %-24s %-24s\n' "$f" "$(time_url "http://127.0.0.1:$PORT$f")" "$(time_url "http://127.0.0.1:$NGINX_PORT$f")"
done
echo
printf '%-44s %-24s\n' "API read a view makes when it opens" "app"
for path in /api/v1/console "/api/v1/assets?limit=24" /api/v1/projects /api/v1/library/items /api/v1/playlists \
    /api/v1/api-keys /api/v1/ops/queues; do
  printf '%-44s %-24s\n' "$path" "$(time_url "http://127.0.0.1:$PORT$path" "${ADMIN[@]}")"
done

echo
python3 - "$STATIC" <<'PY'
import os, re, sys
static = sys.argv[1]
seen = set()
def walk(path):
    if path in seen:
        return
    seen.add(path)
    text = open(os.path.join(static, path.lstrip('/'))).read()
    for imported in re.findall(r"^\s*import\s[^;]*?from\s+'(\.{1,2}/[^']+)'", text, re.M):
        walk(os.path.normpath(os.path.join(os.path.dirname(path), imported)))
walk('/console/app.js')
walk('/console/views/assets.js')
total = sum(os.path.getsize(os.path.join(static, p.lstrip('/'))) for p in seen)
print(f"first page's JavaScript: {total / 1000:.1f} KB in {len(seen)} modules (budget 300 KB): " + ", ".join(sorted(seen)))
PY
