package net.membersdns.agent.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/**
 * One other host of the member as the tunnel should know it, read from DNS: its public key (TXT
 * {@code wg=}), its ULA (AAAA) as the only allowed IP, and the endpoint {@link EndpointChoice}
 * chose.
 *
 * @param host the peer's host name (for status and logs)
 * @param publicKey its WireGuard public key
 * @param ula its ULA; allowed IP {@code ula/128} and one route to it
 * @param path the chosen endpoint and why
 * @param persistentKeepalive keepalive interval in seconds (0 = off): keeps our NAT's mapping of
 *     the flow alive so the peer can keep reaching us
 */
public record DesiredPeer(
    String host, WgKey publicKey, Inet6Address ula, PathChoice path, int persistentKeepalive) {
  /** The keepalive the design uses: 25 s, below common NAT UDP timeouts. */
  public static final int KEEPALIVE_SECONDS = 25;

  public DesiredPeer {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(ula, "ula");
    Objects.requireNonNull(path, "path");
    if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
      throw new IllegalArgumentException("keepalive out of 0..65535: " + persistentKeepalive);
    }
  }

  /** A peer with the endpoint chosen from its records and the 25 s keepalive. */
  public static DesiredPeer of(
      String host,
      WgKey publicKey,
      Inet6Address ula,
      Optional<Inet4Address> ourPublic,
      PeerEndpoints records) {
    return new DesiredPeer(
        host, publicKey, ula, EndpointChoice.choose(host, ourPublic, records), KEEPALIVE_SECONDS);
  }
}
