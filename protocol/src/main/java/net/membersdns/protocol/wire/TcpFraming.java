package net.membersdns.protocol.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * DNS over a byte stream (TCP, TLS): every message is preceded by its length as a two-byte
 * big-endian integer (RFC 1035 §4.2.2, RFC 7766 §8, RFC 7858 §3.3). So a message is at most 65535
 * bytes long.
 */
public final class TcpFraming {
  /** Size of the length prefix. */
  public static final int PREFIX = 2;

  /** The longest message a frame can carry. */
  public static final int MAX_MESSAGE = 0xFFFF;

  private TcpFraming() {}

  /** {@code message} with its length prefix, ready to write in one call (RFC 7766 §8). */
  public static byte[] frame(byte[] message) {
    if (message.length > MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "a DNS message over TCP is at most 65535 bytes, not " + message.length);
    }
    byte[] out = new byte[PREFIX + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, PREFIX, message.length);
    return out;
  }

  /**
   * Reads one framed message.
   *
   * @return the message without its prefix, or {@code null} when the stream ended cleanly between
   *     two messages
   * @throws EOFException when the stream ends inside a frame
   */
  public static byte[] read(InputStream in) throws IOException {
    int hi = in.read();
    if (hi < 0) {
      return null;
    }
    int lo = in.read();
    if (lo < 0) {
      throw new EOFException("stream ended inside a DNS length prefix");
    }
    int length = hi << 8 | lo;
    byte[] message = in.readNBytes(length);
    if (message.length < length) {
      throw new EOFException(
          "stream ended after " + message.length + " of " + length + " message bytes");
    }
    return message;
  }
}
