package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Link} and the interface's own life (exists? which kind? create a kernel WireGuard link,
 * delete it) through iproute2's {@code ip}, in the network namespace of this process. Thread-safe:
 * each call runs one process.
 */
final class IpLink implements Link {
  /** What {@code ip -d link show} says the interface is. */
  enum Kind {
    ABSENT,
    /** Kernel WireGuard ({@code type wireguard}). */
    WIREGUARD,
    /** A TUN device, as wireguard-go makes. */
    TUN,
    OTHER
  }

  private final String ip;
  private final String name;
  private final Duration timeout;

  IpLink(String ip, String name, Duration timeout) {
    this.ip = ip;
    this.name = name;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether the interface exists here, and of which kind. */
  Kind kind() throws IOException {
    Command.Result r =
        Command.exec(timeout, List.of(ip, "-d", "-o", "link", "show", "dev", name), null);
    if (r.exit() != 0) {
      if (r.output().contains("does not exist")) {
        return Kind.ABSENT;
      }
      throw new IOException("ip link show " + name + " exited " + r.exit() + ": " + r.output());
    }
    String out = " " + r.output().replace('\\', ' ') + " ";
    if (out.contains(" wireguard ")) {
      return Kind.WIREGUARD;
    }
    return out.contains(" tun type tun ") ? Kind.TUN : Kind.OTHER;
  }

  /** {@code ip link add IF type wireguard}: false when the kernel has no WireGuard. */
  boolean addKernelWireGuard() throws IOException {
    return Command.exec(timeout, List.of(ip, "link", "add", name, "type", "wireguard"), null).exit()
        == 0;
  }

  /** Deletes the interface. */
  void delete() throws IOException {
    Command.run(timeout, List.of(ip, "link", "del", "dev", name));
  }

  @Override
  public boolean hasAddress(Inet6Address address) throws IOException {
    String out = Command.run(timeout, List.of(ip, "-6", "-o", "addr", "show", "dev", name));
    for (String line : out.split("\n")) {
      String[] t = line.trim().split("\\s+");
      for (int i = 0; i + 1 < t.length; i++) {
        if (t[i].equals("inet6") && sameAddress(t[i + 1], address)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void addAddress(Inet6Address address) throws IOException {
    Command.run(
        timeout, List.of(ip, "-6", "addr", "add", hostPrefix(address), "dev", name, "nodad"));
  }

  @Override
  public void removeAddress(Inet6Address address) throws IOException {
    Command.run(timeout, List.of(ip, "-6", "addr", "del", hostPrefix(address), "dev", name));
  }

  @Override
  public void up() throws IOException {
    Command.run(timeout, List.of(ip, "link", "set", "dev", name, "up"));
  }

  @Override
  public Set<Inet6Address> hostRoutes() throws IOException {
    String out = Command.run(timeout, List.of(ip, "-6", "route", "show", "dev", name));
    Set<Inet6Address> routes = new HashSet<>();
    for (String line : out.split("\n")) {
      String[] t = line.trim().split("\\s+");
      if (t[0].isEmpty() || line.contains(" proto kernel")) {
        continue;
      }
      String dst = t[0].endsWith("/128") ? t[0].substring(0, t[0].length() - 4) : t[0];
      if (dst.indexOf('/') >= 0 || dst.indexOf(':') < 0) {
        continue; // a wider prefix, or a route type word ("unreachable", "multicast", ...)
      }
      if (IpText.address(dst) instanceof Inet6Address a) {
        routes.add(a);
      }
    }
    return routes;
  }

  @Override
  public void replaceHostRoute(Inet6Address destination) throws IOException {
    Command.run(
        timeout, List.of(ip, "-6", "route", "replace", hostPrefix(destination), "dev", name));
  }

  @Override
  public void deleteHostRoute(Inet6Address destination) throws IOException {
    Command.run(timeout, List.of(ip, "-6", "route", "del", hostPrefix(destination), "dev", name));
  }

  private static String hostPrefix(Inet6Address a) {
    return IpText.address(a) + "/128";
  }

  private static boolean sameAddress(String prefixText, InetAddress a) {
    try {
      IpPrefix p = IpPrefix.parse(prefixText);
      return p.address().equals(a);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
