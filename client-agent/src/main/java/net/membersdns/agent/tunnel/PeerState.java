package net.membersdns.agent.tunnel;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer as the device reports it (a UAPI {@code get} or {@code wg show dump}).
 *
 * @param publicKey the peer's static public key
 * @param endpoint where the device sends to it: configured, or learned from the peer's last
 *     authenticated packet (WireGuard roaming); empty when neither
 * @param allowedIps its allowed IPs, in the device's order
 * @param persistentKeepalive keepalive interval in seconds, 0 = off
 * @param lastHandshake time of the last completed handshake; empty if none yet
 * @param rxBytes bytes received from it
 * @param txBytes bytes sent to it
 */
public record PeerState(
    WgKey publicKey,
    Optional<InetSocketAddress> endpoint,
    List<IpPrefix> allowedIps,
    int persistentKeepalive,
    Optional<Instant> lastHandshake,
    long rxBytes,
    long txBytes) {
  public PeerState {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(endpoint, "endpoint");
    allowedIps = List.copyOf(allowedIps);
    Objects.requireNonNull(lastHandshake, "lastHandshake");
  }

  /**
   * The handshake time as UAPI and {@code wg} report it: seconds and nanoseconds since the epoch,
   * both zero for "never".
   *
   * @throws IllegalArgumentException when it is negative or beyond {@link Instant#MAX}
   */
  static Optional<Instant> handshakeAt(long epochSecond, long nanos) {
    if (epochSecond < 0
        || epochSecond > Instant.MAX.getEpochSecond()
        || nanos < 0
        || nanos > 999_999_999) {
      throw new IllegalArgumentException(
          "handshake time out of range: " + epochSecond + "." + nanos);
    }
    return epochSecond == 0 && nanos == 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(epochSecond, nanos));
  }
}
