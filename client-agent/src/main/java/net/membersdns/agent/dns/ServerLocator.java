package net.membersdns.agent.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import net.membersdns.protocol.names.DiscoveryNames;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the server: {@code --server HOST:PORT} when given, else the {@code _dns-update-tls._tcp}
 * SRV of the member zone through the system resolver (RFC 6281 §4.2; RFC 2782: the lowest priority
 * wins). The TLS name is {@code --tls-name}, else the SRV target or the {@code --server} host name.
 * Blocking; called from the agent's connector thread.
 */
public final class ServerLocator {
  private final Name zone;
  private final Optional<String> serverHost;
  private final int serverPort;
  private final Optional<String> tlsName;

  /**
   * @param server {@code --server}: host and port, or empty to use the SRV record
   */
  public ServerLocator(
      Name zone, Optional<String> serverHost, int serverPort, Optional<String> tlsName) {
    this.zone = zone;
    this.serverHost = serverHost;
    this.serverPort = serverPort;
    this.tlsName = tlsName;
  }

  /** Resolves the endpoint now (it may move between calls). */
  public ServerEndpoint locate() throws IOException {
    if (serverHost.isPresent()) {
      String host = serverHost.get();
      InetAddress a = resolve(host);
      return new ServerEndpoint(
          new InetSocketAddress(a, serverPort), tlsName.orElse(stripDot(host)), "--server");
    }
    Name srvName = DiscoveryNames.in(DiscoveryNames.UPDATE_TLS, zone);
    Record[] answers = lookup(srvName, Type.SRV);
    SRVRecord srv =
        Arrays.stream(answers)
            .filter(SRVRecord.class::isInstance)
            .map(SRVRecord.class::cast)
            .min(Comparator.comparingInt(SRVRecord::getPriority))
            .orElseThrow(() -> new UnknownHostException("no SRV record at " + srvName));
    String target = stripDot(srv.getTarget().toString());
    InetAddress a = resolve(target);
    return new ServerEndpoint(
        new InetSocketAddress(a, srv.getPort()),
        tlsName.orElse(target),
        "SRV " + srvName + " → " + target + ":" + srv.getPort());
  }

  /** Where the server is looked for, for messages before it was found. */
  public String describe() {
    return serverHost
        .map(h -> h + ":" + serverPort)
        .orElse("SRV " + DiscoveryNames.in(DiscoveryNames.UPDATE_TLS, zone));
  }

  private static InetAddress resolve(String host) throws UnknownHostException {
    return InetAddress.getByName(stripDot(host));
  }

  private static Record[] lookup(Name name, int type) throws IOException {
    Lookup l = new Lookup(name, type);
    l.setCache(null); // the server may move: always ask
    Record[] r = l.run();
    if (r == null) {
      throw new UnknownHostException(name + " " + Type.string(type) + ": " + l.getErrorString());
    }
    return r;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Parses the zone given as {@code --domain}. */
  public static Name zone(String text) throws TextParseException {
    return Name.fromString(text.endsWith(".") ? text : text + ".");
  }
}
