#!/usr/bin/env bash
# Chaos: a worker killed with SIGKILL at random moments while jobs are in flight, and what is left afterwards.
#
# Two processes of the packaged jar, as the chart deploys them: an API (caravan.role=api) that also runs the embedded
# AWS-compatible stack on fixed loopback ports, and a worker (caravan.role=worker) pointed at those ports
# (caravan.aws.*-endpoint, the embedded S3's keys from the API's data folder as its AWS credentials, the API's data
# folder for the webhook and image URL secrets, caravan.aws.provision=false). Each has a java.io.tmpdir of its own
# under the scratch folder, so the worker's work folders are counted apart from anything else on the machine.
#
# The run: N images (testsrc2 JPEGs of various sizes, uploaded to POST /api/v1/assets) get an image job each
# ({"width":320} and {"width":160,"format":"png"}), and VIDEOS clips without sound (CLIP_SECONDS) go up through
# presigned uploads (their pipeline jobs run ffprobe and ffmpeg: probe, ladder, thumbnails; they keep the worker busy
# for several seconds, so kills land in running steps). They come in K+1 batches: the first before the first kill,
# one right after each kill while the new worker starts. K times, a random 1-8 s after the worker has consumed again
# and picked up the batch: SIGKILL, and at once a new worker. For each kill it prints the steps the worker was in
# (the work folders it left), the ffmpeg/ffprobe processes still running, and
#   recovery    from the restart until the new worker has worked off a job-step message (its Camel route metrics,
#               /actuator/prometheus on its port, count one), polled every 0.25 s; and its readiness time;
#   pickup      how long the batch made while it was down waited for a step to move (the API shows it out of QUEUED);
#               a batch taken by the killed worker's still-open receive (long polling) waits the visibility timeout.
# Then it waits (WAIT_SECONDS) until every job has ended and checks:
#   jobs        every job (the image jobs and every upload's pipeline job) SUCCEEDED
#   outputs     every output a job lists is in S3, and the objects under each asset's derived/ prefix are exactly the
#               outputs its jobs list (none missing, none extra); each one downloaded through the S3 API decodes whole
#               (ffmpeg to null) at the width the job recorded, and an image job's at its operation's width and format
#   dlq         every dead-letter queue is empty (GET /api/v1/ops/queues)
#   ffmpeg      no ffmpeg or ffprobe started by a worker of this run is still running
#   workdirs    no work folder of a step (caravan-work/<pid>-<start>/<step>-*) and none of a killed worker
#               (caravan-work/<pid>-<start>) is left in the worker's temp folder
#   recovery    every restarted worker consumed again within RECOVERY_TIMEOUT
# and exits 1 if any failed. Every process it started is stopped on exit.
#
#   bench/chaos.sh      N (images, default 40; at least K+1), K (kills, default 20), VIDEOS (default K+1),
#                       CLIP_SECONDS (default 30), WAIT_SECONDS (default 900), RECOVERY_TIMEOUT (default 300),
#                       SEED (the sleeps' random seed), JAR (a packaged jar to run instead of building one with
#                       mvn -o -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS=${K:-20}
IMAGES=${N:-40}
VIDEOS=${VIDEOS:-$((KILLS + 1))}
CLIP_SECONDS=${CLIP_SECONDS:-30}
WAIT_SECONDS=${WAIT_SECONDS:-900}
RECOVERY_TIMEOUT=${RECOVERY_TIMEOUT:-300}
[ -n "${SEED:-}" ] && RANDOM=$SEED
if [ "$IMAGES" -lt $((KILLS + 1)) ]; then
  echo "N=$IMAGES is raised to K+1=$((KILLS + 1)): every restart gets a fresh image job to show it consumes" >&2
  IMAGES=$((KILLS + 1))
fi
BENCH=$PWD/target/bench/chaos
DATA=$BENCH/data
WTMP=$BENCH/worker-tmp
for tool in java curl jq ffmpeg ffprobe; do
  command -v "$tool" >/dev/null 2>&1 || { echo "chaos: $tool is needed" >&2; exit 1; }
done

# ------------------------------------------------------------------------------------------------ processes, cleanup
API_PID=""
WORKER_PID=""
stop() {  # stop PID: SIGTERM, then SIGKILL after 45 s (a consumer's long poll delays a graceful stop)
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 90); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
media_processes() {  # PIDs of ffmpeg/ffprobe processes working on files of this run's workers
  local pid
  for pid in $(pgrep -x 'ffmpeg|ffprobe' || true); do
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$WTMP/" && echo "$pid"
  done
  return 0
}
cleanup() {
  trap - EXIT
  stop "$WORKER_PID"
  stop "$API_PID"
  local pid
  for pid in $(media_processes); do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/processes.sh
source bench/processes.sh
call() {  # call METHOD PATH [curl arguments...]: the API's answer; a refusal is printed and ends the run
  local method=$1 path=$2 out status
  shift 2
  out=$(curl -s -X "$method" "${AUTH[@]}" -w '\n%{http_code}' "$@" "$API$path") || true
  status=${out##*$'\n'}
  if [[ "$status" != 2* ]]; then
    echo "$method $path answered ${status:-nothing}: ${out%$'\n'*}" >&2
    return 1
  fi
  printf '%s\n' "${out%$'\n'*}"
}
since() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }

# ------------------------------------------------------------------------------------------------------- the build
rm -rf "$BENCH"
mkdir -p "$BENCH/media" "$BENCH/outputs" "$WTMP" "$BENCH/api-tmp"
if [ -z "${JAR:-}" ]; then
  echo "building the jar (mvn -o -DskipTests package)"
  # /tmp/caravan-mvn.lock keeps local builds apart
  flock /tmp/caravan-mvn.lock mvn -B -q -o -DskipTests package > "$BENCH/build.log" 2>&1 \
    || { tail -40 "$BENCH/build.log" >&2; exit 1; }
  JAR=$(ls target/caravan-*.jar | grep -v '\.original$' | head -1)
fi
cp "$JAR" "$BENCH/caravan.jar"  # the run's own copy: a build during the run does not change what restarts

# the media: images of various sizes (all wider than 320 px), clips without sound
SIZES=(400x300 480x360 512x384 640x480 720x540 800x600 960x540 1024x768 1152x648 1280x720)
for i in $(seq 1 "$IMAGES"); do
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=${SIZES[$(( (i - 1) % ${#SIZES[@]} ))]}" -frames:v 1 \
    -y "$BENCH/media/img-$i.jpg" </dev/null
done
for i in $(seq 1 "$VIDEOS"); do
  size=$([ $((i % 2)) -eq 1 ] && echo 640x360 || echo 854x480)
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=$size:rate=25:duration=$CLIP_SECONDS" -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -y "$BENCH/media/clip-$i.mp4" </dev/null
done

# ------------------------------------------------------------------------------------------------ the two processes
for name in PORT WORKER_PORT S3_PORT SQS_PORT SNS_PORT DDB_PORT STT_PORT; do free_port "$name"; done
API="http://127.0.0.1:$PORT"
VISIBILITY=60  # caravan.messaging.visibility-timeout-seconds, left at its default

ready() { curl -sf "$1/actuator/health/readiness" >/dev/null 2>&1; }

echo "starting the API with the embedded stack on port $PORT"
java -Djava.io.tmpdir="$BENCH/api-tmp" -jar "$BENCH/caravan.jar" --caravan.role=api --server.port="$PORT" \
  --caravan.data-dir="$DATA" --caravan.embedded.s3-port="$S3_PORT" --caravan.embedded.sqs-port="$SQS_PORT" \
  --caravan.embedded.sns-port="$SNS_PORT" --caravan.embedded.dynamodb-port="$DDB_PORT" \
  --caravan.embedded.stt-port="$STT_PORT" --caravan.identity.access-token-ttl=12h --logging.level.root=WARN \
  > "$BENCH/api.log" 2>&1 </dev/null &
API_PID=$!
for _ in $(seq 1 600); do
  ready "$API" && break
  kill -0 "$API_PID" 2>/dev/null || break
  sleep 0.5
done
if ! ready "$API"; then
  echo "the API did not get ready; the end of $BENCH/api.log:" >&2
  tail -40 "$BENCH/api.log" >&2
  exit 1
fi
TOKEN=$(CARAVAN_URL="$API" CARAVAN_PASSWORD="$(cat "$DATA/secrets/admin-password")" bin/caravan token)
AUTH=(-H "Authorization: Bearer $TOKEN")
# the embedded S3 checks signatures: the worker signs with its keys, as the checks below do
ACCESS_KEY=$(sed -n 's/^accessKeyId=//p' "$DATA/embedded/keys.properties")
SECRET_KEY=$(sed -n 's/^secretAccessKey=//p' "$DATA/embedded/keys.properties")

WORKER_RUNS=0
start_worker() {
  WORKER_RUNS=$((WORKER_RUNS + 1))
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE \
    AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" \
    java -Djava.io.tmpdir="$WTMP" -jar "$BENCH/caravan.jar" --caravan.role=worker --server.port="$WORKER_PORT" \
    --caravan.data-dir="$DATA" --caravan.aws.provision=false \
    --caravan.aws.s3-endpoint="http://127.0.0.1:$S3_PORT" --caravan.aws.sqs-endpoint="http://127.0.0.1:$SQS_PORT" \
    --caravan.aws.sns-endpoint="http://127.0.0.1:$SNS_PORT" \
    --caravan.aws.dynamodb-endpoint="http://127.0.0.1:$DDB_PORT" --caravan.stt.endpoint="http://127.0.0.1:$STT_PORT" \
    > "$BENCH/worker-$WORKER_RUNS.log" 2>&1 </dev/null &
  WORKER_PID=$!
}

# --------------------------------------------------------------------------------------------------------- the work
: > "$BENCH/assets.txt"   # assetId image|video WIDTHxHEIGHT
: > "$BENCH/jobs.txt"     # image jobs: jobId assetId
NEXT_IMAGE=1
NEXT_VIDEO=1
BATCH_JOBS=()
feed() {  # feed BATCH: uploads the batch's share of images (each with its image job) and clips
  local batch=$1 batches=$((KILLS + 1)) images videos i file asset job ticket
  images=$((IMAGES / batches + (batch < IMAGES % batches ? 1 : 0)))
  videos=$(( (batch + 1) * VIDEOS / batches - batch * VIDEOS / batches ))
  BATCH_JOBS=()
  for i in $(seq 1 "$images"); do
    file=$BENCH/media/img-$NEXT_IMAGE.jpg
    asset=$(call POST "/api/v1/assets?filename=img-$NEXT_IMAGE.jpg" -H 'Content-Type: image/jpeg' \
      --data-binary @"$file" | jq -r .id)
    echo "$asset image $(ffprobe -v error -show_entries stream=width,height -of csv=p=0:s=x "$file")" \
      >> "$BENCH/assets.txt"
    job=$(call POST /api/v1/jobs -H 'Content-Type: application/json' \
      -d "{\"assetId\":\"$asset\",\"operations\":[{\"width\":320},{\"width\":160,\"format\":\"png\"}]}" | jq -r .id)
    echo "$job $asset" >> "$BENCH/jobs.txt"
    BATCH_JOBS+=("$job")
    NEXT_IMAGE=$((NEXT_IMAGE + 1))
  done
  for i in $(seq 1 "$videos"); do
    file=$BENCH/media/clip-$NEXT_VIDEO.mp4
    # a presigned upload, as for any file of some size: the bytes go to S3, then the API is told
    ticket=$(call POST /api/v1/uploads -H 'Content-Type: application/json' \
      -d "{\"filename\":\"clip-$NEXT_VIDEO.mp4\",\"contentType\":\"video/mp4\",\"size\":$(stat -c %s "$file")}")
    asset=$(jq -r .assetId <<<"$ticket")
    curl -sf -X PUT -H 'Content-Type: video/mp4' --data-binary @"$file" "$(jq -r .uploadUrl <<<"$ticket")" >/dev/null \
      || { echo "the presigned PUT of clip-$NEXT_VIDEO.mp4 failed" >&2; return 1; }
    call POST "$(jq -r .completeUrl <<<"$ticket")" >/dev/null
    echo "$asset video $(ffprobe -v error -show_entries stream=width,height -of csv=p=0:s=x "$file")" \
      >> "$BENCH/assets.txt"
    NEXT_VIDEO=$((NEXT_VIDEO + 1))
  done
}
moved() {  # a job of the batch has a step out of QUEUED
  local job
  for job in "${BATCH_JOBS[@]}"; do
    curl -sf "${AUTH[@]}" "$API/api/v1/jobs/$job" | jq -e 'any(.steps[]; .status != "QUEUED")' >/dev/null 2>&1 \
      && return 0
  done
  return 1
}
worked_off() {  # job-step messages the running worker has worked off (its Camel route metrics; 0 before they exist)
  curl -sf "http://127.0.0.1:$WORKER_PORT/actuator/prometheus" 2>/dev/null \
    | awk '/^camel_exchanges_total\{.*routeId="(image-probe|image-task|media-[a-z]+)"/ {s += $NF}
           END{printf "%d", s}' || true
}
# From START (the worker's start) until the worker has worked off a job-step message (CONSUMING_AFTER: its route
# metrics count one) and a job of the batch made since has a step out of QUEUED (PICKUP_AFTER); READY_AFTER: its
# readiness is UP. Fails when it does not consume within RECOVERY_TIMEOUT.
await_consuming() {
  local start=$1 t
  READY_AFTER="-"
  CONSUMING_AFTER=""
  PICKUP_AFTER=""
  while true; do
    t=$(now)
    [ "$READY_AFTER" = "-" ] && ready "http://127.0.0.1:$WORKER_PORT" && READY_AFTER=$(since "$start" "$t")
    [ -z "$CONSUMING_AFTER" ] && [ "$READY_AFTER" != "-" ] && [ "$(worked_off)" -gt 0 ] \
      && CONSUMING_AFTER=$(since "$start" "$(now)")
    [ -z "$PICKUP_AFTER" ] && moved && PICKUP_WALL=$(now) && PICKUP_AFTER=$(since "$start" "$PICKUP_WALL")
    [ -n "$CONSUMING_AFTER" ] && [ -n "$PICKUP_AFTER" ] && return 0
    if ! kill -0 "$WORKER_PID" 2>/dev/null || [ "$(since "$start" "$t" | cut -d. -f1)" -ge "$RECOVERY_TIMEOUT" ]; then
      PICKUP_AFTER=${PICKUP_AFTER:-"more than $(since "$start" "$t")"}
      [ -n "$CONSUMING_AFTER" ]
      return
    fi
    sleep 0.25
  done
}
workdirs() {  # the work folders of job steps in the worker's temp folder: caravan-work/<pid>-<start>/<step>-<n>
  # (and caravan-<step>-<n> right in it, where builds before per-process work folders put them)
  { find "$WTMP/caravan-work" -mindepth 2 -maxdepth 2 -type d -printf 'caravan-work/%P\n' 2>/dev/null || true
    find "$WTMP" -mindepth 1 -maxdepth 1 -type d -name 'caravan-*' ! -name caravan-work -printf '%P\n'; } | sort
}
by_step() {  # work folders, counted by step: "thumbnails x1, transcode x2"
  sed -E 's#.*/##; s/^caravan-//; s/-[0-9]+$//' | sort | uniq -c | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}'
}
gone() {  # process folders under caravan-work that are not the running worker's
  local dir
  for dir in "$WTMP"/caravan-work/*; do
    [[ -d "$dir" && "${dir##*/}" != "$WORKER_PID-"* ]] && echo "${dir##*/}"
  done
  return 0
}

RUN_START=$(now)
echo "starting the worker (caravan.role=worker) on port $WORKER_PORT against the API's embedded stack"
T0=$(now)
start_worker
feed 0
if ! await_consuming "$T0"; then
  echo "the first worker never consumed; the end of its log:" >&2
  tail -40 "$BENCH/worker-1.log" >&2
  exit 1
fi
echo "worker 1: ready after $READY_AFTER s, consuming after $CONSUMING_AFTER s, the first batch picked up after" \
  "$PICKUP_AFTER s"

batch_wait() {  # seconds from the creation of the batch's first job until a step of the batch moved
  local created
  created=$(call GET "/api/v1/jobs/${BATCH_JOBS[0]}" | jq -r .createdAt)
  since "$(date -d "$created" +%s.%N)" "$PICKUP_WALL"
}
RECOVERIES=()
PICKUPS=()
TAKEN_BY_DEAD=0
FAILED_RECOVERIES=0
IN_STEPS=0
ORPHANED=0
LEFT_BEFORE=""
for kill in $(seq 1 "$KILLS"); do
  pause=$(awk -v r=$((RANDOM % 7001)) 'BEGIN{printf "%.3f", 1 + r/1000}')
  sleep "$pause"
  kill -9 "$WORKER_PID" 2>/dev/null || true
  wait "$WORKER_PID" 2>/dev/null || true
  # the work folders this kill left (those not there after the previous kill), before a new worker may remove them
  after=$(workdirs)
  left=$(comm -13 <(echo "$LEFT_BEFORE") <(echo "$after") | grep . | by_step || true)
  steps=$(comm -13 <(echo "$LEFT_BEFORE") <(echo "$after") | grep -c . || true)
  LEFT_BEFORE=$after
  orphans=$(media_processes | wc -l)
  T0=$(now)
  start_worker
  IN_STEPS=$((IN_STEPS + steps))
  ORPHANED=$((ORPHANED + orphans))
  feed "$kill"
  if await_consuming "$T0"; then
    RECOVERIES+=("$CONSUMING_AFTER")
    result="consuming again after $CONSUMING_AFTER s (ready after $READY_AFTER s)"
    if [[ "$PICKUP_AFTER" != more* ]]; then
      PICKUPS+=("$(batch_wait)")
      result="$result; the jobs made meanwhile waited ${PICKUPS[-1]} s"
      # made after the kill, yet received before: by the killed worker's receive still open on the queue
      if grep -qE "job ($(IFS='|'; echo "${BATCH_JOBS[*]}")): step .* again \(receive" "$BENCH/worker-$WORKER_RUNS.log"; then
        TAKEN_BY_DEAD=$((TAKEN_BY_DEAD + 1))
        result="$result (received by the killed worker's open receive, so back after the visibility timeout)"
      fi
    else
      result="$result; the jobs made meanwhile not picked up within $RECOVERY_TIMEOUT s"
    fi
  else
    FAILED_RECOVERIES=$((FAILED_RECOVERIES + 1))
    result="NOT consuming after $(since "$T0" "$(now)") s (see worker-$WORKER_RUNS.log)"
    if ! kill -0 "$WORKER_PID" 2>/dev/null; then
      echo "kill $kill: the worker exited; the end of its log:" >&2
      tail -20 "$BENCH/worker-$WORKER_RUNS.log" >&2
      start_worker
    fi
  fi
  echo "kill $kill/$KILLS at +$(since "$RUN_START" "$T0") s, $pause s after it consumed: in $steps step(s)" \
    "${left:+($left) }with $orphans ffmpeg/ffprobe left running; $result"
done

# -------------------------------------------------------------------------------------------- every job to its end
EXPECTED_JOBS=$(awk '{n += ($2 == "image" ? 2 : 1)} END{print n+0}' "$BENCH/assets.txt")
all_jobs() {  # every job of every asset, one JSON object a line
  local asset
  while read -r asset _; do
    curl -sf "${AUTH[@]}" "$API/api/v1/jobs?assetId=$asset&limit=100" | jq -c '.items[]' || true
  done < "$BENCH/assets.txt"
}
echo "waiting until all $EXPECTED_JOBS jobs have ended (at most $WAIT_SECONDS s)"
WAIT_START=$(now)
last=""
while true; do
  all_jobs > "$BENCH/jobs.json"
  ended=$(jq -s '[.[] | select(.status | IN("SUCCEEDED", "FAILED", "CANCELLED"))] | length' "$BENCH/jobs.json")
  total=$(jq -s 'length' "$BENCH/jobs.json")
  line="$ended of $EXPECTED_JOBS jobs ended ($total made)"
  [ "$line" != "$last" ] && echo "  +$(since "$WAIT_START" "$(now)") s: $line"
  last=$line
  [ "$ended" -ge "$EXPECTED_JOBS" ] && break
  if [ "$(since "$WAIT_START" "$(now)" | cut -d. -f1)" -ge "$WAIT_SECONDS" ]; then
    echo "  gave up waiting after $WAIT_SECONDS s"
    break
  fi
  sleep 5
done
sleep 2  # the last job's step may still be removing its work folder
if [ "$ended" -ge "$EXPECTED_JOBS" ]; then
  ENDED="every job ended $(since "$WAIT_START" "$(now)") s after the last recovery"
else
  ENDED="$((EXPECTED_JOBS - ended)) jobs had not ended $WAIT_SECONDS s after the last recovery"
fi

# ------------------------------------------------------------------------------------------------------ the checks
declare -A CHECK
FAILS=0
check() {  # check NAME PASS|FAIL TEXT...
  local name=$1 verdict=$2
  shift 2
  CHECK[$name]="$verdict  $*"
  [ "$verdict" = PASS ] || FAILS=$((FAILS + 1))
}

# jobs
succeeded=$(jq -s '[.[] | select(.status == "SUCCEEDED")] | length' "$BENCH/jobs.json")
total=$(jq -s 'length' "$BENCH/jobs.json")
if [ "$succeeded" -eq "$EXPECTED_JOBS" ] && [ "$total" -eq "$EXPECTED_JOBS" ]; then
  check jobs PASS "$succeeded of $EXPECTED_JOBS jobs SUCCEEDED"
else
  check jobs FAIL "$succeeded of $EXPECTED_JOBS jobs SUCCEEDED ($total found); not: $(jq -s -r \
    '[.[] | select(.status != "SUCCEEDED") | "\(.id) \(.status) \(.error // "")"] | join("; ")' "$BENCH/jobs.json")"
fi
RETRIED=$(jq -s '[.[].steps[] | select(.attempts > 1)] | length' "$BENCH/jobs.json")
STEPS=$(jq -s '[.[].steps[]] | length' "$BENCH/jobs.json")

# outputs: the bucket's derived/ objects through the S3 API (SigV4, the embedded S3's keys)
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
  -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"; }
BUCKET=caravan-media  # caravan.storage.bucket, left at its default here
: > "$BENCH/objects.txt"
token=""
while true; do
  # the query encoded and ordered as the server's canonical request has it, so the signatures agree
  query="${token:+continuation-token=$(jq -rn --arg t "$token" '$t|@uri')&}list-type=2&prefix=derived%2F"
  page=$(s3 "http://127.0.0.1:$S3_PORT/$BUCKET?$query") || { echo "listing the bucket failed" >&2; break; }
  grep -o '<Key>[^<]*</Key>' <<<"$page" | sed -E 's#</?Key>##g' >> "$BENCH/objects.txt" || true
  token=$(grep -o '<NextContinuationToken>[^<]*' <<<"$page" | cut -d'>' -f2 || true)
  [ -n "$token" ] || break
done
sort -o "$BENCH/objects.txt" "$BENCH/objects.txt"
# every output a job lists: key, recorded width, and for an image job's operation its width and format
jq -s -r '.[] | . as $job | .steps[] | .name as $step | .outputs[] |
    [.key, (.width // ""), (if ($job.operations | length) > 0 then
      ($job.operations[($step | ltrimstr("op-") | tonumber) - 1] | "\(.width // "")/\(.format // "")") else "/" end)]
    | @tsv' "$BENCH/jobs.json" | sort > "$BENCH/outputs.tsv"
cut -f1 "$BENCH/outputs.tsv" | sort | uniq -d > "$BENCH/listed-twice.txt"
cut -f1 "$BENCH/outputs.tsv" | sort -u > "$BENCH/listed.txt"
missing=$(comm -23 "$BENCH/listed.txt" "$BENCH/objects.txt" | wc -l)
# objects of this run's assets that no job lists
extra=$(comm -13 "$BENCH/listed.txt" <(grep -F -f <(cut -d' ' -f1 "$BENCH/assets.txt") "$BENCH/objects.txt") | wc -l)
bad=()
while IFS=$'\t' read -r key width op; do
  grep -qxF "$key" "$BENCH/objects.txt" || continue
  file=$BENCH/outputs/$key
  mkdir -p "$(dirname "$file")"
  if ! s3 -o "$file" "http://127.0.0.1:$S3_PORT/$BUCKET/$key"; then bad+=("$key: not fetched"); continue; fi
  errors=$(ffmpeg -v error -i "$file" -f null - 2>&1 </dev/null) || errors="${errors:-ffmpeg failed}"
  [ -z "$errors" ] || { bad+=("$key: does not decode: ${errors%%$'\n'*}"); continue; }
  IFS=, read -r codec got \
    <<<"$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width -of csv=p=0 "$file")"
  [ -z "$width" ] || [ "$got" = "$width" ] || bad+=("$key: $got px wide, the job says $width")
  want=${op%%/*}; format=${op#*/}
  [ -z "$want" ] || [ "$got" = "$want" ] || bad+=("$key: $got px wide, the operation asked $want")
  [ "$format" != png ] || [ "$codec" = png ] || bad+=("$key: $codec, the operation asked png")
done < "$BENCH/outputs.tsv"
outputs=$(wc -l < "$BENCH/outputs.tsv")
twice=$(wc -l < "$BENCH/listed-twice.txt")
if [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ] && [ "$twice" -eq 0 ] && [ ${#bad[@]} -eq 0 ] && [ "$outputs" -gt 0 ]; then
  check outputs PASS "$outputs outputs, each in S3 once, no other object under the assets' prefixes;" \
    "all decode whole at the width recorded (and asked)"
else
  check outputs FAIL "$outputs outputs: $missing not in S3, $extra objects no job lists, $twice listed twice," \
    "${#bad[@]} bad${bad[*]:+: ${bad[*]:0:5}}"
fi

# dead-letter queues
curl -sf "${AUTH[@]}" "$API/api/v1/ops/queues" > "$BENCH/queues.json"
dead=$(jq '[.[].deadLetters] | add' "$BENCH/queues.json")
waiting=$(jq '[.[].messages] | add' "$BENCH/queues.json")
if [ "$dead" -eq 0 ]; then
  check dlq PASS "every dead-letter queue empty ($(jq length "$BENCH/queues.json") queues;" \
    "$waiting messages waiting on the work queues)"
else
  check dlq FAIL "$dead dead letters: $(jq -r \
    '[.[] | select(.deadLetters > 0) | "\(.deadLetterQueue) \(.deadLetters)"] | join(", ")' "$BENCH/queues.json")"
fi

# ffmpeg left running
left=$(media_processes | wc -l)
if [ "$left" -eq 0 ]; then
  check ffmpeg PASS "no ffmpeg/ffprobe of this run's workers running (just after the kills: $ORPHANED)"
else
  check ffmpeg FAIL "$left ffmpeg/ffprobe still running:" \
    "$(media_processes | xargs ps -o pid=,etime=,args= -p | cut -c1-160 | paste -sd';')"
fi

# work folders: of steps, and of processes that are gone (the running worker has no step left: every job ended)
workdirs > "$BENCH/workdirs-left.txt"
gone > "$BENCH/process-folders-left.txt"
dirs=$(grep -c . "$BENCH/workdirs-left.txt" || true)
processes=$(grep -c . "$BENCH/process-folders-left.txt" || true)
tomcat=$(find "$WTMP" -mindepth 1 -maxdepth 1 -name 'tomcat*' | wc -l)
if [ "$dirs" -eq 0 ] && [ "$processes" -eq 0 ]; then
  check workdirs PASS "no step's work folder and no folder of a killed worker left in $WTMP (Tomcat's own folders" \
    "there: $tomcat, for $WORKER_RUNS worker starts)"
else
  steps_left=$(by_step < "$BENCH/workdirs-left.txt")
  check workdirs FAIL "$dirs work folders of steps${steps_left:+ ($steps_left)} and $processes" \
    "folders of killed processes left in $WTMP, $(du -sh "$WTMP" | cut -f1) in all (Tomcat's own folders there:" \
    "$tomcat, for $WORKER_RUNS worker starts)"
fi

# recovery
if [ "$FAILED_RECOVERIES" -eq 0 ] && [ ${#RECOVERIES[@]} -eq "$KILLS" ]; then
  check recovery PASS "all $KILLS restarted workers consumed again within $RECOVERY_TIMEOUT s"
else
  check recovery FAIL "$FAILED_RECOVERIES of $KILLS restarted workers did not consume within $RECOVERY_TIMEOUT s"
fi

# ------------------------------------------------------------------------------------------------------- summary
echo
echo "chaos: $IMAGES image jobs and $((EXPECTED_JOBS - IMAGES)) upload pipeline jobs ($VIDEOS of video)," \
  "$KILLS SIGKILLs of the worker"
if [ ${#RECOVERIES[@]} -gt 0 ]; then
  read -r rmin rmed rmax <<<"$(stats "${RECOVERIES[@]}")"
  echo "  recovery (restart until the new worker has worked off a job-step message): min $rmin s, median $rmed s," \
    "max $rmax s"
fi
if [ ${#PICKUPS[@]} -gt 0 ]; then
  read -r pmin pmed pmax <<<"$(stats "${PICKUPS[@]}")"
  echo "  jobs made right after a kill waited for a worker: min $pmin s, median $pmed s, max $pmax s;" \
    "$TAKEN_BY_DEAD of ${#PICKUPS[@]} batches were received by the killed worker's still open receive (long poll)" \
    "and came back after the ${VISIBILITY} s visibility timeout"
fi
redelivered=$(cat "$BENCH"/worker-*.log | grep -c 'again (receive' || true)
echo "  the kills cut $IN_STEPS steps short (their work folders); $RETRIED of $STEPS steps ran more than once;" \
  "$redelivered messages came again to a worker; $ENDED"
for name in jobs outputs dlq ffmpeg workdirs recovery; do
  printf '  %-9s %s\n' "$name" "${CHECK[$name]}"
done
echo "  (logs and data: $BENCH)"
[ "$FAILS" -eq 0 ]
