#!/usr/bin/env bash
# Speech to text: the embedded engine (Moonshine tiny + Silero VAD on ONNX Runtime, one thread) beside pocketsphinx
# on the same clips in one run: per clip the wall and CPU seconds, the real-time factor (CPU seconds per second of
# audio) and the word error rate against what was said; pocketsphinx's peak resident memory (/usr/bin/time) and the
# Moonshine JVM's (VmHWM). The clips are English read by espeak-ng (no package here ships recordings with their text):
# each text of TEXTS below, and all of them one after the other (a long clip with pauses).
#
#   bench/stt.sh    (models from bin/caravan's cache: CARAVAN_MODELS_DIR or ~/.cache/caravan/models)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/target/bench/stt
MODELS=${CARAVAN_MODELS_DIR:-$HOME/.cache/caravan/models}
rm -rf "$OUT" && mkdir -p "$OUT/clips"
for tool in espeak-ng ffmpeg pocketsphinx_continuous /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "stt: $tool is needed (bin/caravan test installs it)" >&2; exit 1; }
done
[ -f "$MODELS/moonshine-tiny/encoder_model.onnx" ] || { echo "stt: no models in $MODELS (run bin/caravan test)" >&2; exit 1; }

TEXTS=(
  "The quick brown fox jumps over the lazy dog. A video editor cuts the interview into a short programme."
  "Please call Stella. Ask her to bring these things with her from the store: six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob."
  "A paper edit is made from the transcripts of the interviews. The producer picks the lines that tell the story, puts them in order, and the editor cuts the rough cut from that script."
  "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. The rainbow is a division of white light into many beautiful colors."
  "Transcripts are searched, annotated and quoted. Each word carries the time it was said, so a quote can be played back from the recording."
)
i=0
: > "$OUT/clips/all.txt"
for text in "${TEXTS[@]}"; do
  i=$((i + 1))
  espeak-ng -v en-us -s 140 -w "$OUT/clips/clip$i.wav" "$text"
  ffmpeg -loglevel error -y -i "$OUT/clips/clip$i.wav" -ar 16000 -ac 1 -f s16le "$OUT/clips/clip$i.raw"
  printf '%s\n' "$text" > "$OUT/clips/clip$i.txt"
  printf '%s ' "$text" >> "$OUT/clips/all.txt"
  head -c 32000 /dev/zero >> "$OUT/clips/all.raw"   # a second of silence before each
  cat "$OUT/clips/clip$i.raw" >> "$OUT/clips/all.raw"
done
for raw in "$OUT"/clips/*.raw; do
  name=${raw%.raw}
  /usr/bin/time -f "%e %U %S %M" -o "$name.ps.time" pocketsphinx_continuous -infile "$raw" -logfn /dev/null \
    > "$name.ps.txt" 2>/dev/null
done

mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" routes.stt.bench.SttBench "$OUT/clips" "$MODELS"
