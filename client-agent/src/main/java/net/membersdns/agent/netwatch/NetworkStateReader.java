package net.membersdns.agent.netwatch;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the current {@link NetworkState} of this process's network namespace: the default route
 * from {@code /proc/net/route}, then the IPv4 address of that route's interface. Stateless and
 * cheap (one small file and one interface lookup), so it is read again on every change.
 */
public final class NetworkStateReader implements Supplier<NetworkState> {
  private final Supplier<RoutingTable> table;

  public NetworkStateReader() {
    this(RoutingTable::read);
  }

  NetworkStateReader(Supplier<RoutingTable> table) {
    this.table = table;
  }

  /** An IPv4 address with its prefix length, as assigned to an interface. */
  public record Assigned(Inet4Address address, int prefixLength) {
    /** Whether {@code other} lies in this address's subnet. */
    public boolean sameSubnet(Inet4Address other) {
      int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
      return (Ipv4.toBits(address) & mask) == (Ipv4.toBits(other) & mask);
    }
  }

  @Override
  public NetworkState get() {
    Optional<RoutingTable.Route> route = table.get().defaultRoute();
    if (route.isEmpty()) {
      return NetworkState.none();
    }
    String name = route.get().interfaceName();
    Inet4Address gateway = route.get().gateway();
    return new NetworkState(
        Optional.of(gateway),
        Optional.of(name),
        chooseLocal(addressesOf(name), gateway),
        indexOf(name));
  }

  /**
   * The address the host uses towards {@code gateway}: the one whose subnet holds the gateway, else
   * the first that is not link-local (a gateway reached by an explicit on-link route).
   */
  public static Optional<Inet4Address> chooseLocal(List<Assigned> assigned, Inet4Address gateway) {
    return assigned.stream()
        .filter(a -> a.sameSubnet(gateway))
        .findFirst()
        .or(() ->
            assigned.stream()
                .filter(a -> AddressScope.of(a.address()) != AddressScope.LINK_LOCAL)
                .findFirst())
        .map(Assigned::address);
  }

  private static int indexOf(String interfaceName) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(interfaceName);
      return nif == null ? 0 : nif.getIndex();
    } catch (SocketException e) {
      return 0;
    }
  }

  private static List<Assigned> addressesOf(String interfaceName) {
    List<Assigned> out = new ArrayList<>();
    try {
      NetworkInterface nif = NetworkInterface.getByName(interfaceName);
      if (nif == null) {
        return out; // gone between reading the routes and now: the next event reads again
      }
      for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
        if (ia.getAddress() instanceof Inet4Address a) {
          out.add(new Assigned(a, ia.getNetworkPrefixLength()));
        }
      }
    } catch (SocketException e) {
      // the interface vanished while we looked: same as gone
    }
    return out;
  }
}
