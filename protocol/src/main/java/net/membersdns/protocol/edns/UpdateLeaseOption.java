package net.membersdns.protocol.edns;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;

/**
 * The Update Lease EDNS option, RFC 9664 §4: OPTION-CODE 2 with either a 4-byte LEASE or an 8-byte
 * LEASE + KEY-LEASE. In a request the values are requested leases, in a response the granted ones,
 * both in seconds (unsigned 32-bit).
 *
 * @param lease LEASE: seconds, for every RR of the update (4-byte form) or every non-KEY RR (8-byte
 *     form)
 * @param keyLease KEY-LEASE: seconds, for KEY RRs only; present only in the 8-byte form
 */
public record UpdateLeaseOption(long lease, OptionalLong keyLease) {
  /** EDNS option code of the Update Lease option (IANA; dnsjava {@code EDNSOption.Code.UL}). */
  public static final int CODE = EDNSOption.Code.UL;

  private static final long MAX_U32 = 0xFFFF_FFFFL;

  public UpdateLeaseOption {
    checkU32(lease, "lease");
    keyLease.ifPresent(k -> checkU32(k, "keyLease"));
  }

  /** The 4-byte form: one LEASE for every RR. */
  public static UpdateLeaseOption of(long lease) {
    return new UpdateLeaseOption(lease, OptionalLong.empty());
  }

  /** The 8-byte form: LEASE for non-KEY RRs, KEY-LEASE for KEY RRs. */
  public static UpdateLeaseOption of(long lease, long keyLease) {
    return new UpdateLeaseOption(lease, OptionalLong.of(keyLease));
  }

  /**
   * Decodes OPTION-DATA (without code and length). Only lengths 4 and 8 are valid; anything else is
   * malformed (RFC 9664 §4).
   */
  public static OptionResult<UpdateLeaseOption> fromData(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    return switch (data.length) {
      case 4 -> OptionResult.present(of(Integer.toUnsignedLong(in.getInt())));
      case 8 ->
          OptionResult.present(
              of(Integer.toUnsignedLong(in.getInt()), Integer.toUnsignedLong(in.getInt())));
      default -> OptionResult.malformed("update lease option length " + data.length);
    };
  }

  /** Decodes a dnsjava option that must carry code {@link #CODE}. */
  public static OptionResult<UpdateLeaseOption> fromOption(EDNSOption option) {
    if (option.getCode() != CODE) {
      throw new IllegalArgumentException("not an update lease option: code " + option.getCode());
    }
    return fromData(EdnsOptions.data(option));
  }

  /** OPTION-DATA: 4 or 8 bytes. */
  public byte[] toData() {
    ByteBuffer out = ByteBuffer.allocate(keyLease.isPresent() ? 8 : 4);
    out.putInt((int) lease);
    keyLease.ifPresent(k -> out.putInt((int) k));
    return out.array();
  }

  /** The option as dnsjava carries it in an {@link org.xbill.DNS.OPTRecord}. */
  public EDNSOption toOption() {
    return new GenericEDNSOption(CODE, toData());
  }

  /**
   * The lease for an RR of {@code rrType}: KEY-LEASE for KEY RRs when the 8-byte form was used,
   * else LEASE (RFC 9664 §4).
   */
  public long leaseFor(int rrType) {
    return rrType == org.xbill.DNS.Type.KEY ? keyLease.orElse(lease) : lease;
  }

  private static void checkU32(long value, String what) {
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException(what + " out of 32-bit range: " + value);
    }
  }
}
