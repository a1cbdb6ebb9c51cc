# syntax=docker/dockerfile:1
# The membersdns server image: built from the sources with the Maven wrapper, run on a JRE as a
# non-root user on high ports (published as 53 and 853: no capability needed).
#   docker build -t membersdns .
#   docker compose up -d        (docker-compose.yml: two servers, PostgreSQL, Prometheus, Grafana)
# The base images are build arguments so that a build without a registry (CI: a Debian base made
# with debootstrap, .ci/image) can pass its own; anywhere else the official Temurin images are used.
ARG JDK_IMAGE=eclipse-temurin:21-jdk
ARG JRE_IMAGE=eclipse-temurin:21-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# Dependencies first: a build of the POMs alone (no sources yet) downloads Maven, every plugin and
# every dependency the real build needs. This layer stays cached until a POM changes, so a source
# change rebuilds offline in seconds. Every module's POM is needed: the parent lists them all.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY protocol/pom.xml protocol/
COPY server/pom.xml server/
COPY client-agent/pom.xml client-agent/
COPY loadtest/pom.xml loadtest/
RUN ./mvnw -B -q -pl server -am -DskipTests package
COPY protocol/src protocol/src
COPY server/src server/src
COPY db db
RUN ./mvnw -B -q -o -DskipTests -pl server -am package

FROM ${JRE_IMAGE}
RUN useradd --system --uid 10053 --user-group --home-dir /var/lib/membersdns --shell /usr/sbin/nologin membersdns \
 && mkdir -p /var/lib/membersdns /opt/membersdns \
 && chown membersdns:membersdns /var/lib/membersdns
COPY --from=build /src/server/target/membersdns-server.jar /opt/membersdns/membersdns-server.jar
COPY deploy/container/healthcheck /opt/membersdns/healthcheck
COPY deploy/container/membersdns /usr/local/bin/membersdns
USER membersdns
WORKDIR /var/lib/membersdns
# High ports: binding 53 would need CAP_NET_BIND_SERVICE; the runtime maps 53 → 5300 instead.
# With no MEMBERSDNS_DB_URL the server runs its embedded PostgreSQL in the volume.
ENV MEMBERSDNS_LISTEN=0.0.0.0:5300 \
    MEMBERSDNS_TLS_LISTEN=0.0.0.0:8853 \
    MEMBERSDNS_HTTP_LISTEN=0.0.0.0:9153 \
    MEMBERSDNS_DATA_DIR=/var/lib/membersdns
EXPOSE 5300/udp 5300/tcp 8853/tcp 9153/tcp
VOLUME /var/lib/membersdns
# Ready, not merely alive: starting (zones loading), draining or without its database it is
# unhealthy. The start period covers the first start's migrations and an embedded PostgreSQL.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/membersdns/healthcheck"]
# The heap may grow to 60 % of the container's memory limit (cgroups), the rest for metaspace,
# direct buffers (Netty) and threads; it starts small and gives back what loading needed once the
# zones are in (the collector settings of bin/membersdns, which explains them; on a JDK 25 image
# add -XX:+UseCompactObjectHeaders as the launcher does). More flags: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:+UseParallelGC", "-Xms64m", "-XX:MetaspaceSize=64m", "-XX:MinHeapFreeRatio=20", \
            "-XX:MaxHeapFreeRatio=40", \
            "-XX:TrimNativeHeapInterval=10000", "-jar", "/opt/membersdns/membersdns-server.jar"]
CMD ["serve"]
