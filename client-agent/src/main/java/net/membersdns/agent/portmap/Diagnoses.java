package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.diagnosis.Diagnosis.Kind;

/**
 * The port mapper's findings other than stacked NATs ({@link NatTopology}), in plain words that
 * name the addresses, the code and what to do. Pure.
 */
final class Diagnoses {
  private Diagnoses() {}

  static Diagnosis mapped(
      MappingProtocol protocol,
      Inet4Address gateway,
      Inet4Address local,
      TransportProtocol transport,
      int internalPort,
      Inet4Address external,
      int externalPort) {
    return new Diagnosis(
        Kind.MAPPED,
        transport.name()
            + " port "
            + internalPort
            + " of "
            + local.getHostAddress()
            + " is reachable from the Internet at "
            + external.getHostAddress()
            + ":"
            + externalPort
            + " ("
            + protocol.words()
            + " mapping on the gateway "
            + gateway.getHostAddress()
            + ")");
  }

  static Diagnosis publicAddress(Inet4Address local, TransportProtocol transport, int port) {
    return new Diagnosis(
        Kind.PUBLIC_ADDRESS,
        "this host's address "
            + local.getHostAddress()
            + " is public: nothing to map, peers reach "
            + transport.name()
            + " port "
            + port
            + " directly unless a firewall blocks it");
  }

  static Diagnosis noGateway() {
    return new Diagnosis(
        Kind.NO_GATEWAY, "no IPv4 default gateway (no network, or none with IPv4): nothing to ask");
  }

  /** Neither protocol answered, or the gateway's port 5351 is closed ({@code why}). */
  static Diagnosis noProtocol(
      Inet4Address gateway, Inet4Address local, TransportProtocol transport, int port, String why) {
    return new Diagnosis(
        Kind.NO_PORT_MAPPING_PROTOCOL,
        "the gateway "
            + gateway.getHostAddress()
            + " answers neither PCP nor NAT-PMP ("
            + why
            + "): turn on NAT-PMP/PCP in its settings (often next to UPnP), or forward "
            + transport.name()
            + " port "
            + port
            + " to "
            + local.getHostAddress()
            + " by hand");
  }

  static Diagnosis refused(Inet4Address gateway, MapOutcome.Refused r) {
    String advice =
        switch (r.resultName()) {
          case "NOT_AUTHORIZED" -> "; port mapping is turned off in its settings";
          case "OUT_OF_RESOURCES", "NO_RESOURCES", "USER_EX_QUOTA" ->
              "; it has no room for more mappings";
          case "ADDRESS_MISMATCH" -> "; something between this host and it rewrites addresses";
          default -> "";
        };
    return new Diagnosis(
        Kind.MAPPING_REFUSED,
        "the gateway "
            + gateway.getHostAddress()
            + " refused the mapping: "
            + r.named()
            + " ("
            + r.protocol().words()
            + ")"
            + advice);
  }
}
