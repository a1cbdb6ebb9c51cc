package net.membersdns.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

class ReplyTest {

  private static Reply reply(int rcode, OPTRecord opt) throws Exception {
    Message m = new Message(7);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    if (opt != null) {
      m.addRecord(opt, Section.ADDITIONAL);
    }
    // through the wire, as the agent receives it
    byte[] wire = m.toWire();
    return new Reply(new Received(new Message(wire), wire), RequestSigner.Check.VERIFIED);
  }

  @Test
  void theServersExtendedErrorIsPartOfTheDescription() throws Exception {
    var opt =
        new OPTRecord(
            1232,
            0,
            0,
            0,
            List.of(new ExtendedErrorCodeOption(0, "replayed update: its signature was used")));
    Reply r = reply(Rcode.REFUSED, opt);

    assertThat(r.extendedError()).isPresent();
    assertThat(r.describe())
        .isEqualTo("REFUSED (extended error 0: replayed update: its signature was used)");
  }

  @Test
  void anExtendedErrorWithoutTextShowsItsCode() throws Exception {
    var opt = new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(14)));

    assertThat(reply(Rcode.SERVFAIL, opt).describe()).isEqualTo("SERVFAIL (extended error 14)");
  }

  @Test
  void withoutOptOrOptionTheRcodeAlone() throws Exception {
    assertThat(reply(Rcode.REFUSED, null).describe()).isEqualTo("REFUSED");
    assertThat(reply(Rcode.REFUSED, new OPTRecord(1232, 0, 0)).extendedError()).isEmpty();
  }
}
