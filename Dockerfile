# membersdns server image: built from the sources with the Maven wrapper, run on a JRE.
#   docker build -t membersdns .
#   docker compose up        (see docker-compose.yml: server + PostgreSQL)
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY protocol protocol
COPY server server
COPY loadtest loadtest
COPY db db
RUN ./mvnw -B -q -DskipTests -pl server -am package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10053 --home /var/lib/membersdns membersdns \
 && mkdir -p /var/lib/membersdns && chown membersdns /var/lib/membersdns
COPY --from=build /src/server/target/membersdns-server.jar /opt/membersdns/membersdns-server.jar
USER membersdns
WORKDIR /var/lib/membersdns
# In the container the server listens on the standard ports (design.md §7); binding 53 as a
# non-root user needs CAP_NET_BIND_SERVICE, which compose grants.
ENV MEMBERSDNS_LISTEN=0.0.0.0:53 \
    MEMBERSDNS_TLS_LISTEN=0.0.0.0:853 \
    MEMBERSDNS_HTTP_LISTEN=0.0.0.0:9153 \
    MEMBERSDNS_DATA_DIR=/var/lib/membersdns
EXPOSE 53/udp 53/tcp 853/tcp 9153/tcp
VOLUME /var/lib/membersdns
HEALTHCHECK --interval=10s --timeout=3s CMD ["java", "-cp", "/opt/membersdns/membersdns-server.jar", "net.membersdns.server.cli.Probe", "http://127.0.0.1:9153/ready"]
ENTRYPOINT ["java", "-XX:+UseZGC", "-jar", "/opt/membersdns/membersdns-server.jar"]
CMD ["serve"]
