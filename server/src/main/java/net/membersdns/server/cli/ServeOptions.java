package net.membersdns.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code serve} (README.md, serve options), each also settable as {@code
 * MEMBERSDNS_*}. {@link #toConfig} validates them all and names the option in its one-line
 * complaint.
 */
public final class ServeOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--listen",
      converter = HostPort.class,
      defaultValue = "${env:MEMBERSDNS_LISTEN:-127.0.0.1:5300}",
      description = "UDP and TCP DNS address (env MEMBERSDNS_LISTEN; default: ${DEFAULT-VALUE})")
  InetSocketAddress listen;

  @Option(
      names = "--tls-listen",
      converter = HostPort.class,
      defaultValue = "${env:MEMBERSDNS_TLS_LISTEN:-127.0.0.1:8853}",
      description =
          "DNS-over-TLS address, RFC 7858 (env MEMBERSDNS_TLS_LISTEN; default: ${DEFAULT-VALUE})")
  InetSocketAddress tlsListen;

  @Option(
      names = "--http-listen",
      converter = HostPort.class,
      defaultValue = "${env:MEMBERSDNS_HTTP_LISTEN:-127.0.0.1:9153}",
      description =
          "/metrics, /health and /ready (env MEMBERSDNS_HTTP_LISTEN; default: ${DEFAULT-VALUE})")
  InetSocketAddress httpListen;

  @Option(
      names = "--threads",
      defaultValue = "${env:MEMBERSDNS_THREADS:-0}",
      description = "I/O threads (default: one per core)")
  int threads;

  @Option(
      names = "--server-name",
      defaultValue = "${env:MEMBERSDNS_SERVER_NAME}",
      description =
          "the server's own host name: SOA MNAME, NS and SRV target (default: dns.<domain>)")
  String serverName;

  @Option(
      names = "--advertise-address",
      defaultValue = "${env:MEMBERSDNS_ADVERTISE_ADDRESS}",
      split = ",",
      description =
          "address(es) published for the server's name (default: the --listen address, or 127.0.0.1 when that is a wildcard)")
  List<String> advertiseAddresses;

  @Option(
      names = "--advertise-port",
      defaultValue = "${env:MEMBERSDNS_ADVERTISE_PORT}",
      description =
          "DNS port published in _dns-update._udp and _dns-llq._udp (default: the --listen port)")
  Integer advertisePort;

  @Option(
      names = "--advertise-tls-port",
      defaultValue = "${env:MEMBERSDNS_ADVERTISE_TLS_PORT}",
      description =
          "TLS port published in the _dns-*-tls._tcp names (default: the --tls-listen port)")
  Integer advertiseTlsPort;

  @Option(
      names = "--tls-cert",
      defaultValue = "${env:MEMBERSDNS_TLS_CERT}",
      description =
          "PEM certificate chain (default: a self-signed one generated in the data directory)")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      defaultValue = "${env:MEMBERSDNS_TLS_KEY}",
      description = "PEM private key of --tls-cert")
  Path tlsKey;

  @Option(
      names = "--tcp-idle-timeout",
      defaultValue = "${env:MEMBERSDNS_TCP_IDLE_TIMEOUT:-10}",
      description =
          "seconds before an idle TCP/TLS connection is closed (env MEMBERSDNS_TCP_IDLE_TIMEOUT; default: ${DEFAULT-VALUE})")
  int tcpIdleSeconds;

  @Option(
      names = "--max-connections",
      defaultValue = "${env:MEMBERSDNS_MAX_CONNECTIONS:-4096}",
      description =
          "TCP+TLS connections in all (env MEMBERSDNS_MAX_CONNECTIONS; default: ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(
      names = "--max-connections-per-address",
      defaultValue = "${env:MEMBERSDNS_MAX_CONNECTIONS_PER_ADDRESS:-256}",
      description =
          "TCP+TLS connections per client address (env MEMBERSDNS_MAX_CONNECTIONS_PER_ADDRESS; default: ${DEFAULT-VALUE})")
  int maxConnectionsPerAddress;

  @Option(
      names = "--pool-size",
      defaultValue = "${env:MEMBERSDNS_POOL_SIZE:-8}",
      description = "PostgreSQL connections (env MEMBERSDNS_POOL_SIZE; default: ${DEFAULT-VALUE})")
  int poolSize;

  @Option(
      names = "--lease-min",
      defaultValue = "${env:MEMBERSDNS_LEASE_MIN:-1800}",
      description =
          "shortest update lease granted, seconds, RFC 9664 (env MEMBERSDNS_LEASE_MIN; default: ${DEFAULT-VALUE})")
  long leaseMin;

  @Option(
      names = "--lease-max",
      defaultValue = "${env:MEMBERSDNS_LEASE_MAX:-7200}",
      description =
          "longest update lease granted, seconds (env MEMBERSDNS_LEASE_MAX; default: ${DEFAULT-VALUE})")
  long leaseMax;

  @Option(
      names = "--lease-default",
      defaultValue = "${env:MEMBERSDNS_LEASE_DEFAULT}",
      description =
          "lease of records added by an update without a lease option, seconds (env MEMBERSDNS_LEASE_DEFAULT; default: --lease-max)")
  Long leaseDefault;

  @Option(
      names = "--require-lease",
      defaultValue = "${env:MEMBERSDNS_REQUIRE_LEASE:-false}",
      description =
          "refuse updates that add records without an update lease option, as dnsextd did (env MEMBERSDNS_REQUIRE_LEASE)")
  boolean requireLease;

  @Option(
      names = "--update-queue",
      defaultValue = "${env:MEMBERSDNS_UPDATE_QUEUE:-1024}",
      description =
          "updates waiting per zone before REFUSED (env MEMBERSDNS_UPDATE_QUEUE; default: ${DEFAULT-VALUE})")
  int updateQueue;

  @Option(
      names = "--update-committers",
      defaultValue = "${env:MEMBERSDNS_UPDATE_COMMITTERS:-3}",
      description =
          "committer threads, each committing the queued updates of many zones in one transaction; one transaction runs at a time unless a full group (256 zones) waits; at most --pool-size minus 1 (env MEMBERSDNS_UPDATE_COMMITTERS; default: ${DEFAULT-VALUE})")
  int updateCommitters;

  @Option(
      names = "--reaper-interval",
      defaultValue = "${env:MEMBERSDNS_REAPER_INTERVAL:-60}",
      description =
          "seconds between the lease reaper's backstop rounds (a database query for expired records); expired records are removed at their expiry regardless (env MEMBERSDNS_REAPER_INTERVAL; default: ${DEFAULT-VALUE})")
  double reaperInterval;

  @Option(
      names = "--answer-cache-mib",
      defaultValue = "${env:MEMBERSDNS_ANSWER_CACHE_MIB:-64}",
      description =
          "MiB of heap for rendered answers replayed to repeated questions; 0 turns the cache off (env MEMBERSDNS_ANSWER_CACHE_MIB; default: ${DEFAULT-VALUE})")
  int answerCacheMib;

  /** Validates everything and builds the configuration; complaints name the option. */
  public ServerConfig toConfig(Name domain, ServerConfig.DatabaseConfig database) {
    List<String> problems = new ArrayList<>();
    if (threads < 0) {
      problems.add("--threads: must be 0 (one per core) or more, not " + threads);
    }
    if (tcpIdleSeconds < 1) {
      problems.add("--tcp-idle-timeout: must be at least 1 second");
    }
    if (maxConnections < 1) {
      problems.add("--max-connections: must be at least 1");
    }
    if (maxConnectionsPerAddress < 1) {
      problems.add("--max-connections-per-address: must be at least 1");
    }
    if (poolSize < 1) {
      problems.add("--pool-size: must be at least 1");
    }
    if (answerCacheMib < 0) {
      problems.add("--answer-cache-mib: must be 0 (off) or more, not " + answerCacheMib);
    }
    long leaseDefaultValue = leaseDefault == null ? leaseMax : leaseDefault;
    if (leaseMin < 1) {
      problems.add("--lease-min: must be at least 1 second");
    }
    if (leaseMax < leaseMin || leaseMax > 0xFFFF_FFFFL) {
      problems.add("--lease-max: must be between --lease-min and 4294967295");
    }
    if (leaseDefaultValue < leaseMin || leaseDefaultValue > leaseMax) {
      problems.add("--lease-default: must be between --lease-min and --lease-max");
    }
    if (updateQueue < 1) {
      problems.add("--update-queue: must be at least 1");
    }
    if (updateCommitters < 1) {
      problems.add("--update-committers: must be at least 1");
    }
    if (!(reaperInterval >= 0.1)) {
      problems.add("--reaper-interval: must be at least 0.1 seconds");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      problems.add("--tls-cert and --tls-key go together");
    }
    for (Path p : new Path[] {tlsCert, tlsKey}) {
      if (p != null && !java.nio.file.Files.isReadable(p)) {
        problems.add((p == tlsCert ? "--tls-cert" : "--tls-key") + ": cannot read " + p);
      }
    }
    Name server = null;
    try {
      server = serverName == null ? Names.child("dns", domain) : Names.absolute(serverName);
      if (!server.subdomain(domain)) {
        problems.add("--server-name: " + server + " must be inside the members domain " + domain);
      }
    } catch (IllegalArgumentException e) {
      problems.add("--server-name: " + e.getMessage());
    }
    List<InetAddress> advertised = new ArrayList<>();
    try {
      if (advertiseAddresses == null || advertiseAddresses.isEmpty()) {
        InetAddress a = listen.getAddress();
        advertised.add(a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a);
      } else {
        for (String s : advertiseAddresses) {
          advertised.add(HostPort.literal(s.trim(), s));
        }
      }
    } catch (RuntimeException e) {
      problems.add("--advertise-address: " + e.getMessage());
    }
    int dnsPort = advertisePort != null ? advertisePort : listen.getPort();
    int tlsPort = advertiseTlsPort != null ? advertiseTlsPort : tlsListen.getPort();
    if (dnsPort < 0 || dnsPort > 65535) {
      problems.add("--advertise-port: must be 0-65535");
    }
    if (tlsPort < 0 || tlsPort > 65535) {
      problems.add("--advertise-tls-port: must be 0-65535");
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    ZoneSettings defaults = ZoneSettings.defaults(domain, advertised, dnsPort, tlsPort);
    ZoneSettings zones =
        new ZoneSettings(
            domain,
            server,
            advertised,
            dnsPort,
            tlsPort,
            defaults.hostmaster(),
            defaults.soaTtl(),
            defaults.refresh(),
            defaults.retry(),
            defaults.expire(),
            defaults.negativeTtl(),
            defaults.discoveryTtl(),
            defaults.addressTtl());
    return new ServerConfig(
        listen,
        tlsListen,
        httpListen,
        new ServerConfig.DatabaseConfig(database.url(), database.dataDir(), poolSize),
        threads,
        zones,
        new ServerConfig.TlsConfig(Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey)),
        new ServerConfig.TcpLimits(
            Duration.ofSeconds(tcpIdleSeconds), maxConnections, maxConnectionsPerAddress),
        new ServerConfig.UpdateConfig(
            new UpdateLeasePolicy(leaseMin, leaseMax, leaseDefaultValue, requireLease),
            updateQueue,
            Duration.ofMillis(Math.round(reaperInterval * 1000)),
            updateCommitters),
        answerCacheMib * 1024L * 1024L);
  }
}
