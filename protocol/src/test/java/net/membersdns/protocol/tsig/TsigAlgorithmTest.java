package net.membersdns.protocol.tsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.crypto.Mac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

class TsigAlgorithmTest {
  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void bothSpellingsAndTheJcaNameWork(TsigAlgorithm a) throws Exception {
    assertThat(TsigAlgorithm.fromText(a.presentationName())).contains(a);
    assertThat(TsigAlgorithm.fromText(a.wireName().toString())).contains(a);
    assertThat(TsigAlgorithm.fromText(a.presentationName().toUpperCase())).contains(a);
    assertThat(TsigAlgorithm.fromName(a.wireName())).contains(a);
    assertThat(Mac.getInstance(a.jcaName()).getMacLength()).isEqualTo(a.macLength());
  }

  @Test
  void md5HasItsHistoricalWireName() {
    assertThat(TsigAlgorithm.HMAC_MD5.wireName())
        .isEqualTo(Name.fromConstantString("HMAC-MD5.SIG-ALG.REG.INT."));
    assertThat(TsigAlgorithm.fromText("hmac-md5.")).contains(TsigAlgorithm.HMAC_MD5);
  }

  @Test
  void shortestMacFollowsRfc8945() {
    assertThat(TsigAlgorithm.HMAC_MD5.shortestMac()).isEqualTo(10);
    assertThat(TsigAlgorithm.HMAC_SHA256.shortestMac()).isEqualTo(16);
  }

  @Test
  void unknownNamesAreRefusedReadably() {
    assertThat(TsigAlgorithm.fromText("gss-tsig")).isEmpty();
    assertThatThrownBy(() -> TsigAlgorithm.parse("sha256"))
        .hasMessageContaining("unknown TSIG algorithm 'sha256'")
        .hasMessageContaining("hmac-sha256");
  }
}
