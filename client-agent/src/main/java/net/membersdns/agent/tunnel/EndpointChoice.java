package net.membersdns.agent.tunnel;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import net.membersdns.agent.diagnosis.Diagnosis;

/**
 * Chooses the endpoint of one peer from its records and our own public address (design §5): its
 * public endpoint, or its LAN endpoint when it shares our public address, because home NATs rarely
 * hairpin (a packet from the LAN to the NAT's own public address is not sent back into the LAN). A
 * peer without a public endpoint gets none: it is still configured, since it can reach us and
 * WireGuard then learns its endpoint from its first authenticated packet.
 *
 * <p>Pure and stateless. Re-run it for every peer when our public address changes (a move): that is
 * how the moving host re-checks its peers' endpoints for its new place.
 */
public final class EndpointChoice {
  private EndpointChoice() {}

  /**
   * @param host the peer's host name, for the reason
   * @param ourPublic our public IPv4 address, if known
   * @param peer what the peer's records say
   */
  public static PathChoice choose(
      String host, Optional<Inet4Address> ourPublic, PeerEndpoints peer) {
    if (peer.publicEndpoint().isEmpty()) {
      return new PathChoice(
          PathChoice.Kind.NONE,
          Optional.empty(),
          host + " has no mapping: no path — " + why(peer.problem()));
    }
    InetSocketAddress pub = peer.publicEndpoint().get();
    boolean samePublic = ourPublic.isPresent() && ourPublic.get().equals(pub.getAddress());
    if (samePublic && peer.lanEndpoint().isPresent()) {
      return new PathChoice(
          PathChoice.Kind.LAN,
          peer.lanEndpoint(),
          host
              + " shares our public address "
              + IpText.address(pub.getAddress())
              + ": using its LAN address "
              + IpText.endpoint(peer.lanEndpoint().get())
              + " (home NATs rarely hairpin)");
    }
    if (samePublic) {
      return new PathChoice(
          PathChoice.Kind.PUBLIC_HAIRPIN,
          Optional.of(pub),
          host
              + " shares our public address but published no LAN address: trying public endpoint "
              + IpText.endpoint(pub)
              + " (works only if the router hairpins)");
    }
    return new PathChoice(
        PathChoice.Kind.PUBLIC, Optional.of(pub), "public endpoint " + IpText.endpoint(pub));
  }

  /** The peer's diagnosis in words about it (third person). */
  private static String why(Optional<Diagnosis.Kind> problem) {
    if (problem.isEmpty()) {
      return "it published no public endpoint";
    }
    return switch (problem.get()) {
      case DOUBLE_NAT -> "it is behind a double NAT";
      case CARRIER_GRADE_NAT -> "it is behind its ISP's carrier-grade NAT";
      case NO_PORT_MAPPING_PROTOCOL -> "its router speaks neither PCP nor NAT-PMP";
      case MAPPING_REFUSED -> "its router refused the port mapping";
      case NO_GATEWAY -> "it has no IPv4 default route";
      default -> "it published no public endpoint";
    };
  }
}
