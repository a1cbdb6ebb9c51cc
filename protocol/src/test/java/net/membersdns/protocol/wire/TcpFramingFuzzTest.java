package net.membersdns.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Fuzzes reading RFC 7766 §8 frames (two-byte length, then the message) from an arbitrary byte
 * stream: back-to-back frames, a stream cut inside a prefix or a message, a length larger than what
 * follows (the "oversized" frame of a lying peer).
 *
 * <p>Invariants: only {@link EOFException} escapes, and only when the stream ends inside a frame;
 * every message read re-frames to exactly the bytes it was read from, so nothing is skipped,
 * invented or reordered; a clean end ({@code null}) comes only at a frame boundary.
 */
class TcpFramingFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void readsAnyStream(byte[] stream) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(stream);
    ByteArrayOutputStream reframed = new ByteArrayOutputStream();
    while (true) {
      byte[] message;
      try {
        message = TcpFraming.read(in);
      } catch (EOFException e) {
        int used = reframed.size();
        assertThat(stream.length - used).as("bytes left in the cut frame").isPositive();
        long announced =
            stream.length - used >= 2
                ? ((stream[used] & 0xFF) << 8 | (stream[used + 1] & 0xFF))
                : Long.MAX_VALUE / 2; // the prefix itself was cut
        assertThat((long) stream.length - used).isLessThan(TcpFraming.PREFIX + announced);
        return;
      }
      if (message == null) {
        assertThat(reframed.toByteArray()).isEqualTo(stream);
        return;
      }
      assertThat(message.length).isLessThanOrEqualTo(TcpFraming.MAX_MESSAGE);
      reframed.writeBytes(TcpFraming.frame(message));
      byte[] sofar = reframed.toByteArray();
      assertThat(sofar.length).isLessThanOrEqualTo(stream.length);
      assertThat(java.util.Arrays.equals(sofar, 0, sofar.length, stream, 0, sofar.length))
          .as("re-framed bytes equal the stream read so far")
          .isTrue();
    }
  }
}
