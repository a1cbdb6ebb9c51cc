package net.membersdns.agent.tunnel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The part of a {@code set} operation about one peer (cross-platform UAPI: the lines from {@code
 * public_key=} to the next {@code public_key=}). Fields left empty are not sent, so the device
 * keeps what it has.
 *
 * @param publicKey the peer
 * @param remove remove the peer ({@code remove=true}); nothing else is sent then
 * @param updateOnly change the peer only if it exists ({@code update_only=true}), so a change raced
 *     by a removal cannot create a half-configured peer
 * @param endpoint new endpoint, if any
 * @param persistentKeepalive new keepalive interval in seconds (0 = off), if any
 * @param allowedIps when present, the complete new list ({@code replace_allowed_ips=true} and one
 *     {@code allowed_ip=} per entry); when empty, the allowed IPs are untouched
 */
public record PeerUpdate(
    WgKey publicKey,
    boolean remove,
    boolean updateOnly,
    Optional<InetSocketAddress> endpoint,
    OptionalInt persistentKeepalive,
    Optional<List<IpPrefix>> allowedIps) {
  public PeerUpdate {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    allowedIps = allowedIps.map(List::copyOf);
    if (remove && (updateOnly || endpoint.isPresent() || persistentKeepalive.isPresent())) {
      throw new IllegalArgumentException("a removed peer takes no other setting");
    }
    if (remove && allowedIps.isPresent()) {
      throw new IllegalArgumentException("a removed peer takes no other setting");
    }
  }

  /** Removes peer {@code key}. */
  public static PeerUpdate removal(WgKey key) {
    return new PeerUpdate(
        key, true, false, Optional.empty(), OptionalInt.empty(), Optional.empty());
  }
}
