package net.membersdns.agent.portmap;

import java.util.HexFormat;

/** Test vectors are written as hex with optional spaces, as the vectors are usually printed. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
