package net.membersdns.protocol.edns;

import java.util.HexFormat;

/**
 * Test vectors are written as hex with optional spaces, as in the vectors of docs/architecture.md
 * (Test vectors).
 */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
