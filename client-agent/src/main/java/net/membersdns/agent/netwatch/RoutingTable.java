package net.membersdns.agent.netwatch;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The IPv4 routing table as Linux shows it in {@code /proc/net/route} (of the reading process's
 * network namespace): a pure parser plus a reader. The kernel prints each address as the 32-bit
 * value of its network-order bytes in the host's byte order, so on little-endian machines {@code
 * 0101A8C0} is 192.168.1.1.
 */
public final class RoutingTable {
  /** Where Linux shows the main IPv4 table. */
  public static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");

  static final int RTF_UP = 0x0001;
  static final int RTF_GATEWAY = 0x0002;

  /** One line of the table. {@code gateway} is 0.0.0.0 for an on-link route. */
  public record Route(
      String interfaceName,
      Inet4Address destination,
      Inet4Address gateway,
      int flags,
      int metric,
      Inet4Address mask) {
    /** An up route to 0.0.0.0/0 through a gateway. */
    public boolean isDefaultViaGateway() {
      return (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY)
          && destination.isAnyLocalAddress()
          && mask.isAnyLocalAddress();
    }
  }

  private final List<Route> routes;

  private RoutingTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Reads {@link #PROC_NET_ROUTE}; an unreadable file is an empty table (no IPv4 at all). */
  public static RoutingTable read() {
    return read(PROC_NET_ROUTE);
  }

  static RoutingTable read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.US_ASCII), ByteOrder.nativeOrder());
    } catch (IOException e) {
      return new RoutingTable(List.of());
    }
  }

  /**
   * Parses the text of {@code /proc/net/route} printed by a host of byte order {@code order}. Lines
   * that do not have the expected shape (the header among them) are skipped, never fatal.
   */
  public static RoutingTable parse(String text, ByteOrder order) {
    List<Route> routes = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      try {
        routes.add(
            new Route(
                f[0],
                address(f[1], order),
                address(f[2], order),
                Integer.parseInt(f[3], 16),
                Integer.parseInt(f[6]),
                address(f[7], order)));
      } catch (NumberFormatException e) {
        // the header line, or something this parser does not know: not a route
      }
    }
    return new RoutingTable(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  /** The default route through a gateway with the lowest metric (the kernel's choice). */
  public Optional<Route> defaultRoute() {
    return routes.stream()
        .filter(Route::isDefaultViaGateway)
        .min(Comparator.comparingInt(Route::metric));
  }

  private static Inet4Address address(String hex, ByteOrder order) {
    if (hex.length() != 8) {
      throw new NumberFormatException("not an 8-digit address: " + hex);
    }
    int value = Integer.parseUnsignedInt(hex, 16);
    if (order == ByteOrder.LITTLE_ENDIAN) {
      value = Integer.reverseBytes(value);
    }
    return Ipv4.fromBits(value);
  }
}
