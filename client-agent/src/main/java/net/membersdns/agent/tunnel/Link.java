package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.Inet6Address;
import java.util.Set;

/**
 * The IP side of the tunnel interface that {@link Tunnel} maintains: this host's ULA on it and one
 * {@code /128} route per peer ULA (a {@code /128} address brings no route to anything else). {@link
 * IpLink} does it with {@code ip}; tests use an in-memory one.
 *
 * <p>Called from the thread that owns the {@link Tunnel}.
 */
interface Link {
  /** The interface name. */
  String name();

  /** Whether {@code address} is configured on the interface. */
  boolean hasAddress(Inet6Address address) throws IOException;

  /** Adds {@code address/128} without duplicate address detection (no other host shares it). */
  void addAddress(Inet6Address address) throws IOException;

  void removeAddress(Inet6Address address) throws IOException;

  /** Sets the interface up (idempotent). */
  void up() throws IOException;

  /**
   * The destinations of the {@code /128} routes through the interface in the main table, leaving
   * out those the kernel made itself (the one for our own address).
   */
  Set<Inet6Address> hostRoutes() throws IOException;

  /** Adds or replaces the route {@code destination/128 dev IF}. */
  void replaceHostRoute(Inet6Address destination) throws IOException;

  void deleteHostRoute(Inet6Address destination) throws IOException;
}
