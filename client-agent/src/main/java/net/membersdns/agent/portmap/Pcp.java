package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;

/**
 * PCP messages (RFC 6887), the parts a host needs for IPv4 port mapping: MAP requests (§11.1),
 * their responses, ANNOUNCE (§14.1) and version negotiation with NAT-PMP-only gateways (§9). Pure:
 * no I/O, and {@link #parse} never throws: garbage becomes {@link Malformed}.
 */
public final class Pcp {
  public static final int VERSION = 2;
  public static final int OP_ANNOUNCE = 0;
  public static final int OP_MAP = 1;

  /** RFC 6887 §7.1: the R bit, set in responses. */
  static final int RESPONSE_BIT = 0x80;

  static final int HEADER_LENGTH = 24;
  static final int MAP_LENGTH = HEADER_LENGTH + 36;

  /** RFC 6887 §7: the largest PCP message. */
  static final int MAX_LENGTH = 1100;

  /** Result code 1 (RFC 6887 §7.4); NAT-PMP uses the same number (RFC 6886 §3.5). */
  public static final int UNSUPP_VERSION = 1;

  private static final String[] RESULT_NAMES = {
    "SUCCESS", "UNSUPP_VERSION", "NOT_AUTHORIZED", "MALFORMED_REQUEST", "UNSUPP_OPCODE",
    "UNSUPP_OPTION", "MALFORMED_OPTION", "NETWORK_FAILURE", "NO_RESOURCES", "UNSUPP_PROTOCOL",
    "USER_EX_QUOTA", "CANNOT_PROVIDE_EXTERNAL", "ADDRESS_MISMATCH", "EXCESSIVE_REMOTE_PEERS"
  };

  private Pcp() {}

  /**
   * A MAP request's fields (RFC 6887 §11.1). On renewal the suggested port and address are those
   * granted before (§11.2.1); a deletion has lifetime 0 and suggested port 0 (§15).
   */
  public record MapRequest(
      PcpNonce nonce,
      TransportProtocol protocol,
      int internalPort,
      int suggestedExternalPort,
      Optional<Inet4Address> suggestedExternalAddress,
      long lifetime,
      Inet4Address clientAddress) {
    public MapRequest {
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(suggestedExternalAddress, "suggestedExternalAddress");
      Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** The same mapping's deletion: lifetime 0, suggested port 0. */
    public MapRequest deletion() {
      return new MapRequest(
          nonce, protocol, internalPort, 0, suggestedExternalAddress, 0, clientAddress);
    }
  }

  /** The 60-byte MAP request. The client address must be the packet's source (§8.1). */
  public static byte[] mapRequest(MapRequest r) {
    ByteBuffer out = ByteBuffer.allocate(MAP_LENGTH);
    header(out, OP_MAP, r.lifetime(), r.clientAddress());
    out.put(r.nonce().bytes());
    out.put((byte) r.protocol().ianaNumber()).put(new byte[3]);
    out.putShort((short) r.internalPort()).putShort((short) r.suggestedExternalPort());
    putMapped(out, r.suggestedExternalAddress().orElse(Ipv4.fromBits(0)));
    return out.array();
  }

  /** The 24-byte ANNOUNCE request (§14.1): only a header; the answer carries the epoch. */
  public static byte[] announceRequest(Inet4Address clientAddress) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH);
    header(out, OP_ANNOUNCE, 0, clientAddress);
    return out.array();
  }

  private static void header(ByteBuffer out, int opcode, long lifetime, Inet4Address client) {
    out.put((byte) VERSION).put((byte) opcode).putShort((short) 0).putInt((int) lifetime);
    putMapped(out, client);
  }

  /** RFC 6887 §5: IPv4 addresses travel as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d). */
  private static void putMapped(ByteBuffer out, Inet4Address a) {
    out.put(new byte[10]).putShort((short) 0xffff).put(a.getAddress());
  }

  /** The RFC 6887 §7.4 name of a result code, {@code UNKNOWN} for others. */
  public static String resultName(int code) {
    return code >= 0 && code < RESULT_NAMES.length ? RESULT_NAMES[code] : "UNKNOWN";
  }

  /** A parsed datagram from a PCP server (or a NAT-PMP one answering a PCP request). */
  public sealed interface Reply {}

  /**
   * A MAP response (§11.1). {@code externalAddress} is empty unless the field holds a non-zero
   * IPv4-mapped address; on errors it may still name the server's idea of its external address.
   */
  public record MapResponse(
      int resultCode,
      long lifetime,
      long epoch,
      PcpNonce nonce,
      int protocolNumber,
      int internalPort,
      int externalPort,
      Optional<Inet4Address> externalAddress)
      implements Reply {}

  /** An ANNOUNCE response (§14.1), solicited or multicast after a restart. */
  public record AnnounceResponse(int resultCode, long epoch) implements Reply {}

  /** A valid response header without an opcode body this client understands. */
  public record HeaderOnly(int opcode, int resultCode, long lifetime, long epoch)
      implements Reply {}

  /**
   * The server does not speak PCP version 2 (§9): a response of another version with result 1.
   * {@code serverVersion} 0 is a NAT-PMP gateway (RFC 6886 §3.5): fall back to NAT-PMP.
   */
  public record UnsupportedVersion(int serverVersion) implements Reply {}

  /** Not a PCP response; {@code reason} is for logs. */
  public record Malformed(String reason) implements Reply {}

  /** Parses the first {@code length} bytes of {@code data} (§8.3 validation). */
  public static Reply parse(byte[] data, int length) {
    if (length < 4) {
      return new Malformed(length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(data, 0, length);
    int version = in.get() & 0xff;
    int op = in.get() & 0xff;
    int reserved = in.get() & 0xff;
    int result = in.get() & 0xff;
    if (version != VERSION) {
      // NAT-PMP puts a 16-bit result in bytes 2-3, PCP a reserved byte and the result: 0, 1 either
      // way
      return reserved == 0 && result == UNSUPP_VERSION
          ? new UnsupportedVersion(version)
          : new Malformed("version " + version);
    }
    if (length < HEADER_LENGTH || length > MAX_LENGTH || length % 4 != 0) {
      return new Malformed(length + " bytes");
    }
    if ((op & RESPONSE_BIT) == 0) {
      return new Malformed("a request, not a response");
    }
    int opcode = op & ~RESPONSE_BIT;
    long lifetime = Integer.toUnsignedLong(in.getInt());
    long epoch = Integer.toUnsignedLong(in.getInt());
    in.position(HEADER_LENGTH);
    if (opcode == OP_ANNOUNCE) {
      return new AnnounceResponse(result, epoch);
    }
    if (opcode != OP_MAP || length < MAP_LENGTH) {
      return new HeaderOnly(opcode, result, lifetime, epoch);
    }
    byte[] nonce = new byte[PcpNonce.LENGTH];
    in.get(nonce);
    int protocol = in.get() & 0xff;
    in.position(in.position() + 3);
    int internal = in.getShort() & 0xffff;
    int external = in.getShort() & 0xffff;
    return new MapResponse(
        result, lifetime, epoch, PcpNonce.of(nonce), protocol, internal, external, mapped(in));
  }

  private static Optional<Inet4Address> mapped(ByteBuffer in) {
    long high = in.getLong();
    int middle = in.getInt();
    int bits = in.getInt();
    boolean v4Mapped = high == 0 && middle == 0x0000ffff;
    return v4Mapped && bits != 0 ? Optional.of(Ipv4.fromBits(bits)) : Optional.empty();
  }
}
