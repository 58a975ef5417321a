#!/usr/bin/env bash
# Sourced by the bench scripts: starts Caravan on its embedded stack in a scratch data folder ($OUT/data) on $PORT,
# with any extra settings in $EXTRA_ARGS, waits until it is ready, signs in as its admin (AUTH: curl's arguments for
# the token, which lasts the whole bench), and stops it when the script exits. The JVM runs with its full JIT, as the
# packaged app does (pom.xml turns the plugin's optimized launch off).
ARGS="--server.port=$PORT --caravan.data-dir=$OUT/data --caravan.embedded.s3-port=0 --caravan.embedded.sqs-port=0"
ARGS="$ARGS --caravan.embedded.sns-port=0 --caravan.embedded.dynamodb-port=0 --caravan.embedded.stt-port=0"
ARGS="$ARGS --caravan.identity.access-token-ttl=12h --logging.level.root=WARN ${EXTRA_ARGS:-}"
mvn -B -q -DskipTests spring-boot:run -Dspring-boot.run.arguments="$ARGS" > "$OUT/app.log" 2>&1 9>&- &
APP=$!
trap 'kill $APP 2>/dev/null; pkill -f "caravan.data-dir=$OUT/data" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 $APP 2>/dev/null || break
  sleep 1
done
if ! curl -sf "localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1; then
  echo "the app on port $PORT did not get ready; the end of $OUT/app.log:" >&2
  tail -40 "$OUT/app.log" >&2
  exit 1
fi
TOKEN=$(CARAVAN_URL="http://localhost:$PORT" CARAVAN_PASSWORD="$(cat "$OUT/data/secrets/admin-password")" bin/caravan token)
AUTH=(-H "Authorization: Bearer $TOKEN")
