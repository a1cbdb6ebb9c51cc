package net.membersdns.server.testing;

import java.util.HexFormat;

/**
 * Test vectors are written as hex with optional spaces, as in the vectors of docs/architecture.md
 * (Test vectors).
 */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
