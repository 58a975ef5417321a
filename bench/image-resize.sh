#!/usr/bin/env bash
# Times Caravan's ImageResizer against vipsthumbnail on the same 4000x3000 JPEG, resizing to 320 px wide.
#
#   bench/image-resize.sh [SOURCE.jpg]
#
# Without SOURCE a photo-like 4000x3000 JPEG is generated in target/bench/. Settings from the environment:
# ITERATIONS (default 30), WARMUP (default 15, Java only: JIT), WIDTH (default 320).
# Installs vipsthumbnail (Debian libvips-tools) when it is missing, which needs root.
# Both sides write a file per image: Caravan inspects + renders (quality 82), vipsthumbnail runs once per image
# as a process (quality 82, metadata stripped), so its process start-up is part of its time.
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=${ITERATIONS:-30}
WARMUP=${WARMUP:-15}
WIDTH=${WIDTH:-320}
LOCK=/tmp/caravan-mvn.lock
OUT=target/bench
mkdir -p "$OUT"

if ! command -v vipsthumbnail >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "vipsthumbnail is missing: install libvips-tools as root (apt-get install libvips-tools)" >&2
    exit 1
  fi
  echo "installing libvips-tools..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvips-tools >/dev/null
fi

flock "$LOCK" mvn -q -B test-compile
flock "$LOCK" mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="target/classes:target/test-classes:$(cat target/cp.txt)"

if [ $# -ge 1 ]; then
  SOURCE_ARGS=(--source "$1")
  SOURCE=$1
else
  SOURCE=$OUT/source-4000x3000.jpg
  SOURCE_ARGS=(--generate "$SOURCE")
fi

java -Xmx1g -cp "$CP" routes.images.bench.ResizeBench "${SOURCE_ARGS[@]}" --width "$WIDTH" \
  --iterations "$ITERATIONS" --warmup "$WARMUP" --out "$OUT/caravan.jpg" | tee "$OUT/caravan.txt"
CARAVAN_MS=$(sed -n 's/^caravan-ms-per-image=//p' "$OUT/caravan.txt")

VIPS_OUT="$PWD/$OUT/vips.jpg[Q=82,strip]" # vipsthumbnail resolves a relative -o against the source's folder
for _ in 1 2 3; do vipsthumbnail "$SOURCE" --size "${WIDTH}x" -o "$VIPS_OUT"; done # page cache, shared libraries
START=$(date +%s%N)
for _ in $(seq "$ITERATIONS"); do
  vipsthumbnail "$SOURCE" --size "${WIDTH}x" -o "$VIPS_OUT"
done
END=$(date +%s%N)
VIPS_MS=$(awk -v s="$START" -v e="$END" -v n="$ITERATIONS" 'BEGIN { printf "%.2f", (e - s) / 1e6 / n }')
VIPS_SIZE=$(vipsheader "$OUT/vips.jpg" 2>/dev/null || true)

# what a vips process costs before it does any work (library and module loading), for context
START=$(date +%s%N)
for _ in $(seq "$ITERATIONS"); do vips --version >/dev/null; done
END=$(date +%s%N)
STARTUP_MS=$(awk -v s="$START" -v e="$END" -v n="$ITERATIONS" 'BEGIN { printf "%.2f", (e - s) / 1e6 / n }')

echo "vipsthumbnail: $VIPS_SIZE; $ITERATIONS runs: mean $VIPS_MS ms (process start included; 'vips --version' alone takes $STARTUP_MS ms)"
echo
printf 'caravan       %8.2f ms/image\n' "$CARAVAN_MS"
printf 'vipsthumbnail %8.2f ms/image\n' "$VIPS_MS"
awk -v c="$CARAVAN_MS" -v v="$VIPS_MS" 'BEGIN { printf "ratio         %8.2fx (caravan / vipsthumbnail)\n", c / v }'
awk -v c="$CARAVAN_MS" -v v="$VIPS_MS" -v s="$STARTUP_MS" \
  'BEGIN { if (v > s) printf "ratio without vips start-up %.2fx (caravan / (vipsthumbnail - vips --version))\n", c / (v - s) }'
