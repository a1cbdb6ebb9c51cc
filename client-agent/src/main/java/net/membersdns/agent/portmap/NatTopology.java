package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.util.Optional;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.netwatch.AddressScope;

/**
 * The pure rule that turns addresses into a finding about NATs stacked on NATs. Evidence, in order:
 * the external address the gateway itself reports (in a grant, or in a refusal such as PCP's
 * NO_RESOURCES from miniupnpd behind another router), then the router two hops away ({@link
 * SecondHop}). Private (RFC 1918) means another home router: {@link Diagnosis.Kind#DOUBLE_NAT};
 * shared (100.64/10, RFC 6598) means the provider's NAT: {@link Diagnosis.Kind#CARRIER_GRADE_NAT}.
 * A public external address or a public hop 2 is no evidence; then this says nothing.
 */
public final class NatTopology {
  private NatTopology() {}

  /** What was learnt about the path beyond the gateway. */
  public record Evidence(
      Inet4Address gateway,
      Optional<Inet4Address> reportedExternal,
      Optional<SecondHop> secondHop,
      TransportProtocol protocol,
      int internalPort) {}

  /** The finding, if the evidence shows a NAT behind the gateway. */
  public static Optional<Diagnosis> classify(Evidence e) {
    Optional<Inet4Address> outer =
        e.secondHop()
            .filter(SecondHop.Router.class::isInstance)
            .map(h -> ((SecondHop.Router) h).address())
            .filter(a -> natScope(a).isPresent());
    Optional<AddressScope> scope =
        e.reportedExternal()
            .flatMap(NatTopology::natScope)
            .or(() -> outer.flatMap(NatTopology::natScope));
    return scope.map(s -> s == AddressScope.PRIVATE ? doubleNat(e, outer) : carrierGrade(e, outer));
  }

  private static Optional<AddressScope> natScope(Inet4Address a) {
    AddressScope s = AddressScope.of(a);
    return s == AddressScope.PRIVATE || s == AddressScope.SHARED
        ? Optional.of(s)
        : Optional.empty();
  }

  private static Diagnosis doubleNat(Evidence e, Optional<Inet4Address> outer) {
    String gw = e.gateway().getHostAddress();
    String port = e.protocol().name() + " port " + e.internalPort();
    String innerWan = e.reportedExternal().map(a -> a.getHostAddress()).orElse(null);
    String words;
    if (outer.isPresent()) {
      String out = outer.get().getHostAddress();
      words =
          "double NAT: the gateway "
              + gw
              + " is itself behind another router, "
              + out
              + (innerWan == null ? "" : " (which knows it as " + innerWan + ")")
              + ", so a port mapped on "
              + gw
              + " cannot be reached from the Internet; put one of the two routers in bridge mode,"
              + " or forward "
              + port
              + " on "
              + out
              + " to "
              + (innerWan == null ? gw + "'s address on that network" : innerWan);
    } else {
      words =
          "double NAT: the gateway "
              + gw
              + " has a private external address"
              + (innerWan == null ? "" : " (" + innerWan + ")")
              + ", so another router stands between it and the Internet and a port mapped on "
              + gw
              + " cannot be reached from there; put one of the routers in bridge mode, or forward "
              + port
              + " on the outer router as well";
    }
    return new Diagnosis(Diagnosis.Kind.DOUBLE_NAT, words);
  }

  private static Diagnosis carrierGrade(Evidence e, Optional<Inet4Address> outer) {
    String detail =
        e.reportedExternal()
            .filter(a -> AddressScope.of(a) == AddressScope.SHARED)
            .map(a -> "its external address " + a.getHostAddress() + " is in 100.64.0.0/10")
            .orElseGet(() ->
                "the next router "
                    + outer.map(Inet4Address::getHostAddress).orElse("")
                    + " is in 100.64.0.0/10");
    return new Diagnosis(
        Diagnosis.Kind.CARRIER_GRADE_NAT,
        "carrier-grade NAT: the Internet provider puts the gateway "
            + e.gateway().getHostAddress()
            + " behind its own NAT ("
            + detail
            + "), which forwards no ports to you; ask the provider for a public IPv4 address"
            + " (or to forward "
            + e.protocol().name()
            + " port "
            + e.internalPort()
            + "), or reach this host over IPv6");
  }
}
