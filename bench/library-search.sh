#!/usr/bin/env bash
# Times the library search index (routes.library.search.LibraryIndex) on a generated library of DOCS items on disk:
# the indexing rate of a full rebuild, then a mixed query load (typo'd artist names, prefixes, two-word queries,
# filtered listings with facets, sorted listings 3 pages deep by cursor) after a warm-up, on one thread and on
# THREADS, with p50/p95/p99/max latency per page and queries/s, overall and by kind.
#
#   bench/library-search.sh    DOCS (default 100000), QUERIES (default 5000, per thread), WARMUP (default 3000),
#                              THREADS (default 2)
#
# It runs Maven itself (test-compile, the classpath) and takes no lock: where builds share the machine, run the
# whole script under their lock, so nothing else runs while it measures.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${DOCS:-100000}
QUERIES=${QUERIES:-5000}
WARMUP=${WARMUP:-3000}
THREADS=${THREADS:-2}

mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt 9>&-
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
java -Xmx2g -cp "$CP" routes.library.search.bench.SearchBench --docs "$DOCS" --queries "$QUERIES" \
  --warmup "$WARMUP" --threads "$THREADS" --dir target/bench/library-search
