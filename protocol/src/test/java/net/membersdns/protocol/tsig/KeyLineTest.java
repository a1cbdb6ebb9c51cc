package net.membersdns.protocol.tsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

class KeyLineTest {
  private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @Test
  void parsesWhatEnrolmentPrints() {
    KeyLine k = KeyLine.parse("key: hmac-sha256:mbp.alice.key.members.example.:" + SECRET + "\n");
    assertThat(k.algorithm()).isEqualTo(TsigAlgorithm.HMAC_SHA256);
    assertThat(k.name()).isEqualTo(Name.fromConstantString("mbp.alice.key.members.example."));
    assertThat(k.secret()).isEqualTo(Base64.getDecoder().decode(SECRET));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hmac-md5:alice.key.members.example:AAECAwQFBgcICQoLDA0ODw==",
        "  HMAC-MD5.SIG-ALG.REG.INT.:alice.key.members.example.:AAECAwQFBgcICQoLDA0ODw==  ",
        "KEY: hmac-md5:Alice.Key.Members.Example.:AAECAwQFBgcICQoLDA0ODw=="
      })
  void acceptsTheSpellingsToolsUse(String line) {
    KeyLine k = KeyLine.parse(line);
    assertThat(k.algorithm()).isEqualTo(TsigAlgorithm.HMAC_MD5);
    assertThat(k.name()).isEqualTo(Name.fromConstantString("alice.key.members.example."));
    assertThat(k.secret()).hasSize(16);
  }

  @Test
  void formatsAndParsesBack() {
    KeyLine k =
        new KeyLine(
            TsigAlgorithm.HMAC_SHA512,
            Name.fromConstantString("k.example."),
            Base64.getDecoder().decode(SECRET));
    assertThat(k.format()).isEqualTo("hmac-sha512:k.example.:" + SECRET);
    assertThat(k.printed()).isEqualTo("key: hmac-sha512:k.example.:" + SECRET);
    assertThat(KeyLine.parse(k.printed())).isEqualTo(k);
    assertThat(k.toString()).doesNotContain(SECRET);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|found 1 field(s)",
        "alice.key.members.example.:" + SECRET + "|found 2 field(s)",
        "hmac-sha999:k.example.:" + SECRET + "|unknown TSIG algorithm 'hmac-sha999'",
        "hmac-sha256::" + SECRET + "|the key name is empty",
        "hmac-sha256:k.example.:not base64!|the secret of key k.example. is not base64",
        "hmac-sha256:k.example.:|the secret of key k.example. is empty",
        "hmac-sha256:a..b:" + SECRET + "|bad key name 'a..b'",
      })
  void refusesWithAReasonAndNeverTheSecret(String line, String reason) {
    assertThatThrownBy(() -> KeyLine.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }
}
