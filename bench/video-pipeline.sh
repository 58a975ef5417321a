#!/usr/bin/env bash
# The video pipeline end to end beside raw ffmpeg, in the same run: a 30 s 1080p clip uploaded to a running Caravan
# (embedded stack, scratch data folder), timed until its transcode step is done (upload, the topic to the transcode
# queue, S3 copy in, probe, the ladder in one ffmpeg run, three uploads, the job updated) or until the whole job (probe, ladder,
# thumbnails and preview, audio, speech-to-text) has SUCCEEDED; and the same ladder made from the same clip by one
# raw ffmpeg command and by three separate raw runs (the commands bench/video-ladder.sh runs). Each round runs the
# three in a rotated order, so machine noise falls on all of them alike; the medians are compared.
# Two deployments, one after the other:
#   all      one process runs every worker on this machine's cores (the embedded default), so thumbnails, preview
#            and speech-to-text share the CPU with the ladder;
#   ladder   the process runs only the probe and transcode workers, as a transcode pod does when each worker kind
#            has its own pods (the Helm chart): the pipeline's own cost around the ladder.
# Before timing, WARMUPS short clips and the clip itself three times go through untimed, so the JVM has compiled
# the paths a job takes, as in a server that has been up for a while: a cold JVM spends a few CPU seconds per job
# compiling, and jstat still shows 1-2.6 s of compiling per 30 s job after twenty short ones (the clip's longer
# loops and its visibility heartbeat are paths the short clips do not warm). The app stays up, idle, during the raw
# runs. It prints wall times and the CPU seconds spent (the app's JVM with the embedded AWS stack, and the processes
# it ran: ffmpeg, pocketsphinx).
#
#   bench/video-pipeline.sh        CLIP_SECONDS (default 30), ROUNDS (default 5; medians), WARMUPS (default 20),
#                                  PORT (default 18081), MODES (default "all ladder")
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_OF_VIDEO=${CLIP_SECONDS:-30}
ROUNDS=${ROUNDS:-5}
WARMUPS=${WARMUPS:-20}
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
# the raw commands: (b) one command for the ladder, then (c) one run per rendition
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" routes.media.bench.LadderBench \
  --commands "$PWD/$BENCH/clip.mp4" "$PWD/$BENCH/raw" > "$BENCH/commands.txt"
mkdir -p "$BENCH/raw/b" "$BENCH/raw/c"
raw() {  # raw one|three: runs (b) or (c); sets RAW_SECONDS
  local t0 line
  t0=$(date +%s.%N)
  if [ "$1" = one ]; then
    eval "$(head -1 "$BENCH/commands.txt")" 9>&-
  else
    tail -n +2 "$BENCH/commands.txt" | while IFS= read -r line; do eval "$line" 9>&- </dev/null; done
  fi
  RAW_SECONDS=$(since "$t0" "$(date +%s.%N)")
}

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

# Polls as a client would, one small request a second: the asset's jobs until its pipeline job shows (the first
# worker to take the upload makes it), then the job
# itself (one curl and a grep). The times come from the job: its updatedAt when the poll sees the transcode step done
# (ladder: nothing else writes the job after it) or the job over, so the poll's interval does not add to them.
pipeline() {  # pipeline FILE WAIT_FOR_JOB: uploads it, waits; sets START, TRANSCODED, END, JOB
  START=$(date +%s.%N)
  ID=$(curl -sf "${AUTH[@]}" -XPOST "localhost:$PORT/api/v1/assets?filename=clip.mp4" -H 'Content-Type: video/mp4' \
    --data-binary @"$1" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  JOB_ID=""
  until [ -n "$JOB_ID" ]; do
    sleep 0.5
    JOB_ID=$(curl -s "${AUTH[@]}" "localhost:$PORT/api/v1/jobs?assetId=$ID" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4 || true)
  done
  TRANSCODED=""
  while true; do
    BODY=$(curl -s "${AUTH[@]}" "localhost:$PORT/api/v1/jobs/$JOB_ID")
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
  local i
  for i in $(seq 1 "$WARMUPS"); do pipeline "$BENCH/warmup.mp4" "$2"; done
  for i in 1 2 3; do pipeline "$BENCH/clip.mp4" "$2"; done
  sleep 5
  local cpu jvm0 children0 jvm1 children1 round k pipe=() one=() three=() ratios=() jobcpu=0 idle0 idle1
  for round in $(seq 1 "$ROUNDS"); do
    for k in 0 1 2; do
      case $(( (round - 1 + k) % 3 )) in
        0)
          cpu=$(busy)
          read -r jvm0 children0 <<<"$(jvm)"
          pipeline "$BENCH/clip.mp4" "$2"
          read -r jvm1 children1 <<<"$(jvm)"
          if [ "$2" = job ]; then pipe+=("$(since "$START" "$END")"); else pipe+=("$(since "$START" "$TRANSCODED")"); fi
          echo "  round $round ($1): $([ "$2" = job ] && echo "job $JOB after" || echo "transcode step done after") ${pipe[-1]} s;" \
            "CPU s: machine $(since "$cpu" "$(busy)"), JVM $(since "$jvm0" "$jvm1"), its ffmpeg/STT $(since "$children0" "$children1")"
          ;;
        1)
          cpu=$(busy)
          read -r idle0 _ <<<"$(jvm)"
          raw one; one+=("$RAW_SECONDS")
          read -r idle1 _ <<<"$(jvm)"
          echo "  round $round: raw ffmpeg, one command ${one[-1]} s; CPU s: machine $(since "$cpu" "$(busy)")," \
            "the idle app $(since "$idle0" "$idle1")"
          ;;
        2)
          raw three; three+=("$RAW_SECONDS")
          echo "  round $round: raw ffmpeg, three runs ${three[-1]} s"
          ;;
      esac
    done
    ratios+=("$(awk "BEGIN{printf \"%.3f\", ${pipe[-1]}/${one[-1]}}")")
    sleep 2
  done
  local p o t
  p=$(median "${pipe[@]}"); o=$(median "${one[@]}"); t=$(median "${three[@]}")
  echo "pipeline ($1): $([ "$2" = job ] && echo "job done" || echo "transcode step done") after $p s, raw one command $o s," \
    "three runs $t s (medians of $ROUNDS rounds)"
  echo "  ratio to the raw command $(awk "BEGIN{printf \"%.2f\", $p/$o}") (per round: ${ratios[*]});" \
    "to the three runs $(awk "BEGIN{printf \"%.2f\", $p/$t}")"
  RESULT[$1]="$(awk "BEGIN{printf \"%.2f\", $p/$o}")x the raw command, $(awk "BEGIN{printf \"%.2f\", $p/$t}")x the three runs ($p s; raw $o s, three runs $t s)"
  kill "$APP" 2>/dev/null || true
  pkill -f "caravan.data-dir=$OUT/data" 2>/dev/null || true
  while pgrep -f -- "-cp .*caravan.data-dir=$OUT/data" >/dev/null; do sleep 0.5; done
}

declare -A RESULT
MODES=${MODES:-all ladder}
[[ " $MODES " == *" all "* ]] && measure all job ""
[[ " $MODES " == *" ladder "* ]] && measure ladder transcode "--caravan.worker.queues=caravan-probe,caravan-transcode"
echo
[ -n "${RESULT[ladder]:-}" ] && echo "ladder worker on its own (ladder):  transcode step ${RESULT[ladder]}; targets: <= 1.10x, < 1x"
[ -n "${RESULT[all]:-}" ] && echo "every worker in one process (all):  whole job ${RESULT[all]}"
exit 0
