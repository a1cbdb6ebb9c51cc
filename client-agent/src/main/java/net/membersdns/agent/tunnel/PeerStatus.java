package net.membersdns.agent.tunnel;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer as {@code membersdns-agent status} shows it.
 *
 * @param host the peer's host name
 * @param ula its ULA
 * @param publicKey its public key
 * @param endpoint where the device sends to it now (configured or learned); empty if nowhere
 * @param endpointWhy why that endpoint (or why none)
 * @param lastHandshake age of the last completed handshake; empty if there was none
 * @param rxBytes bytes received from it
 * @param txBytes bytes sent to it
 * @param path {@link Path#DIRECT} while the session is live
 * @param reason the path in plain words, e.g. "handshake 12 s ago" or "mbp-b has no mapping: no
 *     path — it is behind a double NAT"
 */
public record PeerStatus(
    String host,
    Inet6Address ula,
    WgKey publicKey,
    Optional<InetSocketAddress> endpoint,
    String endpointWhy,
    Optional<Duration> lastHandshake,
    long rxBytes,
    long txBytes,
    Path path,
    String reason) {
  /**
   * A session lives at most this long after its handshake (WireGuard's Reject-After-Time, 180 s):
   * with traffic or keepalives flowing a new handshake comes every two minutes, so an older one
   * means nothing answers.
   */
  static final Duration SESSION_LIFETIME = Duration.ofSeconds(180);

  public PeerStatus {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(lastHandshake, "lastHandshake");
  }

  /** Whether packets flow. */
  public enum Path {
    DIRECT("direct"),
    NO_PATH("no path");

    private final String words;

    Path(String words) {
      this.words = words;
    }

    /** {@code direct} or {@code no path}. */
    public String words() {
      return words;
    }
  }

  /**
   * The status of {@code peer} given the device's view of it ({@code device} empty if the device
   * does not have it, e.g. between a failed write and the next reconcile) at time {@code now}.
   */
  static PeerStatus of(DesiredPeer peer, Optional<PeerState> device, Instant now) {
    Optional<InetSocketAddress> endpoint = device.flatMap(PeerState::endpoint);
    Optional<InetSocketAddress> chosen = peer.path().endpoint();
    String why;
    if (endpoint.isEmpty() || endpoint.equals(chosen)) {
      why = peer.path().why();
    } else if (chosen.isEmpty()) {
      why = "learned from its packets (it reached us)";
    } else {
      why =
          "learned from its packets (it roamed); its records say " + IpText.endpoint(chosen.get());
    }
    Optional<Duration> age =
        device
            .flatMap(PeerState::lastHandshake)
            .map(h -> h.isAfter(now) ? Duration.ZERO : Duration.between(h, now));
    Path path;
    String reason;
    if (age.isPresent() && age.get().compareTo(SESSION_LIFETIME) < 0) {
      path = Path.DIRECT;
      reason = "handshake " + words(age.get()) + " ago";
    } else {
      path = Path.NO_PATH;
      if (endpoint.isEmpty()) {
        reason = peer.path().why();
      } else if (age.isEmpty()) {
        reason = "no handshake yet with " + IpText.endpoint(endpoint.get());
      } else {
        reason =
            "no handshake for "
                + words(age.get())
                + ": "
                + IpText.endpoint(endpoint.get())
                + " does not answer";
      }
    }
    return new PeerStatus(
        peer.host(),
        peer.ula(),
        peer.publicKey(),
        endpoint,
        why,
        age,
        device.map(PeerState::rxBytes).orElse(0L),
        device.map(PeerState::txBytes).orElse(0L),
        path,
        reason);
  }

  /** "12 s", "7 min", "3 h", "2 d": as precise as a person reading a status needs. */
  static String words(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 2 * 3600) {
      return s / 60 + " min";
    }
    if (s < 2 * 86400) {
      return s / 3600 + " h";
    }
    return s / 86400 + " d";
  }

  /** One line: host, ULA, endpoint and why, handshake, bytes, path and reason. */
  @Override
  public String toString() {
    return host
        + " "
        + IpText.address(ula)
        + " endpoint "
        + endpoint.map(IpText::endpoint).orElse("(none)")
        + " ("
        + endpointWhy
        + "), handshake "
        + lastHandshake.map(a -> words(a) + " ago").orElse("never")
        + ", rx "
        + rxBytes
        + " B, tx "
        + txBytes
        + " B: "
        + path.words()
        + " — "
        + reason;
  }
}
