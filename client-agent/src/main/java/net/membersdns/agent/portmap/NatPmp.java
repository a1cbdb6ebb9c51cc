package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;

/**
 * NAT-PMP messages (RFC 6886 §3): request builders and a response parser. Pure: no I/O, and {@link
 * #parse} never throws: whatever arrives from the network becomes a typed {@link Reply}, garbage
 * included ({@link Malformed}).
 */
public final class NatPmp {
  /** The only NAT-PMP version (RFC 6886 §3). */
  public static final int VERSION = 0;

  /** RFC 6886 §3.2: external address request. */
  public static final int OP_EXTERNAL_ADDRESS = 0;

  /** Responses carry the request's opcode plus 128 (RFC 6886 §3). */
  public static final int RESPONSE_BIT = 128;

  private NatPmp() {}

  /** RFC 6886 §3.2: {@code 00 00}. */
  public static byte[] externalAddressRequest() {
    return new byte[] {VERSION, OP_EXTERNAL_ADDRESS};
  }

  /**
   * RFC 6886 §3.3: map {@code internalPort}, suggesting {@code suggestedExternalPort} (0 = any; on
   * renewal the port granted before), for {@code lifetimeSeconds}.
   */
  public static byte[] mapRequest(
      TransportProtocol protocol,
      int internalPort,
      int suggestedExternalPort,
      long lifetimeSeconds) {
    ByteBuffer out = ByteBuffer.allocate(12);
    out.put((byte) VERSION).put((byte) protocol.natPmpOpcode()).putShort((short) 0);
    out.putShort((short) internalPort).putShort((short) suggestedExternalPort);
    out.putInt((int) lifetimeSeconds);
    return out.array();
  }

  /** RFC 6886 §3.4: lifetime 0 and suggested port 0 delete the mapping of {@code internalPort}. */
  public static byte[] deleteRequest(TransportProtocol protocol, int internalPort) {
    return mapRequest(protocol, internalPort, 0, 0);
  }

  /** The RFC 6886 §3.5 name of a result code, {@code UNKNOWN} for others. */
  public static String resultName(int code) {
    return switch (code) {
      case 0 -> "SUCCESS";
      case 1 -> "UNSUPPORTED_VERSION";
      case 2 -> "NOT_AUTHORIZED";
      case 3 -> "NETWORK_FAILURE";
      case 4 -> "OUT_OF_RESOURCES";
      case 5 -> "UNSUPPORTED_OPCODE";
      default -> "UNKNOWN";
    };
  }

  /** A parsed datagram from a NAT-PMP gateway. */
  public sealed interface Reply {}

  /**
   * RFC 6886 §3.2: the 12-byte external address response, also the form of announcements (§3.2.1).
   * The address is 0.0.0.0 when {@code resultCode} is not 0.
   */
  public record AddressReply(int resultCode, long epoch, Inet4Address externalAddress)
      implements Reply {}

  /** RFC 6886 §3.3: the 16-byte mapping response (deletion included: port and lifetime 0). */
  public record MapReply(
      TransportProtocol protocol,
      int resultCode,
      long epoch,
      int internalPort,
      int externalPort,
      long lifetime)
      implements Reply {}

  /**
   * A response that carries no more than its header and epoch: RFC 6886 §3.5's "Unsupported
   * Version" (its figure shows opcode 0) and short error replies such as miniupnpd 2.3.1's 8-byte
   * answer to an unsupported opcode. {@code opcode} is the request opcode (response bit removed).
   */
  public record ErrorReply(int opcode, int resultCode, long epoch) implements Reply {}

  /** Not a NAT-PMP response; {@code reason} is for logs. */
  public record Malformed(String reason) implements Reply {}

  /** Parses the first {@code length} bytes of {@code data}. */
  public static Reply parse(byte[] data, int length) {
    if (length < 4) {
      return new Malformed(length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(data, 0, length);
    int version = in.get() & 0xff;
    int op = in.get() & 0xff;
    int result = in.getShort() & 0xffff;
    if (version != VERSION) {
      return new Malformed("version " + version);
    }
    if (length < 8) {
      return new Malformed(length + " bytes");
    }
    long epoch = Integer.toUnsignedLong(in.getInt());
    if (op == OP_EXTERNAL_ADDRESS && result != 0) {
      return new ErrorReply(op, result, epoch); // the RFC 6886 §3.5 figure
    }
    if (op < RESPONSE_BIT) {
      return new Malformed("opcode " + op + " is a request");
    }
    int requestOp = op - RESPONSE_BIT;
    Optional<TransportProtocol> mapped = mapOpcode(requestOp);
    if (requestOp == OP_EXTERNAL_ADDRESS && length >= 12) {
      return new AddressReply(result, epoch, Ipv4.fromBits(in.getInt()));
    }
    if (mapped.isPresent() && length >= 16) {
      int internal = in.getShort() & 0xffff;
      int external = in.getShort() & 0xffff;
      return new MapReply(
          mapped.get(), result, epoch, internal, external, Integer.toUnsignedLong(in.getInt()));
    }
    if (result != 0) {
      return new ErrorReply(requestOp, result, epoch);
    }
    return new Malformed("success for opcode " + requestOp + " in " + length + " bytes");
  }

  private static Optional<TransportProtocol> mapOpcode(int op) {
    for (TransportProtocol p : TransportProtocol.values()) {
      if (p.natPmpOpcode() == op) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
