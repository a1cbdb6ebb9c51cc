package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.APEX;
import static net.membersdns.server.update.Fixtures.rrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Rcode;

/** RFC 2136 §3.4.1.3 . */
class UpdatePrescanTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("add", Rcode.NOERROR, new String[] {"mbp 120 IN AAAA fd12::1"}),
        Arguments.of("delete RRset", Rcode.NOERROR, new String[] {"mbp 0 ANY AAAA"}),
        Arguments.of("delete name", Rcode.NOERROR, new String[] {"mbp 0 ANY ANY"}),
        Arguments.of("delete RR", Rcode.NOERROR, new String[] {"mbp 0 NONE AAAA fd12::1"}),
        Arguments.of(
            "Apple refresh",
            Rcode.NOERROR,
            new String[] {"mbp 0 ANY AAAA", "mbp 120 IN AAAA fd12::1"}),
        Arguments.of(
            "outside the zone",
            Rcode.NOTZONE,
            new String[] {"mbp.bob.members.example. 120 IN AAAA fd12::1"}),
        Arguments.of(
            "outside the zone after a good one",
            Rcode.NOTZONE,
            new String[] {"mbp 0 ANY AAAA", "example.com. 0 ANY ANY"}),
        Arguments.of("add of type ANY", Rcode.FORMERR, new String[] {"mbp 120 IN ANY"}),
        Arguments.of("add of AXFR", Rcode.FORMERR, new String[] {"mbp 120 IN AXFR"}),
        Arguments.of("add without RDATA", Rcode.FORMERR, new String[] {"mbp 120 IN AAAA"}),
        Arguments.of("class ANY with TTL", Rcode.FORMERR, new String[] {"mbp 5 ANY AAAA"}),
        Arguments.of(
            "class ANY with RDATA", Rcode.FORMERR, new String[] {"mbp 0 ANY AAAA fd12::1"}),
        Arguments.of("class ANY AXFR", Rcode.FORMERR, new String[] {"mbp 0 ANY AXFR"}),
        Arguments.of("class ANY MAILA", Rcode.FORMERR, new String[] {"mbp 0 ANY MAILA"}),
        Arguments.of(
            "class NONE with TTL", Rcode.FORMERR, new String[] {"mbp 120 NONE AAAA fd12::1"}),
        Arguments.of("class NONE type ANY", Rcode.FORMERR, new String[] {"mbp 0 NONE ANY"}),
        Arguments.of("class CH", Rcode.FORMERR, new String[] {"mbp 0 CH TXT \"x\""}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prescans(String label, int rcode, String[] updates) {
    UpdateVerdict verdict = UpdatePrescan.check(APEX, rrs(updates));
    if (rcode == Rcode.NOERROR) {
      assertThat(verdict).isEqualTo(UpdateVerdict.ACCEPTED);
    } else {
      assertThat(verdict).isInstanceOf(Rejection.class);
      assertThat(Rcode.string(((Rejection) verdict).rcode())).isEqualTo(Rcode.string(rcode));
    }
  }
}
