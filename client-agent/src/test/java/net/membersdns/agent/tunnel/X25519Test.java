package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 7748 test vectors through the JDK-backed {@link X25519}. */
class X25519Test {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 7748 §6.1
  private static final String ALICE_PRIVATE =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  private static final String ALICE_PUBLIC =
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  private static final String BOB_PRIVATE =
      "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  private static final String BOB_PUBLIC =
      "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  private static final String SHARED =
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  @Test
  void rfc7748Section61PublicKeys() {
    assertThat(hex(X25519.publicKey(bytes(ALICE_PRIVATE)))).isEqualTo(ALICE_PUBLIC);
    assertThat(hex(X25519.publicKey(bytes(BOB_PRIVATE)))).isEqualTo(BOB_PUBLIC);
  }

  @Test
  void rfc7748Section61SharedSecretBothWays() {
    assertThat(hex(X25519.scalarMult(bytes(ALICE_PRIVATE), bytes(BOB_PUBLIC)))).isEqualTo(SHARED);
    assertThat(hex(X25519.scalarMult(bytes(BOB_PRIVATE), bytes(ALICE_PUBLIC)))).isEqualTo(SHARED);
  }

  @Test
  void rfc7748Section52FirstVector() {
    assertThat(
            hex(
                X25519.scalarMult(
                    bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                    bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  }

  @Test
  void rfc7748Section52SecondVectorHasBit255SetInU() {
    // the u of this vector ends in 0x93: only masking bit 255 (§5) gives the RFC's output
    assertThat(
            hex(
                X25519.scalarMult(
                    bytes("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                    bytes("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))))
        .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  }

  @Test
  void decodeUIsLittleEndianWithBit255Masked() {
    byte[] u = new byte[32];
    u[0] = 9;
    assertThat(X25519.decodeU(u)).hasToString("9");
    u[31] = (byte) 0x80;
    assertThat(X25519.decodeU(u)).hasToString("9");
    u[31] = 0x01;
    assertThat(X25519.decodeU(u).bitLength()).isEqualTo(249);
  }

  @Test
  void clampClearsLowBitsAndBit255AndSetsBit254() {
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xff);
    byte[] k = X25519.clamp(ones);
    assertThat(k[0]).isEqualTo((byte) 0xf8);
    assertThat(k[31]).isEqualTo((byte) 0x7f);
    assertThat(X25519.clamp(new byte[32])[31]).isEqualTo((byte) 0x40);
    assertThat(ones[0]).as("input untouched").isEqualTo((byte) 0xff);
  }

  @Test
  void clampingDoesNotChangeThePublicKey() {
    // the JDK clamps too (decodeScalar25519), so clamped and raw scalars agree
    byte[] raw = bytes(ALICE_PRIVATE);
    assertThat(X25519.publicKey(X25519.clamp(raw))).isEqualTo(X25519.publicKey(raw));
  }

  @Test
  void smallOrderPointIsRefused() {
    // u = 0 is a point of order 1: the all-zero output of §6.1's check
    assertThatThrownBy(() -> X25519.scalarMult(bytes(ALICE_PRIVATE), new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wrongLengthsAreRefused() {
    assertThatThrownBy(() -> X25519.publicKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("31");
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }
}
