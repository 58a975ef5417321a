#!/usr/bin/env bash
# Speech to text at length, on the embedded default (Moonshine tiny + Silero VAD, one thread), from real speech:
# Asterisk's phone prompts (bench/speech-corpus.tsv, one voice) one after the other, half a second apart, repeated
# to make the lengths below.
#   1. An hour (rounds of the prompts: 63 minutes), the server alone: the embedded server in a JVM of its own (routes.stt.bench.SttServerBench) sent
#      the whole file over HTTP as a client sends it: wall and CPU time, real-time factor, and the process's
#      resident memory while it works, its heap capped at SERVER_HEAP (the engine reads the audio a block at a time:
#      a small heap holds it; with the JVM's default heap, a quarter of the machine's memory, the JVM grows the heap
#      with the garbage of the reads before it collects it).
#   2. Five minutes through the pipeline, beside the engine's own time, ROUNDS times in turn (medians): the upload to
#      a running Caravan (embedded stack, scratch data folder) until its transcript is served (upload, probe, speech
#      audio, the event, the stt step, the transcript stored and read back) against the same speech audio posted
#      straight to the app's embedded speech-to-text server (the engine's own time, the same engine and thread).
#   3. The hour through the pipeline: the stt step's progress as the job shows it, polled every 2 s, with the time
#      each change was seen, and the app's peak resident memory.
#
#   bench/stt-pipeline.sh     ROUNDS (default 3), HOUR_SECONDS (default 3600), PORT (default 18082),
#                             SERVER_HEAP (default 100m), PARTS (default "1 2 3")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/processes.sh
source bench/speech-corpus.sh
ROUNDS=${ROUNDS:-3}
HOUR=${HOUR_SECONDS:-3600}
PORT=${PORT:-18082}
SERVER_HEAP=${SERVER_HEAP:-100m}
PARTS=${PARTS:-1 2 3}
OUT=$ROOT/target/bench/stt-pipeline
MODELS=${CARAVAN_MODELS_DIR:-$HOME/.cache/caravan/models}
rm -rf "$OUT" && mkdir -p "$OUT"
speech_corpus "$OUT/corpus" prompts
# the prompts (10.5 minutes) over and over, as 16 kHz mono WAV, the speech audio the pipeline makes: whole rounds of
# them up to at least HOUR_SECONDS (their text known), and the first five minutes
long() {  # long SECONDS NAME [cut]: rounds of the prompts up to SECONDS, cut at SECONDS when asked
  local raw="$OUT/$2.raw" text="$OUT/$2.txt"
  : > "$raw"; : > "$text"
  while [ "$(stat -c %s "$raw")" -lt $(( $1 * 32000 )) ]; do
    cat "$OUT/corpus/prompts/all.raw" >> "$raw"
    cat "$OUT/corpus/prompts/all.txt" >> "$text"
  done
  ffmpeg -nostdin -loglevel error -y -f s16le -ar 16000 -ac 1 -i "$raw" ${3:+-t "$1"} -c:a pcm_s16le "$OUT/$2.wav"
  rm "$raw"
}
long 300 five cut
long "$HOUR" hour

mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
if [[ " $PARTS " == *" 1 "* ]]; then
  echo "== 1. the hour, the embedded server alone (one thread), in a JVM with a ${SERVER_HEAP} heap"
  java "-Xmx$SERVER_HEAP" -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
    routes.stt.bench.SttServerBench "$MODELS" "$OUT/hour.wav" "$OUT/hour.txt"
fi

[[ " $PARTS " == *" 2 "* || " $PARTS " == *" 3 "* ]] || exit 0
EXTRA_ARGS="--logging.level.routes.embedded=INFO"
source bench/start-app.sh
JAVA_PID=$(pgrep -f "caravan.data-dir=$OUT/data" | while read -r p; do
  [ "$(cat /proc/$p/comm 2>/dev/null)" = java ] && echo "$p"; done | tail -1)
STT=$(grep -o 'Embedded stt listening on http://[^ ]*' "$OUT/app.log" | head -1 | awk '{print $NF}')
[ -n "$STT" ] || { echo "stt-pipeline: the embedded speech-to-text endpoint is not in $OUT/app.log" >&2; exit 1; }

upload() {  # upload FILE: the asset's id; a presigned PUT as a client sends files over the direct-upload limit
  local ticket url id
  ticket=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/uploads" -H 'Content-Type: application/json' \
    -d "{\"filename\":\"speech.wav\",\"contentType\":\"audio/wav\",\"size\":$(stat -c %s "$1")}")
  id=$(sed -E 's/.*"assetId":"([^"]+)".*/\1/' <<<"$ticket")
  url=$(sed -E 's/.*"uploadUrl":"([^"]+)".*/\1/' <<<"$ticket" | sed 's/\\u0026/\&/g')
  curl -sf -XPUT -H 'Content-Type: audio/wav' --data-binary @"$1" "$url" >/dev/null
  curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/assets/$id/complete" >/dev/null
  echo "$id"
}
job() {  # job ASSET: its pipeline job's JSON (empty until a worker has made it)
  curl -sf "${AUTH[@]}" "localhost:$PORT/api/v1/jobs?assetId=$1" | sed -E 's/^\{"items":\[(.*)\].*$/\1/'
}
ended() { grep -qE '"status":"(SUCCEEDED|FAILED|CANCELLED)","progress"' <<<"$1"; }
stt_progress() { grep -oE '"name":"stt","status":"[A-Z]+","attempts":[0-9]+,"progress":[0-9]+' <<<"$1" | sed -E 's/.*"status":"([A-Z]+)".*"progress":([0-9]+)/\1 \2/'; }

if [[ " $PARTS " == *" 2 "* ]]; then
echo "== 2. 300 s: upload to transcript served, beside the engine's own time, $ROUNDS rounds"
engine=(); pipeline=()
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  curl -sf -o /dev/null -F model=whisper-1 -F response_format=verbose_json -F 'timestamp_granularities[]=word' \
    -F file=@"$OUT/five.wav" "$STT/v1/audio/transcriptions"
  t1=$(now); engine+=("$(awk "BEGIN{printf \"%.2f\", $t1-$t0}")")
  t0=$(now)
  id=$(upload "$OUT/five.wav")
  until j=$(job "$id"); [ -n "$j" ] && ended "$j"; do sleep 0.2; done
  grep -q '"status":"SUCCEEDED","progress"' <<<"$j" || { echo "the job did not succeed: $j" >&2; exit 1; }
  curl -sf "${AUTH[@]}" -o /dev/null "localhost:$PORT/api/v1/assets/$id/transcript"
  t1=$(now); pipeline+=("$(awk "BEGIN{printf \"%.2f\", $t1-$t0}")")
  echo "round $round: engine ${engine[-1]} s, pipeline ${pipeline[-1]} s"
done
read -r _ em _ <<<"$(stats "${engine[@]}")"
read -r _ pm _ <<<"$(stats "${pipeline[@]}")"
echo "engine (min median max): $(stats "${engine[@]}") s; pipeline: $(stats "${pipeline[@]}") s"
awk "BEGIN{printf \"pipeline over engine, medians: %.3f (overhead %.1f%%)\n\", $pm/$em, ($pm/$em-1)*100}"
fi
[[ " $PARTS " == *" 3 "* ]] || exit 0

echo "== 3. $HOUR s through the pipeline: the stt step's progress as the job shows it"
t0=$(now)
id=$(upload "$OUT/hour.wav")
last=""
until j=$(job "$id"); [ -n "$j" ] && ended "$j"; do
  p=$(stt_progress "$j" || true)
  if [ -n "$p" ] && [ "$p" != "$last" ]; then
    awk "BEGIN{printf \"%7.1f s  stt %s\n\", $(now)-$t0, \"$p\"}"
    last=$p
  fi
  sleep 2
done
awk "BEGIN{printf \"%7.1f s  job %s\n\", $(now)-$t0, \"$(grep -oE '"status":"[A-Z]+"' <<<"$j" | head -1 | cut -d'"' -f4)\"}"
words=$(curl -sf "${AUTH[@]}" "localhost:$PORT/api/v1/assets/$id/transcript" | grep -o '"word":' | wc -l)
echo "transcript: $words words; the app's peak resident memory (VmHWM, the whole app: embedded AWS stack, API,"\
  "workers, speech server): $(awk '/VmHWM/{printf "%d MB", $2/1024}' /proc/$JAVA_PID/status)"
