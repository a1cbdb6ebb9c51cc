package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.util.Optional;
import java.util.function.Supplier;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.netwatch.AddressScope;

/**
 * Turns the outcome of a mapping request into the {@link Diagnosis} users see. A failure that might
 * come from a NAT behind the gateway (NAT-PMP NETWORK_FAILURE, PCP NETWORK_FAILURE, a private or
 * shared external address in the answer, or no answer at all) is checked against the path: the
 * router two hops away is probed once per network (about a second of ping), and {@link NatTopology}
 * decides. Not thread-safe: the mapper's thread owns it.
 */
final class OutcomeDiagnosis {
  private final TransportProtocol transport;
  private final int internalPort;
  private final Supplier<Optional<Inet4Address>> probeTarget;
  private final HopProbe hopProbe;
  private Optional<SecondHop> secondHop = Optional.empty();

  OutcomeDiagnosis(
      TransportProtocol transport,
      int internalPort,
      Supplier<Optional<Inet4Address>> probeTarget,
      HopProbe hopProbe) {
    this.transport = transport;
    this.internalPort = internalPort;
    this.probeTarget = probeTarget;
    this.hopProbe = hopProbe;
  }

  /** A new network: what was probed on the last one says nothing here. */
  void reset() {
    secondHop = Optional.empty();
  }

  /** A grant; one with a private external address is a double NAT, however mapped. */
  Diagnosis granted(Inet4Address gateway, Inet4Address local, MapOutcome.Granted g) {
    Diagnosis mapped =
        Diagnoses.mapped(
            g.protocol(),
            gateway,
            local,
            transport,
            internalPort,
            g.externalAddress(),
            g.externalPort());
    return AddressScope.isPublic(g.externalAddress())
        ? mapped
        : stacked(gateway, Optional.of(g.externalAddress())).orElse(mapped);
  }

  /** A refusal, no answer, or an unreachable gateway; {@code why} in words for the last two. */
  Diagnosis failed(Inet4Address gateway, Inet4Address local, MapOutcome o, String why) {
    if (o instanceof MapOutcome.Refused r) {
      boolean networkFailure =
          r.protocol() == MappingProtocol.NAT_PMP ? r.resultCode() == 3 : r.resultCode() == 7;
      boolean privateHint = r.externalAddress().filter(a -> !AddressScope.isPublic(a)).isPresent();
      return (networkFailure || privateHint
              ? stacked(gateway, r.externalAddress())
              : Optional.<Diagnosis>empty())
          .orElseGet(() -> Diagnoses.refused(gateway, r));
    }
    return stacked(gateway, Optional.empty())
        .orElseGet(() -> Diagnoses.noProtocol(gateway, local, transport, internalPort, why));
  }

  private Optional<Diagnosis> stacked(Inet4Address gateway, Optional<Inet4Address> hint) {
    Optional<Inet4Address> target = probeTarget.get();
    if (secondHop.isEmpty() && target.isPresent()) {
      secondHop = Optional.of(hopProbe.secondHop(target.get()));
    }
    return NatTopology.classify(
        new NatTopology.Evidence(gateway, hint, secondHop, transport, internalPort));
  }
}
