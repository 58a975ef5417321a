#!/usr/bin/env bash
# The video pipeline end to end: a 30 s 1080p clip uploaded to a running Caravan (embedded stack, scratch data
# folder), timed until its transcode step is done (queue hop, S3 copy in, the ladder in one ffmpeg run, three
# uploads) and until the whole job (probe, ladder, thumbnails and preview, audio, speech-to-text) has SUCCEEDED.
# Then, in the same run, bench/video-ladder.sh times the same ladder as raw ffmpeg (one command; three runs).
#
#   bench/video-pipeline.sh        CLIP_SECONDS (default 30), PORT (default 18081)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_OF_VIDEO=${CLIP_SECONDS:-30}
PORT=${PORT:-18081}
OUT=target/bench/pipeline
rm -rf "$OUT" && mkdir -p "$OUT"

ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$SECONDS_OF_VIDEO" \
  -f lavfi -i "sine=frequency=440:duration=$SECONDS_OF_VIDEO" -c:v libx264 -preset veryfast -c:a aac -shortest \
  -y "$OUT/clip.mp4"

EXTRA_ARGS="--caravan.limits.direct-upload=200MB" source bench/start-app.sh

state() {  # the status of the job's step $1 (or of the job with "job")
  curl -s "localhost:$PORT/api/v1/jobs?assetId=$ID" | python3 -c "
import sys, json
items = json.load(sys.stdin)['items']
if not items: print('NONE')
elif '$1' == 'job': print(items[0]['status'])
else: print(next(s['status'] for s in items[0]['steps'] if s['name'] == '$1'))"
}

START=$(date +%s.%N)
ID=$(curl -sf -XPOST "localhost:$PORT/api/v1/assets?filename=clip.mp4" -H 'Content-Type: video/mp4' \
  --data-binary @"$OUT/clip.mp4" | sed -E 's/.*"id":"([^"]+)".*/\1/')
TRANSCODED=""
while true; do
  [ -z "$TRANSCODED" ] && [ "$(state transcode)" = "SUCCEEDED" ] && TRANSCODED=$(date +%s.%N)
  JOB=$(state job)
  case "$JOB" in SUCCEEDED|FAILED) break ;; esac
  sleep 0.5
done
END=$(date +%s.%N)
[ -z "$TRANSCODED" ] && TRANSCODED=$END
echo "pipeline: transcode step done after $(awk "BEGIN{printf \"%.1f\", $TRANSCODED-$START}") s; job $JOB after $(awk "BEGIN{printf \"%.1f\", $END-$START}") s"
kill $APP 2>/dev/null || true
bench/video-ladder.sh "$SECONDS_OF_VIDEO" 1
