package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the parser of wireguard-go's UAPI replies (the cross-platform interface's {@code get} and
 * {@code set} replies: {@code key=value} lines, ended by {@code errno=N} and an empty line), read
 * from the socket as US-ASCII as {@link UapiDevice} reads them.
 *
 * <p>Invariants: {@code parseGet} and {@code checkSetReply} either succeed or throw an {@link
 * IOException} (a {@link UapiException} for a non-zero errno), never anything else; a state that
 * parsed can be used as {@link Tunnel} uses it ({@link DeviceState#peersByKey}); and a reply that
 * parsed came with {@code errno=0}.
 */
class UapiReplyFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyReply(byte[] input) {
    String reply = StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(input)).toString();
    UapiCodec.complete(reply);
    try {
      DeviceState state = UapiCodec.parseGet(reply);
      assertThat(state.peersByKey()).hasSameSizeAs(state.peers());
      assertThat(reply).containsPattern("(^|\n)errno=[+-]?0+(\n|$)"); // Long.parseLong's zeros
    } catch (IOException expected) {
      // malformed, or a non-zero errno: the agent says so and retries
    }
    try {
      UapiCodec.checkSetReply(reply);
    } catch (IOException expected) {
      // idem
    }
  }
}
