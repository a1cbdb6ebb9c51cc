package net.membersdns.agent.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.membersdns.agent.config.AgentConfig;
import net.membersdns.agent.config.KeyFile;
import net.membersdns.agent.core.Agent;
import net.membersdns.agent.dns.TlsSettings;
import net.membersdns.protocol.names.HostNames;
import net.membersdns.protocol.tsig.KeyLine;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code membersdns-agent up}: runs the agent in the foreground until SIGTERM or SIGINT, then
 * withdraws the host's records, deletes its port mapping and removes the tunnel interface it made.
 * Every option can also come from the environment ({@code --key-file} → {@code
 * MEMBERSDNS_AGENT_KEY_FILE}), as systemd's {@code EnvironmentFile=} provides it.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Run the agent in the foreground until SIGTERM/SIGINT.")
final class UpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--domain",
      defaultValue = "${env:MEMBERSDNS_AGENT_DOMAIN}",
      description = "The member zone, e.g. alice.members.example. (required)")
  String domain;

  @Option(
      names = "--key-file",
      defaultValue = "${env:MEMBERSDNS_AGENT_KEY_FILE}",
      description =
          "File with this host's key line, as 'membersdns host add --key-file' writes it (required)")
  Path keyFile;

  @Option(
      names = "--host",
      defaultValue = "${env:MEMBERSDNS_AGENT_HOST}",
      description = "This host's label in the zone (default: the short host name made a DNS label)")
  String host;

  @Option(
      names = "--server",
      defaultValue = "${env:MEMBERSDNS_AGENT_SERVER}",
      description =
          "HOST:PORT of the server's DNS-over-TLS port (default: the _dns-update-tls._tcp SRV of the domain)")
  String server;

  @Option(
      names = "--tls-name",
      defaultValue = "${env:MEMBERSDNS_AGENT_TLS_NAME}",
      description =
          "Name the server's certificate must carry (default: the SRV target, or the --server host)")
  String tlsName;

  @Option(
      names = "--ca-file",
      defaultValue = "${env:MEMBERSDNS_AGENT_CA_FILE}",
      description =
          "PEM file of the CA (or the server's self-signed certificate) to trust (default: the system trust store)")
  Path caFile;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:MEMBERSDNS_AGENT_STATE_DIR:-/var/lib/membersdns-agent}",
      description =
          "Where the host id, tunnel key, mapping ledger and status live (default: ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(
      names = "--interface",
      defaultValue = "${env:MEMBERSDNS_AGENT_INTERFACE:-mdns0}",
      description = "The WireGuard interface (default: ${DEFAULT-VALUE})")
  String interfaceName;

  @Option(
      names = "--port",
      defaultValue = "${env:MEMBERSDNS_AGENT_PORT:-51820}",
      description = "The tunnel's UDP port, mapped on the NAT (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--metrics-listen",
      defaultValue = "${env:MEMBERSDNS_AGENT_METRICS_LISTEN}",
      description = "ADDRESS:PORT to serve Prometheus /metrics on (default: none)")
  String metricsListen;

  @Option(
      names = "--no-tunnel",
      description = "Register and watch the other hosts, but set up no WireGuard interface")
  boolean noTunnel;

  @Option(names = "--verbose", description = "Stack traces with errors")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config();
    try (Agent agent = Agent.start(config, System.out)) {
      // SIGTERM and SIGINT mean "stop cleanly": withdraw, delete the mapping, remove the
      // interface, then exit 0. Handled here rather than in a shutdown hook, which the JVM runs
      // only on its way to exit status 143.
      Runnable stop = () -> Thread.ofPlatform().name("agent-stop").start(agent::stop);
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> stop.run());
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> stop.run());
      agent.awaitStopped();
    }
    return 0;
  }

  /** Validates every option; a bad one exits 2 with one line naming it. */
  AgentConfig config() {
    if (domain == null || domain.isBlank()) {
      throw usage("--domain is required (the member zone, e.g. alice.members.example.)");
    }
    Name zone;
    try {
      zone = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
    } catch (TextParseException e) {
      throw usage("--domain '" + domain + "': " + e.getMessage());
    }
    if (keyFile == null) {
      throw usage("--key-file is required (the file 'membersdns host add --key-file' wrote)");
    }
    KeyLine key;
    try {
      key = KeyFile.read(keyFile);
    } catch (IllegalArgumentException e) {
      throw usage("--key-file: " + e.getMessage());
    }
    String label;
    try {
      label = host != null ? HostNames.label(host) : HostNames.fromHostname(localHostName());
    } catch (IllegalArgumentException e) {
      throw usage("--host: " + e.getMessage());
    }
    Optional<String> serverHost = Optional.empty();
    int serverPort = 853;
    if (server != null && !server.isBlank()) {
      int colon = server.lastIndexOf(':');
      if (colon <= 0 || server.endsWith("]")) {
        throw usage("--server '" + server + "': expected HOST:PORT, e.g. dns.members.example:853");
      }
      try {
        serverPort = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw usage("--server '" + server + "': the port is not a number");
      }
      if (serverPort < 1 || serverPort > 65535) {
        throw usage("--server '" + server + "': the port must be 1-65535");
      }
      serverHost = Optional.of(server.substring(0, colon).replaceAll("^\\[|]$", ""));
    }
    if (caFile != null) {
      try {
        TlsSettings.of(Optional.of(caFile));
      } catch (IOException e) {
        throw usage("--ca-file: " + e.getMessage());
      }
    }
    if (port < 1 || port > 65535) {
      throw usage("--port " + port + ": must be 1-65535");
    }
    if (!interfaceName.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw usage("--interface '" + interfaceName + "': 1 to 15 letters, digits, '_', '.' or '-'");
    }
    Optional<InetSocketAddress> metrics = Optional.empty();
    if (metricsListen != null && !metricsListen.isBlank()) {
      metrics = Optional.of(listenAddress(metricsListen));
    }
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      throw usage("--state-dir " + stateDir + ": not a directory");
    }
    return new AgentConfig(
        zone,
        key,
        label,
        serverHost,
        serverPort,
        Optional.ofNullable(tlsName).filter(t -> !t.isBlank()),
        Optional.ofNullable(caFile),
        stateDir,
        interfaceName,
        port,
        metrics,
        !noTunnel);
  }

  private InetSocketAddress listenAddress(String text) {
    int colon = text.lastIndexOf(':');
    try {
      int p = Integer.parseInt(text.substring(colon + 1));
      String h = text.substring(0, Math.max(0, colon)).replaceAll("^\\[|]$", "");
      if (colon <= 0 || !h.matches("[0-9a-fA-F.:]+") || p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(h), p);
    } catch (NumberFormatException | UnknownHostException e) {
      throw usage("--metrics-listen '" + text + "': expected ADDRESS:PORT, e.g. 127.0.0.1:9154");
    }
  }

  private static String localHostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException e) {
      // not Linux: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "host";
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
