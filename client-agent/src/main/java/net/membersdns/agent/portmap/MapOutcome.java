package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** How one mapping request (or deletion) to the gateway ended; see {@link PortMapClient}. */
public sealed interface MapOutcome {

  /** The epoch the gateway sent with this answer, when it answered. */
  default OptionalLong epoch() {
    return OptionalLong.empty();
  }

  /** A mapping exists: {@code externalAddress}:{@code externalPort} for {@code lifetime}. */
  record Granted(
      MappingProtocol protocol,
      Inet4Address externalAddress,
      int externalPort,
      Duration lifetime,
      long epochSeconds)
      implements MapOutcome {
    @Override
    public OptionalLong epoch() {
      return OptionalLong.of(epochSeconds);
    }
  }

  /** A deletion succeeded (deleting a mapping that does not exist succeeds too). */
  record Deleted(MappingProtocol protocol, long epochSeconds) implements MapOutcome {
    @Override
    public OptionalLong epoch() {
      return OptionalLong.of(epochSeconds);
    }
  }

  /**
   * The gateway answered with an error. {@code resultName} is the RFC's name ("NOT_AUTHORIZED"),
   * {@code retryAfter} how long PCP says the error holds (zero for NAT-PMP), {@code
   * externalAddress} what the gateway believes its external address is, when it said (a private one
   * is the mark of a NAT behind a NAT).
   */
  record Refused(
      MappingProtocol protocol,
      int resultCode,
      String resultName,
      OptionalLong epoch,
      Duration retryAfter,
      Optional<Inet4Address> externalAddress)
      implements MapOutcome {
    /** "NOT_AUTHORIZED (2)". */
    public String named() {
      return resultName + " (" + resultCode + ")";
    }
  }

  /** No answer to any request; {@code tried} names the protocols ("PCP and NAT-PMP"). */
  record NoAnswer(String tried) implements MapOutcome {}

  /** The request could not be sent or the gateway's port is closed (ICMP port unreachable). */
  record Unreachable(String why) implements MapOutcome {}

  /** Abandoned because the network changed under it. */
  record Cancelled() implements MapOutcome {}
}
