package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Replies captured from a real wireguard-go 0.0.20220316 and wg 1.0.20210914 (Debian 12) on two
 * namespaces joined by a veth, one ping apart: {@code get-*.uapi} are {@code get=1} replies, {@code
 * wg-show-dump-*.txt} the {@code wg show IF dump} of the same devices. {@code
 * get-two-peers-one-handshake.uapi} and {@code wg-show-dump-two-peers.txt} were taken at the same
 * moment. The keys are throwaway test keys.
 */
final class Fixtures {
  private Fixtures() {}

  static String read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("wireguard-go-0.0.20220316/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
