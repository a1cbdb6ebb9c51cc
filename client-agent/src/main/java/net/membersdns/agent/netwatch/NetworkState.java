package net.membersdns.agent.netwatch;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the host stands on the IPv4 network at one moment: the default gateway, the interface of
 * the default route and the IPv4 address that interface uses (the source address of everything the
 * agent sends to the gateway). Immutable; two states are equal when all three are.
 *
 * @param gateway the default route's gateway; empty without an IPv4 default route via a gateway
 * @param interfaceName the default route's interface ({@code eth0}, {@code wlan0})
 * @param localAddress that interface's IPv4 address (the one on the gateway's subnet if several)
 * @param interfaceIndex the interface's index, 0 when unknown: a link unplugged and plugged back (a
 *     new index) with the same addresses is a change too, since memberships of the old link, such
 *     as the announcement group's, went with it
 */
public record NetworkState(
    Optional<Inet4Address> gateway,
    Optional<String> interfaceName,
    Optional<Inet4Address> localAddress,
    int interfaceIndex) {

  public NetworkState {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(localAddress, "localAddress");
  }

  /** A state whose interface index is unknown. */
  public NetworkState(
      Optional<Inet4Address> gateway,
      Optional<String> interfaceName,
      Optional<Inet4Address> localAddress) {
    this(gateway, interfaceName, localAddress, 0);
  }

  /** No IPv4 default route at all. */
  public static NetworkState none() {
    return new NetworkState(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static NetworkState of(Inet4Address gateway, String interfaceName, Inet4Address local) {
    return new NetworkState(Optional.of(gateway), Optional.of(interfaceName), Optional.of(local));
  }

  /** The scope of the local address; empty without one. */
  public Optional<AddressScope> localScope() {
    return localAddress.map(AddressScope::of);
  }

  /** Whether the host's own address is public: reachable without any port mapping. */
  public boolean hasPublicAddress() {
    return localScope().filter(s -> s == AddressScope.PUBLIC).isPresent();
  }

  /** Whether there is a gateway to ask for a mapping and an address to ask from. */
  public boolean canAskGateway() {
    return gateway.isPresent() && localAddress.isPresent();
  }

  /** For people: "192.168.1.2 on eth0 via 192.168.1.1", or "no IPv4 default route". */
  public String describe() {
    if (gateway.isEmpty() && localAddress.isEmpty()) {
      return "no IPv4 default route";
    }
    return localAddress.map(Inet4Address::getHostAddress).orElse("no IPv4 address")
        + interfaceName.map(i -> " on " + i).orElse("")
        + gateway.map(g -> " via " + g.getHostAddress()).orElse(" without a gateway");
  }
}
