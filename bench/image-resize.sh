#!/usr/bin/env bash
# Times Caravan's ImageResizer against vipsthumbnail on the same 4000x3000 JPEG, resizing to 320 px wide, with one
# client and with several at once.
#
#   bench/image-resize.sh [SOURCE.jpg]
#
# Without SOURCE a photo-like 4000x3000 JPEG is generated in target/bench/. Settings from the environment:
# ITERATIONS (default 30, per client), WARMUP (default 15, Java only: JIT), WIDTH (default 320), CLIENTS (default
# "1 2 4": each count is a run where that many clients resize at once), FORMAT (default jpg; webp: both sides write
# WebP, Caravan through libwebp in webp-imageio, vips through its own libwebp; avif: both write AVIF through libheif
# and aom, Caravan by running heif-enc per image, vips in its process).
# Installs vipsthumbnail (Debian libvips-tools) when it is missing, which needs root.
# Both sides write a file per image: Caravan inspects + renders (quality 82), vipsthumbnail runs once per image
# as a process (quality 82, metadata stripped), so its process start-up is part of its time. With N clients, N
# threads (Caravan) or N loops of vipsthumbnail processes (vips) run at once, and the time per image is the wall
# time over all N x ITERATIONS images.
# It runs Maven itself (test-compile, the classpath) and takes no lock: where builds share the machine, run the
# whole script under their lock, so nothing else runs while it measures.
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=${ITERATIONS:-30}
WARMUP=${WARMUP:-15}
WIDTH=${WIDTH:-320}
CLIENTS=${CLIENTS:-1 2 4}
FORMAT=${FORMAT:-jpg}
OUT=target/bench
mkdir -p "$OUT"
# vips' save options: quality 82, no metadata; for AVIF the encoder's effort Caravan's heif-enc runs at (libheif's
# aom speed 6 by default, which is vips' effort 3: vips sets speed = 9 - effort), so both do the same work
VIPS_SAVE="Q=82,strip"
[ "$FORMAT" = avif ] && VIPS_SAVE="Q=82,strip,effort=3"

if ! command -v vipsthumbnail >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "vipsthumbnail is missing: install libvips-tools as root (apt-get install libvips-tools)" >&2
    exit 1
  fi
  echo "installing libvips-tools..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvips-tools >/dev/null
fi

mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="target/classes:target/test-classes:$(cat target/cp.txt)"

if [ $# -ge 1 ]; then
  SOURCE=$1
else
  SOURCE=$OUT/source-4000x3000.jpg
  java -cp "$CP" routes.images.bench.ResizeBench --generate "$SOURCE" --iterations 1 --warmup 0 \
    --out "$OUT/caravan.jpg" >/dev/null
fi

# N loops of one vipsthumbnail process per image at once; prints ms per image (wall time over all images)
vips_ms() {
  local n=$1 start end
  start=$(date +%s%N)
  for c in $(seq "$n"); do
    # vipsthumbnail resolves a relative -o against the source's folder
    ( for _ in $(seq "$ITERATIONS"); do vipsthumbnail "$SOURCE" --size "${WIDTH}x" -o "$PWD/$OUT/vips-$c.$FORMAT[$VIPS_SAVE]"; done ) &
  done
  wait
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" -v n="$ITERATIONS" -v c="$n" 'BEGIN { printf "%.2f", (e - s) / 1e6 / (n * c) }'
}

for _ in 1 2 3; do vipsthumbnail "$SOURCE" --size "${WIDTH}x" -o "$PWD/$OUT/vips-1.$FORMAT[$VIPS_SAVE]"; done # page cache, shared libraries
VIPS_SIZE=$(vipsheader "$OUT/vips-1.$FORMAT" 2>/dev/null || true)

# what a vips process costs before it does any work (library and module loading), for context
START=$(date +%s%N)
for _ in $(seq "$ITERATIONS"); do vips --version >/dev/null; done
END=$(date +%s%N)
STARTUP_MS=$(awk -v s="$START" -v e="$END" -v n="$ITERATIONS" 'BEGIN { printf "%.2f", (e - s) / 1e6 / n }')

ROWS=()
for n in $CLIENTS; do
  java -Xmx1g -cp "$CP" routes.images.bench.ResizeBench --source "$SOURCE" --width "$WIDTH" --clients "$n" \
    --iterations "$ITERATIONS" --warmup "$WARMUP" --out "$OUT/caravan.$FORMAT" | tee "$OUT/caravan-$n.txt"
  CARAVAN_MS=$(sed -n 's/^caravan-ms-per-image=//p' "$OUT/caravan-$n.txt")
  VIPS_MS=$(vips_ms "$n")
  echo "vipsthumbnail: $VIPS_SIZE; $n client(s) x $ITERATIONS runs: $VIPS_MS ms per image (process start included)"
  ROWS+=("$n $CARAVAN_MS $VIPS_MS")
done

echo
echo "'vips --version' alone takes $STARTUP_MS ms (a vips process's start-up)"
printf '%-8s %16s %22s %8s\n' clients "caravan ms/image" "vipsthumbnail ms/image" ratio
for row in "${ROWS[@]}"; do
  read -r n c v <<<"$row"
  awk -v n="$n" -v c="$c" -v v="$v" 'BEGIN { printf "%-8s %16.2f %22.2f %7.2fx\n", n, c, v, c / v }'
done
read -r n c v <<<"${ROWS[0]}"
awk -v n="$n" -v c="$c" -v v="$v" -v s="$STARTUP_MS" \
  'BEGIN { if (v > s) printf "ratio without vips start-up, %s client(s): %.2fx (caravan / (vipsthumbnail - vips --version))\n", n, c / (v - s) }'
