package net.membersdns.agent.portmap;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which PCP datagrams answer a MAP request, and what they mean. Pure; the rules of RFC 6887 §11.3:
 * a MAP response belongs to the request with the same nonce, protocol and internal port (error
 * responses may carry zero ports, so only the nonce and protocol count there).
 */
final class PcpMatch {
  private PcpMatch() {}

  /** {@code reply} if it answers {@code ask}, else empty (the caller drops it and waits on). */
  static Optional<Pcp.Reply> accept(Pcp.Reply reply, GatewayClient.Ask ask) {
    boolean ours =
        switch (reply) {
          case Pcp.MapResponse m ->
              m.nonce().equals(ask.nonce())
                  && m.protocolNumber() == ask.protocol().ianaNumber()
                  && (m.internalPort() == ask.internalPort() || m.resultCode() != 0);
          case Pcp.UnsupportedVersion u -> true;
          // an error without the body to match on: only the gateway sends to this socket, and
          // only one request is outstanding
          case Pcp.HeaderOnly h -> h.opcode() == Pcp.OP_MAP && h.resultCode() != 0;
          case Pcp.AnnounceResponse a -> false;
          case Pcp.Malformed m -> false;
        };
    return ours ? Optional.of(reply) : Optional.empty();
  }

  /** The outcome an accepted reply stands for. */
  static MapOutcome outcome(Pcp.Reply reply, boolean deletion) {
    return switch (reply) {
      case Pcp.UnsupportedVersion u ->
          refused(Pcp.UNSUPP_VERSION, OptionalLong.empty(), Duration.ZERO, Optional.empty());
      case Pcp.HeaderOnly h ->
          refused(
              h.resultCode(),
              OptionalLong.of(h.epoch()),
              Duration.ofSeconds(h.lifetime()),
              Optional.empty());
      case Pcp.MapResponse m -> mapOutcome(m, deletion);
      default -> throw new IllegalArgumentException("not an accepted reply: " + reply);
    };
  }

  private static MapOutcome mapOutcome(Pcp.MapResponse m, boolean deletion) {
    if (m.resultCode() != 0) {
      return refused(
          m.resultCode(),
          OptionalLong.of(m.epoch()),
          Duration.ofSeconds(m.lifetime()),
          m.externalAddress());
    }
    if (deletion) {
      return new MapOutcome.Deleted(MappingProtocol.PCP, m.epoch());
    }
    if (m.externalAddress().isEmpty() || m.externalPort() == 0 || m.lifetime() == 0) {
      // success without an address or port is no mapping; mDNSResponder calls it a network failure
      return refused(7, OptionalLong.of(m.epoch()), Duration.ZERO, Optional.empty());
    }
    return new MapOutcome.Granted(
        MappingProtocol.PCP,
        m.externalAddress().get(),
        m.externalPort(),
        Duration.ofSeconds(m.lifetime()),
        m.epoch());
  }

  private static MapOutcome.Refused refused(
      int code, OptionalLong epoch, Duration retryAfter, Optional<java.net.Inet4Address> external) {
    return new MapOutcome.Refused(
        MappingProtocol.PCP, code, Pcp.resultName(code), epoch, retryAfter, external);
  }
}
