package net.membersdns.protocol.edns;

import java.nio.ByteBuffer;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;

/**
 * The LLQ EDNS option, RFC 8764 §3.2: OPTION-CODE 1, OPTION-LENGTH 18.
 *
 * <pre>
 *   LLQ-VERSION (2) | LLQ-OPCODE (2) | LLQ-ERROR (2) | LLQ-ID (8) | LLQ-LEASE (4)
 * </pre>
 *
 * @param version LLQ-VERSION; {@link #VERSION} is the only one defined
 * @param opcode LLQ-OPCODE: {@link #SETUP}, {@link #REFRESH} or {@link #EVENT}
 * @param error LLQ-ERROR; in TCP/TLS requests from mDNSResponder this carries a UDP port instead
 *     (docs/architecture.md, Apple client notes), so any 16-bit value is accepted here
 * @param id LLQ-ID: 8 opaque bytes chosen by the server, held big-endian in a {@code long}; 0 in an
 *     initial setup request
 * @param lease LLQ-LEASE: requested, granted or remaining seconds (unsigned 32-bit)
 */
public record LlqOption(int version, int opcode, int error, long id, long lease) {
  /** EDNS option code of the LLQ option (IANA; dnsjava {@code EDNSOption.Code.LLQ}). */
  public static final int CODE = EDNSOption.Code.LLQ;

  /** OPTION-LENGTH of every well-formed LLQ option. */
  public static final int LENGTH = 18;

  /** The LLQ protocol version of RFC 8764. */
  public static final int VERSION = 1;

  // LLQ-OPCODE, RFC 8764 §3.2.
  public static final int SETUP = 1;
  public static final int REFRESH = 2;
  public static final int EVENT = 3;

  // LLQ-ERROR, RFC 8764 §3.2.
  public static final int NO_ERROR = 0;
  public static final int SERV_FULL = 1;
  public static final int STATIC = 2;
  public static final int FORMAT_ERR = 3;
  public static final int NO_SUCH_LLQ = 4;
  public static final int BAD_VERS = 5;
  public static final int UNKNOWN_ERR = 6;

  public LlqOption {
    checkU16(version, "version");
    checkU16(opcode, "opcode");
    checkU16(error, "error");
    if (lease < 0 || lease > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lease out of 32-bit range: " + lease);
    }
  }

  /**
   * Decodes OPTION-DATA (without code and length). Any length other than 18 is malformed (RFC 8764
   * §3.2); the field values are not judged here (a bad version is BAD-VERS, not FORMAT-ERR).
   */
  public static OptionResult<LlqOption> fromData(byte[] data) {
    if (data.length != LENGTH) {
      return OptionResult.malformed("LLQ option length " + data.length);
    }
    ByteBuffer in = ByteBuffer.wrap(data);
    return OptionResult.present(
        new LlqOption(
            Short.toUnsignedInt(in.getShort()),
            Short.toUnsignedInt(in.getShort()),
            Short.toUnsignedInt(in.getShort()),
            in.getLong(),
            Integer.toUnsignedLong(in.getInt())));
  }

  /** Decodes a dnsjava option that must carry code {@link #CODE}. */
  public static OptionResult<LlqOption> fromOption(EDNSOption option) {
    if (option.getCode() != CODE) {
      throw new IllegalArgumentException("not an LLQ option: code " + option.getCode());
    }
    return fromData(EdnsOptions.data(option));
  }

  /** OPTION-DATA: 18 bytes. */
  public byte[] toData() {
    return ByteBuffer.allocate(LENGTH)
        .putShort((short) version)
        .putShort((short) opcode)
        .putShort((short) error)
        .putLong(id)
        .putInt((int) lease)
        .array();
  }

  /** The option as dnsjava carries it in an {@link org.xbill.DNS.OPTRecord}. */
  public EDNSOption toOption() {
    return new GenericEDNSOption(CODE, toData());
  }

  /** The LLQ-ID as 16 lower-case hex digits, as kdig prints it. */
  public String idHex() {
    return String.format("%016x", id);
  }

  private static void checkU16(int value, String what) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(what + " out of 16-bit range: " + value);
    }
  }
}
