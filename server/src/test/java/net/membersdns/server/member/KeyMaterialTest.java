package net.membersdns.server.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {
  @Test
  void pbkdf2MatchesRfc7914Vector() {
    // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
    byte[] dk = KeyMaterial.derive("passwd".toCharArray(), "salt".getBytes(), 1, 64);
    assertThat(HexFormat.of().formatHex(dk))
        .isEqualTo(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  }

  @Test
  void passwordKeysUseFreshSaltsAndTheAlgorithmsLength() {
    SecureRandom random = new SecureRandom();
    KeyMaterial a = KeyMaterial.fromPassword(TsigAlgorithm.HMAC_MD5, "pw".toCharArray(), random);
    KeyMaterial b = KeyMaterial.fromPassword(TsigAlgorithm.HMAC_MD5, "pw".toCharArray(), random);
    assertThat(a.secret()).hasSize(16);
    assertThat(a.salt()).isNotEqualTo(b.salt());
    assertThat(a.secret()).isNotEqualTo(b.secret());
    assertThat(a.iterations()).isGreaterThanOrEqualTo(200_000);
    assertThat(a.toString()).doesNotContain("secret=[");
  }

  @Test
  void randomKeysHaveTheHashLength() {
    SecureRandom random = new SecureRandom();
    assertThat(KeyMaterial.random(TsigAlgorithm.HMAC_SHA512, random).secret()).hasSize(64);
    assertThat(KeyMaterial.random(TsigAlgorithm.HMAC_SHA256, random).kdf()).isNull();
  }
}
