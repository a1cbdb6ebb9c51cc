package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key pairs and their encodings, checked against the {@code wg} tool itself. */
class KeyPairTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void generatedKeysAreClampedLikeWgGenkey() {
    for (int i = 0; i < 50; i++) {
      byte[] k = KeyPair.generate(RANDOM).privateKey().bytes();
      assertThat(k[0] & 7).isZero();
      assertThat(k[31] & 0xc0).isEqualTo(0x40);
    }
  }

  @Test
  void publicKeyAgreesWithWgPubkeyOnRandomKeys() throws Exception {
    assumeTrue(onPath("wg"), "wireguard-tools not installed");
    for (int i = 0; i < 5; i++) {
      // unclamped random bytes: wg pubkey clamps, so must we
      byte[] raw = new byte[32];
      RANDOM.nextBytes(raw);
      WgKey priv = WgKey.of(raw);
      String wg =
          Command.run(Duration.ofSeconds(10), List.of("wg", "pubkey"), priv.base64()).strip();
      assertThat(KeyPair.fromPrivate(priv).publicKey().base64()).isEqualTo(wg);
    }
  }

  @Test
  void wgGenkeyOutputLoadsAndDerivesTheSamePublicKey() throws Exception {
    assumeTrue(onPath("wg"), "wireguard-tools not installed");
    String genkey = Command.run(Duration.ofSeconds(10), List.of("wg", "genkey")).strip();
    String pub = Command.run(Duration.ofSeconds(10), List.of("wg", "pubkey"), genkey).strip();
    assertThat(KeyPair.fromPrivate(WgKey.fromBase64(genkey)).publicKey().base64()).isEqualTo(pub);
  }

  @Test
  void base64AndHexSpellTheSameBytes() {
    WgKey k = WgKey.fromBase64("mKy2C1Ghy1djZRqJ0dl6tjV2vfX/hLzKmBaigz+g0WM=");
    // the same key as wireguard-go's UAPI printed it (fixture get-two-peers-one-handshake.uapi)
    assertThat(k.hex())
        .isEqualTo("98acb60b51a1cb5763651a89d1d97ab63576bdf5ff84bcca9816a2833fa0d163");
    assertThat(WgKey.fromHex(k.hex())).isEqualTo(k);
    assertThat(WgKey.fromBase64(k.base64())).isEqualTo(k);
  }

  @Test
  void txtPublishesThePublicKeyOnly() {
    KeyPair p = KeyPair.generate(RANDOM);
    assertThat(p.txt()).isEqualTo("wg=" + p.publicKey().base64());
    assertThat(p.toString()).doesNotContain(p.privateKey().base64());
    assertThat(p.privateKey().toString()).doesNotContain(p.privateKey().base64());
  }

  @Test
  void malformedKeysAreRefused() {
    assertThatThrownBy(() -> WgKey.fromBase64("not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WgKey.fromBase64("AAAA"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> WgKey.fromHex("zz".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WgKey.fromHex("00")).isInstanceOf(IllegalArgumentException.class);
  }

  static boolean onPath(String tool) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
