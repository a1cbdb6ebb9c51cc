package net.membersdns.agent.tunnel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code set} operation (cross-platform UAPI): interface settings, then peers, applied by the
 * device in that order. Empty fields are not sent.
 *
 * @param privateKey new private key, if any
 * @param listenPort new listen port, if any
 * @param replacePeers remove every peer not named in {@code peers} first ({@code
 *     replace_peers=true})
 * @param peers changes per peer, in order
 */
public record DeviceUpdate(
    Optional<WgKey> privateKey,
    OptionalInt listenPort,
    boolean replacePeers,
    List<PeerUpdate> peers) {
  public DeviceUpdate {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(listenPort, "listenPort");
    peers = List.copyOf(peers);
  }

  /** An update of peers only. */
  public static DeviceUpdate ofPeers(List<PeerUpdate> peers) {
    return new DeviceUpdate(Optional.empty(), OptionalInt.empty(), false, peers);
  }

  /** Whether this would change nothing (and so must not be sent). */
  public boolean isEmpty() {
    return privateKey.isEmpty() && listenPort.isEmpty() && !replacePeers && peers.isEmpty();
  }
}
