package net.membersdns.agent.hostid;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * An IPv6 Unique Local Address (RFC 4193): the host's identity inside its member's tunnels.
 *
 * <pre>
 *   | 7 bits  |1|  40 bits   |  16 bits  |          64 bits           |
 *   | 1111110 |L| Global ID  | Subnet ID |        Interface ID        |   L = 1: fd00::/8
 * </pre>
 *
 * <p>The Global ID follows RFC 4193 §3.2.2: SHA-1 over the time in 64-bit NTP format followed by a
 * node identifier, keeping the least significant 40 bits. The interface ID is random rather than
 * derived from a MAC address (RFC 4193 leaves it open; a MAC-derived one would publish the hardware
 * address to everyone who can read the member zone, as Apple's first implementation did). Pure.
 */
public final class UniqueLocalAddress {
  /** Seconds from the NTP era (1900-01-01) to the Unix epoch. */
  private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

  private UniqueLocalAddress() {}

  /**
   * The ULA for the given inputs.
   *
   * @param now the time of generation (RFC 4193 §3.2.2 step 1)
   * @param nodeId a machine-unique identifier (step 2: an EUI-64 or, as here, any node id)
   * @param subnetId the 16-bit subnet ID
   * @param interfaceId 8 bytes
   */
  public static Inet6Address of(Instant now, byte[] nodeId, int subnetId, byte[] interfaceId) {
    if (interfaceId.length != 8) {
      throw new IllegalArgumentException("an interface ID is 8 bytes, not " + interfaceId.length);
    }
    byte[] digest = sha1(ByteBuffer.allocate(8 + nodeId.length).putLong(ntp(now)).put(nodeId));
    byte[] address = new byte[16];
    address[0] = (byte) 0xfd; // prefix fc00::/7 with L = 1 (RFC 4193 §3.1)
    System.arraycopy(digest, digest.length - 5, address, 1, 5); // least significant 40 bits
    address[6] = (byte) (subnetId >>> 8);
    address[7] = (byte) subnetId;
    System.arraycopy(interfaceId, 0, address, 8, 8);
    try {
      return (Inet6Address) InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  /** Whether {@code address} lies in fd00::/8, the locally assigned half of fc00::/7. */
  public static boolean isUla(InetAddress address) {
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xff) == 0xfd;
  }

  /** 64-bit NTP timestamp (RFC 5905 §6): seconds since 1900 in the high half, fraction below. */
  static long ntp(Instant t) {
    long seconds = t.getEpochSecond() + NTP_UNIX_OFFSET;
    long fraction = (t.getNano() * (1L << 32)) / 1_000_000_000L;
    return seconds << 32 | fraction;
  }

  private static byte[] sha1(ByteBuffer input) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(input.array());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
