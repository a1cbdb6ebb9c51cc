package net.membersdns.agent.tunnel;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.agent.diagnosis.Diagnosis;

/**
 * What a peer's records say about where it can be reached.
 *
 * @param publicEndpoint its public endpoint: the address of the target of its priority-0 {@code
 *     _autotunnel._udp} SRV record and that record's port; empty when it has no mapping
 * @param lanEndpoint its endpoint on its own LAN (the priority-10 SRV target's address and port),
 *     for a host behind the same NAT; empty when not published
 * @param problem the peer's own diagnosis of why it has no mapping, when it published one ({@link
 *     Diagnosis.Kind#DOUBLE_NAT}, {@link Diagnosis.Kind#CARRIER_GRADE_NAT}, ...)
 */
public record PeerEndpoints(
    Optional<InetSocketAddress> publicEndpoint,
    Optional<InetSocketAddress> lanEndpoint,
    Optional<Diagnosis.Kind> problem) {
  public PeerEndpoints {
    Objects.requireNonNull(publicEndpoint, "publicEndpoint");
    Objects.requireNonNull(lanEndpoint, "lanEndpoint");
    Objects.requireNonNull(problem, "problem");
  }
}
