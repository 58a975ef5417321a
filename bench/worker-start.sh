#!/usr/bin/env bash
# Start times of the production jar (mvn -Dproduction package, as the image runs it), in the ways it can be run, side
# by side in one run:
#   jar         java -jar caravan.jar (the libraries nested in the jar)
#   extracted   java -jar extracted/caravan.jar (java -Djarmode=tools extract: the libraries in extracted/lib)
#   cds         the extracted jar with the class-data archive of bin/cds-archive, as the Dockerfile makes and uses it
#   cds-c1      the same with -XX:TieredStopAtLevel=1 (no C2 compiler: a start with less JIT work, a slower app after)
#   x_NAME      the archive and the JVM flags of the variable XFLAGS_NAME, to try flags side by side, e.g.
#               XFLAGS_late="-XX:Tier4InvocationThreshold=50000 ..." WAYS="cds x_late" bench/worker-start.sh
# against real AWS APIs: an API process of the default jar (caravan.role=api) serves the embedded stack on fixed
# loopback ports, and the processes measured point at them (caravan.aws.*-endpoint, its S3 keys, its data folder).
# Each round, for each way, in turn:
#   worker      an image is uploaded (its job's image-probe task waits on its queue), then a worker (caravan.role=worker)
#               starts: consumed = from the command until the API shows the job's step out of QUEUED (polled every
#               50 ms), ready = until the worker's readiness answers UP; then it is stopped (SIGTERM) and waited for
#   api         an API process (caravan.role=api, no embedded stack): health = from the command until /actuator/health
#               answers UP (S3, SQS, SNS and DynamoDB checked); then stopped
# Prints min / median / max per way, and the stack API's own start for reference.
#
#   bench/worker-start.sh   ROUNDS (default 5), WAYS (default "jar extracted cds cds-c1"), JAR and EMBEDDED_JAR
#                           (packaged jars to use instead of building them: production and default)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
WAYS=${WAYS:-jar extracted cds cds-c1}
BENCH=$PWD/target/bench/worker-start
DATA=$BENCH/data
for tool in java curl jq ffmpeg; do
  command -v "$tool" >/dev/null 2>&1 || { echo "worker-start: $tool is needed" >&2; exit 1; }
done

PIDS=()
stop() {  # stop PID: SIGTERM and wait (a consumer's open long poll delays a graceful stop), SIGKILL after 60 s
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source=bench/processes.sh
source bench/processes.sh
since() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

# ------------------------------------------------------------------------------------------------------- the builds
rm -rf "$BENCH"
mkdir -p "$BENCH/tmp"
build() {  # build NAME [maven arguments]: the packaged jar, as $BENCH/NAME.jar
  local name=$1
  shift
  echo "building $name.jar (mvn -o -DskipTests $* package)"
  flock /tmp/caravan-mvn.lock mvn -B -q -o -DskipTests "$@" package > "$BENCH/build-$name.log" 2>&1 \
    || { tail -40 "$BENCH/build-$name.log" >&2; exit 1; }
  cp "$(ls target/caravan-*.jar | grep -v '\.original$' | head -1)" "$BENCH/$name.jar"
}
if [ -n "${EMBEDDED_JAR:-}" ]; then cp "$EMBEDDED_JAR" "$BENCH/embedded.jar"; else build embedded; fi
if [ -n "${JAR:-}" ]; then cp "$JAR" "$BENCH/caravan.jar"; else build caravan -Dproduction; fi
java -Djarmode=tools -jar "$BENCH/caravan.jar" extract --destination "$BENCH/extracted" >/dev/null
echo "making the class-data archive (bin/cds-archive)"
bin/cds-archive "$BENCH/extracted"

command_of() {  # the java arguments of a way
  case "$1" in
    jar) echo "-jar $BENCH/caravan.jar" ;;
    extracted) echo "-jar $BENCH/extracted/caravan.jar" ;;
    cds) echo "-XX:SharedArchiveFile=$BENCH/extracted/caravan.jsa -jar $BENCH/extracted/caravan.jar" ;;
    cds-c1) echo "-XX:SharedArchiveFile=$BENCH/extracted/caravan.jsa -XX:TieredStopAtLevel=1 -jar $BENCH/extracted/caravan.jar" ;;
    x_*) local flags="XFLAGS_${1#x_}"; echo "-XX:SharedArchiveFile=$BENCH/extracted/caravan.jsa ${!flags} -jar $BENCH/extracted/caravan.jar" ;;
    *) echo "worker-start: no way $1" >&2; exit 1 ;;
  esac
}

# ---------------------------------------------------------------------------------------------------- the stack API
for name in PORT MEASURED_PORT S3_PORT SQS_PORT SNS_PORT DDB_PORT STT_PORT; do free_port "$name"; done
API="http://127.0.0.1:$PORT"
echo "starting the API with the embedded stack on port $PORT"
T=$(now)
java -Djava.io.tmpdir="$BENCH/tmp" -jar "$BENCH/embedded.jar" --caravan.role=api --server.port="$PORT" \
  --caravan.data-dir="$DATA" --caravan.embedded.s3-port="$S3_PORT" --caravan.embedded.sqs-port="$SQS_PORT" \
  --caravan.embedded.sns-port="$SNS_PORT" --caravan.embedded.dynamodb-port="$DDB_PORT" \
  --caravan.embedded.stt-port="$STT_PORT" --caravan.identity.access-token-ttl=12h > "$BENCH/stack.log" 2>&1 </dev/null &
PIDS+=($!)
until curl -sf "$API/actuator/health/readiness" >/dev/null 2>&1; do
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "the stack API exited; the end of its log:" >&2; tail -40 "$BENCH/stack.log" >&2; exit 1; }
  sleep 0.2
done
STACK_READY=$(since "$T" "$(now)")
TOKEN=$(CARAVAN_URL="$API" CARAVAN_PASSWORD="$(cat "$DATA/secrets/admin-password")" bin/caravan token)
AUTH=(-H "Authorization: Bearer $TOKEN")
ACCESS_KEY=$(sed -n 's/^accessKeyId=//p' "$DATA/embedded/keys.properties")
SECRET_KEY=$(sed -n 's/^secretAccessKey=//p' "$DATA/embedded/keys.properties")
ffmpeg -loglevel error -f lavfi -i testsrc2=size=640x480 -frames:v 1 -y "$BENCH/image.jpg" </dev/null

start_measured() {  # start_measured WAY ROLE LOG: a process of the production jar against the stack; its PID in MEASURED
  # shellcheck disable=SC2046
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" \
    java -Djava.io.tmpdir="$BENCH/tmp" $(command_of "$1") --caravan.role="$2" --server.port="$MEASURED_PORT" \
    --caravan.data-dir="$DATA" --caravan.aws.provision=false \
    --caravan.aws.s3-endpoint="http://127.0.0.1:$S3_PORT" --caravan.aws.sqs-endpoint="http://127.0.0.1:$SQS_PORT" \
    --caravan.aws.sns-endpoint="http://127.0.0.1:$SNS_PORT" \
    --caravan.aws.dynamodb-endpoint="http://127.0.0.1:$DDB_PORT" --caravan.stt.endpoint="http://127.0.0.1:$STT_PORT" \
    --caravan.security.issuer-uri="$API" > "$3" 2>&1 </dev/null &
  MEASURED=$!
  PIDS+=("$MEASURED")
}
fail() {  # fail LOG WHAT
  echo "$2; the end of $1:" >&2
  tail -30 "$1" >&2
  exit 1
}

measure_worker() {  # measure_worker WAY ROUND: prints "consumed ready"
  local way=$1 round=$2 log="$BENCH/worker-$1-$2.log" asset job t0 consumed="" ready="" t
  asset=$(curl -sf "${AUTH[@]}" -X POST "$API/api/v1/assets?filename=image.jpg" -H 'Content-Type: image/jpeg' \
    --data-binary @"$BENCH/image.jpg" | jq -r .id)
  job=$(curl -sf "${AUTH[@]}" "$API/api/v1/jobs?assetId=$asset" | jq -r '.items[0].id')
  t0=$(now)
  start_measured "$way" worker "$log"
  while [ -z "$consumed" ] || [ -z "$ready" ]; do
    t=$(now)
    [ -z "$ready" ] && curl -sf "http://127.0.0.1:$MEASURED_PORT/actuator/health/readiness" >/dev/null 2>&1 \
      && ready=$(since "$t0" "$t")
    [ -z "$consumed" ] && curl -sf "${AUTH[@]}" "$API/api/v1/jobs/$job" \
      | jq -e '.steps[0].status != "QUEUED"' >/dev/null 2>&1 && consumed=$(since "$t0" "$t")
    kill -0 "$MEASURED" 2>/dev/null || fail "$log" "the $way worker exited"
    [ "$(since "$t0" "$(now)" | cut -d. -f1)" -lt 300 ] || fail "$log" "the $way worker did not consume in 300 s"
    sleep 0.05
  done
  stop "$MEASURED"
  echo "$consumed $ready"
}
measure_api() {  # measure_api WAY ROUND: prints "health"
  local way=$1 round=$2 log="$BENCH/api-$1-$2.log" t0 t
  t0=$(now)
  start_measured "$way" api "$log"
  while true; do
    t=$(now)
    curl -sf "http://127.0.0.1:$MEASURED_PORT/actuator/health" >/dev/null 2>&1 && break
    kill -0 "$MEASURED" 2>/dev/null || fail "$log" "the $way API exited"
    [ "$(since "$t0" "$t" | cut -d. -f1)" -lt 300 ] || fail "$log" "the $way API was not UP in 300 s"
    sleep 0.05
  done
  stop "$MEASURED"
  since "$t0" "$t"
}

# ---------------------------------------------------------------------------------------------------------- rounds
declare -A CONSUMED READY HEALTH
for round in $(seq 1 "$ROUNDS"); do
  for way in $WAYS; do
    read -r consumed ready <<<"$(measure_worker "$way" "$round")"
    health=$(measure_api "$way" "$round")
    CONSUMED[$way]="${CONSUMED[$way]:-} $consumed"
    READY[$way]="${READY[$way]:-} $ready"
    HEALTH[$way]="${HEALTH[$way]:-} $health"
    printf 'round %d  %-10s worker consumed %6.2f s, ready %6.2f s; api health UP %6.2f s\n' \
      "$round" "$way" "$consumed" "$ready" "$health"
  done
done

echo
echo "seconds from the java command, min / median / max of $ROUNDS rounds ($(nproc) cores; the stack API with the"
echo "embedded stack, default jar, for reference: ready after $STACK_READY s)"
printf '%-10s  %-24s  %-24s  %-24s\n' way "worker: first consumed" "worker: ready" "api: health UP"
for way in $WAYS; do
  # shellcheck disable=SC2086
  printf '%-10s  %-24s  %-24s  %-24s\n' "$way" "$(stats ${CONSUMED[$way]})" "$(stats ${READY[$way]})" \
    "$(stats ${HEALTH[$way]})"
done
