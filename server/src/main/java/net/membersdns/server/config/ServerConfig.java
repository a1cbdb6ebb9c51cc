package net.membersdns.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.zone.ZoneSettings;

/**
 * The validated, immutable configuration of one server process (README.md, serve options). Built
 * once by the CLI from options and {@code MEMBERSDNS_*} environment variables; runtime data
 * (members, zones, keys) lives in PostgreSQL instead.
 *
 * @param listen UDP and TCP DNS address
 * @param tlsListen DNS-over-TLS address (RFC 7858)
 * @param httpListen metrics and health address
 * @param database where the zone store lives
 * @param ioThreads Netty I/O threads (event loops)
 * @param zones what every zone gets synthesised (SOA, NS, discovery SRVs, server address)
 * @param tls certificate and key, or generated self-signed ones in the data directory
 * @param tcp connection limits and idle timeout (RFC 7766 §6.2.3)
 * @param updates the update path: lease policy, writer queues, lease reaper
 * @param answerCacheBytes heap the query fast path's rendered answers may hold ({@code
 *     --answer-cache-mib}); 0 turns it off
 */
public record ServerConfig(
    InetSocketAddress listen,
    InetSocketAddress tlsListen,
    InetSocketAddress httpListen,
    DatabaseConfig database,
    int ioThreads,
    ZoneSettings zones,
    TlsConfig tls,
    TcpLimits tcp,
    UpdateConfig updates,
    long answerCacheBytes) {

  public ServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tlsListen, "tlsListen");
    Objects.requireNonNull(httpListen, "httpListen");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(zones, "zones");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(tcp, "tcp");
    Objects.requireNonNull(updates, "updates");
    if (answerCacheBytes < 0) {
      throw new IllegalArgumentException("answerCacheBytes < 0");
    }
  }

  /**
   * @param url JDBC URL of an external PostgreSQL; empty means the embedded PostgreSQL under {@code
   *     dataDir}
   * @param dataDir the data directory (embedded database, generated certificate)
   * @param poolSize HikariCP maximum pool size; also bounds the JDBC executor
   */
  public record DatabaseConfig(Optional<String> url, Path dataDir, int poolSize) {}

  /** PEM certificate chain and private key; both empty means generate a self-signed pair. */
  public record TlsConfig(Optional<Path> certificate, Optional<Path> privateKey) {}

  /**
   * @param idleTimeout close a TCP/TLS connection with no request in flight after this long
   * @param maxConnections total TCP+TLS connections; past it new connections are closed at once
   * @param maxConnectionsPerAddress per client IP address
   */
  public record TcpLimits(Duration idleTimeout, int maxConnections, int maxConnectionsPerAddress) {}

  /**
   * @param leases RFC 9664 lease bounds and default ({@code --lease-min/-max/-default}, {@code
   *     --require-lease})
   * @param queueSize updates each zone's writer may have waiting ({@code --update-queue}); past it
   *     REFUSED with an Extended DNS Error
   * @param reaperInterval how often expired records are removed ({@code --reaper-interval})
   * @param committers group commits in flight at once ({@code --update-committers}); each takes the
   *     ready work of many zones into one transaction
   */
  public record UpdateConfig(
      UpdateLeasePolicy leases, int queueSize, Duration reaperInterval, int committers) {
    public UpdateConfig {
      Objects.requireNonNull(leases, "leases");
      Objects.requireNonNull(reaperInterval, "reaperInterval");
    }

    public static UpdateConfig defaults() {
      return new UpdateConfig(UpdateLeasePolicy.defaults(), 1024, Duration.ofSeconds(60), 3);
    }
  }
}
