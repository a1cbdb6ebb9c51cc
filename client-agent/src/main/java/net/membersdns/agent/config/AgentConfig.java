package net.membersdns.agent.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.tsig.KeyLine;
import org.xbill.DNS.Name;

/**
 * The validated settings of {@code membersdns-agent up} (see {@link AgentOptions} for how they are
 * read). Immutable.
 *
 * @param zone the member zone ({@code --domain})
 * @param key the host key ({@code --key-file})
 * @param host the host label ({@code --host}, default the short host name)
 * @param serverHost {@code --server}'s host; empty to find the server by SRV
 * @param serverPort {@code --server}'s port
 * @param tlsName {@code --tls-name}; empty for the SRV target or the server host
 * @param caFile {@code --ca-file}; empty for the system trust store
 * @param stateDir {@code --state-dir}
 * @param interfaceName {@code --interface}: the WireGuard interface
 * @param port {@code --port}: the tunnel's UDP port, mapped on the NAT
 * @param metricsListen {@code --metrics-listen}
 * @param tunnel false with {@code --no-tunnel}: register and watch only
 */
public record AgentConfig(
    Name zone,
    KeyLine key,
    String host,
    Optional<String> serverHost,
    int serverPort,
    Optional<String> tlsName,
    Optional<Path> caFile,
    Path stateDir,
    String interfaceName,
    int port,
    Optional<InetSocketAddress> metricsListen,
    boolean tunnel) {
  public AgentConfig {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(host, "host");
  }
}
