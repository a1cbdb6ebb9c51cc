package net.membersdns.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.membersdns.protocol.tsig.TsigAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyAlgorithmsTest {
  @Test
  void enrolmentOffersMd5Sha256AndSha512() {
    assertThat(KeyAlgorithms.OFFERED)
        .containsExactlyInAnyOrder(
            TsigAlgorithm.HMAC_MD5, TsigAlgorithm.HMAC_SHA256, TsigAlgorithm.HMAC_SHA512);
    assertThat(KeyAlgorithms.offered("HMAC-SHA256")).isSameAs(TsigAlgorithm.HMAC_SHA256);
    assertThat(KeyAlgorithms.offered("hmac-md5")).isSameAs(TsigAlgorithm.HMAC_MD5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hmac-sha1", "hmac-sha384", "sha256", ""})
  void othersAreRefusedNamingWhatIsOffered(String text) {
    assertThatThrownBy(() -> KeyAlgorithms.offered(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown algorithm '"
                + text
                + "' (expected one of hmac-md5, hmac-sha256, hmac-sha512)");
  }

  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void storedNamesRoundTrip(TsigAlgorithm algorithm) {
    assertThat(KeyAlgorithms.fromStored(KeyAlgorithms.stored(algorithm))).isSameAs(algorithm);
  }

  @Test
  void md5IsStoredByItsHistoricalWireName() {
    assertThat(KeyAlgorithms.stored(TsigAlgorithm.HMAC_MD5)).isEqualTo("hmac-md5.sig-alg.reg.int.");
  }
}
