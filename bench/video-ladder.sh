#!/usr/bin/env bash
# Video ladder benchmark: times Transcoder.ladder (one ffmpeg run through Jaffree) against the same ladder as one
# raw ffmpeg command and as three separate raw ffmpeg runs, on a generated 30 s 1080p clip.
#
#   bench/video-ladder.sh [seconds] [rounds] [source.mp4]   (defaults: 30 s, 3 rounds, a generated 1080p clip; the
#                                                           medians are compared)
#
# Builds and runs under /tmp/caravan-mvn.lock, a lock that keeps concurrent local builds apart, so the timings are not
# disturbed by another build (and do not disturb it). Needs ffmpeg on the PATH and the dependencies in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=/tmp/caravan-mvn.lock
flock "$LOCK" mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
flock "$LOCK" java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" routes.media.bench.LadderBench "$@"
