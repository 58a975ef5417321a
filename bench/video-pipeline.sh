#!/usr/bin/env bash
# The video pipeline end to end: a 30 s 1080p clip uploaded to a running Caravan (embedded stack, scratch data
# folder), timed until its transcode step is done (upload, queue hops, probe, S3 copy in, the ladder in one ffmpeg
# run, three uploads, the job updated) and until the whole job (probe, ladder, thumbnails and preview, audio,
# speech-to-text) has SUCCEEDED. Two deployments, one after the other:
#   all      one process runs every worker on this machine's cores (the embedded default), so thumbnails, preview
#            and speech-to-text share the CPU with the ladder;
#   ladder   the process runs only the probe and transcode workers, as a transcode pod does when each worker kind
#            has its own pods (the Helm chart): the pipeline's own cost around the ladder.
# Each mode puts a 3 s clip and the clip itself through first, untimed, so the JVM has compiled the path, as in a
# server that has been up for a while (a cold JVM spends a few CPU seconds compiling during the first long job). It prints wall times and the CPU seconds spent (the app's JVM with the embedded AWS
# stack, and the processes it ran: ffmpeg, pocketsphinx). Then, in the same run, bench/video-ladder.sh times the same
# ladder on the same clip as raw ffmpeg (one command; three runs).
#
#   bench/video-pipeline.sh        CLIP_SECONDS (default 30), ROUNDS (default 3; medians), PORT (default 18081),
#                                  MODES (default "all ladder"), LADDER=0 skips the raw runs
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_OF_VIDEO=${CLIP_SECONDS:-30}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18081}
BENCH=target/bench/pipeline
rm -rf "$BENCH" && mkdir -p "$BENCH"
# holds /tmp/caravan-mvn.lock (the lock local builds take) while timing, so another build does not skew the numbers
exec 9>/tmp/caravan-mvn.lock
flock 9

clip() {  # clip SECONDS FILE: 1080p test pattern with a tone
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$1" \
    -f lavfi -i "sine=frequency=440:duration=$1" -c:v libx264 -preset veryfast -c:a aac -shortest -y "$2"
}
clip 3 "$BENCH/warmup.mp4"
clip "$SECONDS_OF_VIDEO" "$BENCH/clip.mp4"

busy() {  # CPU seconds this machine has spent busy since boot
  awk '/^cpu /{printf "%.2f\n", ($2+$3+$4+$7+$8)/100}' /proc/stat
}
jvm() {  # CPU seconds of the app's JVM itself, and of the processes it ran and reaped (ffmpeg, pocketsphinx)
  awk '{printf "%.2f %.2f\n", ($14+$15)/100, ($16+$17)/100}' "/proc/$JAVA_PID/stat"
}
since() { awk "BEGIN{printf \"%.1f\", $2-$1}"; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

updated() {  # the updatedAt of a job's JSON, as seconds since the epoch
  date -d "$(grep -o '"updatedAt":"[^"]*"' <<<"$1" | cut -d'"' -f4)" +%s.%N
}

# Polls as a client would, one small request a second: the asset's jobs until its pipeline job shows, then the job
# itself (one curl and a grep). The times come from the job: its updatedAt when the poll sees the transcode step done
# (ladder: nothing else writes the job after it) or the job over, so the poll's interval does not add to them.
pipeline() {  # pipeline FILE WAIT_FOR_JOB: uploads it, waits; sets START, TRANSCODED, END, JOB
  START=$(date +%s.%N)
  ID=$(curl -sf -XPOST "localhost:$PORT/api/v1/assets?filename=clip.mp4" -H 'Content-Type: video/mp4' \
    --data-binary @"$1" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  JOB_ID=""
  until [ -n "$JOB_ID" ]; do
    sleep 0.5
    JOB_ID=$(curl -s "localhost:$PORT/api/v1/jobs?assetId=$ID" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
  done
  TRANSCODED=""
  while true; do
    BODY=$(curl -s "localhost:$PORT/api/v1/jobs/$JOB_ID")
    JOB=$(grep -o '"status":"[A-Z]*"' <<<"$BODY" | head -1 | cut -d'"' -f4)
    if [ -z "$TRANSCODED" ] && grep -q '"name":"transcode","status":"SUCCEEDED"' <<<"$BODY"; then
      TRANSCODED=$(updated "$BODY")
      [ "$2" = job ] || break
    fi
    case "$JOB" in SUCCEEDED|FAILED) break ;; esac
    sleep 1
  done
  END=$(updated "$BODY")
  [ -z "$TRANSCODED" ] && TRANSCODED=$END
  return 0
}

measure() {  # measure MODE WAIT_FOR EXTRA_ARGS
  OUT=$BENCH/$1
  mkdir -p "$OUT"
  EXTRA_ARGS="--caravan.limits.direct-upload=200MB --logging.level.routes.media=INFO $3" source bench/start-app.sh
  JAVA_PID=$(pgrep -f -- "-cp .*caravan.data-dir=$OUT/data" | head -1)
  pipeline "$BENCH/warmup.mp4" "$2"
  pipeline "$BENCH/clip.mp4" "$2"
  sleep 5
  local cpu jvm0 children0 jvm1 children1 round transcoded=() whole=()
  cpu=$(busy)
  read -r jvm0 children0 <<<"$(jvm)"
  for round in $(seq 1 "$ROUNDS"); do
    local before after
    read -r before _ <<<"$(jvm)"
    pipeline "$BENCH/clip.mp4" "$2"
    read -r after _ <<<"$(jvm)"
    transcoded+=("$(since "$START" "$TRANSCODED")")
    whole+=("$(since "$START" "$END")")
    echo "  round $round ($1): $([ "$2" = job ] && echo "job $JOB after ${whole[-1]} s" || echo "transcode step done after ${transcoded[-1]} s"); JVM $(since "$before" "$after") CPU s"
  done
  read -r jvm1 children1 <<<"$(jvm)"
  if [ "$2" = job ]; then
    echo "pipeline ($1): job done after $(median "${whole[@]}") s (median)"
  else
    echo "pipeline ($1): transcode step done after $(median "${transcoded[@]}") s (median)"
  fi
  RESULT_TRANSCODED[$1]=$(median "${transcoded[@]}")
  RESULT_JOB[$1]=$(median "${whole[@]}")
  echo "  cpu per clip: $(awk "BEGIN{printf \"%.1f\", ($(busy)-$cpu)/$ROUNDS}") s busy on the machine: the app's JVM" \
    "$(awk "BEGIN{printf \"%.1f\", ($jvm1-$jvm0)/$ROUNDS}") s (with the embedded AWS stack), its ffmpeg and STT processes" \
    "$(awk "BEGIN{printf \"%.1f\", ($children1-$children0)/$ROUNDS}") s"
  kill "$APP" 2>/dev/null || true
  pkill -f "caravan.data-dir=$OUT/data" 2>/dev/null || true
  while pgrep -f -- "-cp .*caravan.data-dir=$OUT/data" >/dev/null; do sleep 0.5; done
}

declare -A RESULT_TRANSCODED RESULT_JOB
MODES=${MODES:-all ladder}
[[ " $MODES " == *" all "* ]] && measure all job ""
[[ " $MODES " == *" ladder "* ]] && measure ladder transcode "--caravan.worker.queues=caravan-probe,caravan-transcode"
exec 9>&-
[ "${LADDER:-1}" = 0 ] && exit 0
bench/video-ladder.sh "$SECONDS_OF_VIDEO" "$ROUNDS" "$PWD/$BENCH/clip.mp4" | tee "$BENCH/ladder.txt"
RAW=$(sed -nE 's/^\(b\) raw ffmpeg, one command +([0-9.]+) s.*/\1/p' "$BENCH/ladder.txt")
THREE=$(sed -nE 's/^\(c\) raw ffmpeg, [0-9]+ separate runs +([0-9.]+) s.*/\1/p' "$BENCH/ladder.txt")
ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }
echo
[ -n "${RESULT_TRANSCODED[ladder]:-}" ] && echo "ladder worker on its own (ladder):   transcode step $(ratio "${RESULT_TRANSCODED[ladder]}" "$RAW")x the raw command," \
  "$(ratio "${RESULT_TRANSCODED[ladder]}" "$THREE")x the three runs (targets: <= 1.10, < 1)"
[ -n "${RESULT_JOB[all]:-}" ] && echo "every worker in one process (all):   job $(ratio "${RESULT_JOB[all]}" "$RAW")x the raw command," \
  "$(ratio "${RESULT_JOB[all]}" "$THREE")x the three runs"
