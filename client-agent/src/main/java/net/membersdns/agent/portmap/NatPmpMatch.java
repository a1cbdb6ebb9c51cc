package net.membersdns.agent.portmap;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which NAT-PMP datagrams answer a request, and what they mean. Pure. RFC 6886 has no transaction
 * id: a mapping response belongs to the request with the same opcode and internal port (§3.5), an
 * address response to the address request; short error replies (opcode only) are taken as well.
 */
final class NatPmpMatch {
  private NatPmpMatch() {}

  /** {@code reply} if it answers the mapping request (or deletion) of {@code ask}. */
  static Optional<NatPmp.Reply> acceptMap(NatPmp.Reply reply, GatewayClient.Ask ask) {
    boolean ours =
        switch (reply) {
          case NatPmp.MapReply m ->
              m.protocol() == ask.protocol() && m.internalPort() == ask.internalPort();
          case NatPmp.ErrorReply e ->
              e.opcode() == ask.protocol().natPmpOpcode()
                  || e.opcode() == NatPmp.OP_EXTERNAL_ADDRESS;
          default -> false;
        };
    return ours ? Optional.of(reply) : Optional.empty();
  }

  /** {@code reply} if it answers an external address request. */
  static Optional<NatPmp.Reply> acceptAddress(NatPmp.Reply reply) {
    boolean ours =
        reply instanceof NatPmp.AddressReply
            || (reply instanceof NatPmp.ErrorReply e && e.opcode() == NatPmp.OP_EXTERNAL_ADDRESS);
    return ours ? Optional.of(reply) : Optional.empty();
  }

  /**
   * The outcome of an accepted mapping reply. A grant carries 0.0.0.0 as its external address: the
   * mapping response has none, the caller asks for it next ({@link #address}).
   */
  static MapOutcome outcome(NatPmp.Reply reply, boolean deletion) {
    return switch (reply) {
      case NatPmp.ErrorReply e -> refused(e.resultCode(), e.epoch());
      case NatPmp.MapReply m when m.resultCode() != 0 -> refused(m.resultCode(), m.epoch());
      case NatPmp.MapReply m when deletion ->
          new MapOutcome.Deleted(MappingProtocol.NAT_PMP, m.epoch());
      case NatPmp.MapReply m when m.externalPort() == 0 || m.lifetime() == 0 ->
          refused(3, m.epoch()); // nothing granted: as mDNSResponder, a network failure
      case NatPmp.MapReply m ->
          new MapOutcome.Granted(
              MappingProtocol.NAT_PMP,
              net.membersdns.agent.netwatch.Ipv4.fromBits(0),
              m.externalPort(),
              Duration.ofSeconds(m.lifetime()),
              m.epoch());
      default -> throw new IllegalArgumentException("not an accepted reply: " + reply);
    };
  }

  /** {@code granted} completed with the address of an accepted address reply, or the failure. */
  static MapOutcome address(NatPmp.Reply reply, MapOutcome.Granted granted) {
    return switch (reply) {
      case NatPmp.AddressReply a when a.resultCode() != 0 -> refused(a.resultCode(), a.epoch());
      case NatPmp.AddressReply a when a.externalAddress().isAnyLocalAddress() ->
          refused(3, a.epoch()); // RFC 6886 §3.2: 0.0.0.0 means no external address yet
      case NatPmp.AddressReply a ->
          new MapOutcome.Granted(
              MappingProtocol.NAT_PMP,
              a.externalAddress(),
              granted.externalPort(),
              granted.lifetime(),
              granted.epochSeconds());
      case NatPmp.ErrorReply e -> refused(e.resultCode(), e.epoch());
      default -> throw new IllegalArgumentException("not an accepted reply: " + reply);
    };
  }

  private static MapOutcome.Refused refused(int code, long epoch) {
    return new MapOutcome.Refused(
        MappingProtocol.NAT_PMP,
        code,
        NatPmp.resultName(code),
        OptionalLong.of(epoch),
        Duration.ZERO,
        Optional.empty());
  }
}
