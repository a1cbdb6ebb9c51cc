package net.membersdns.agent.tunnel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A WireGuard interface as the device reports it.
 *
 * @param privateKey the interface's private key; empty when none is set yet
 * @param listenPort the UDP port it listens on (0 = none)
 * @param fwmark firewall mark of its outgoing packets, 0 = none
 * @param peers its peers, in the device's order
 */
public record DeviceState(
    Optional<WgKey> privateKey, int listenPort, int fwmark, List<PeerState> peers) {
  public DeviceState {
    Objects.requireNonNull(privateKey, "privateKey");
    peers = List.copyOf(peers);
  }

  /** The peers by public key. */
  public Map<WgKey, PeerState> peersByKey() {
    return peers.stream().collect(Collectors.toMap(PeerState::publicKey, Function.identity()));
  }
}
